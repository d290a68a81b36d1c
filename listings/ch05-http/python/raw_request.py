# raw_request.py [PORT]: one HTTP request by hand over a TCP socket.
import socket
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
    sock.sendall(b"GET / HTTP/3\r\nHost: 127.0.0.1\r\n\r\n")
    # The server closes the connection after an error: read to the end.
    reply = b"".join(iter(lambda: sock.recv(4096), b""))
print(reply.decode(), end="")
