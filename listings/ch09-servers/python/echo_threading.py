#!/usr/bin/env python3
"""echo_threading.py [addr]: the echo server with socketserver.ThreadingTCPServer."""
import socketserver
import sys


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while data := self.request.recv(8192):
            self.request.sendall(data)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 1024


host, port = (sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:7878").rsplit(":", 1)
with Server((host, int(port)), Echo) as server:
    print(f"listening on {host}:{server.server_address[1]}", flush=True)
    server.serve_forever()
