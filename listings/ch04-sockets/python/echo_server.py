# echo_server.py [addr]: Listing 4-3's echo server in Python, call for call.
import socket
import sys

host, port = (sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:7878").rsplit(":", 1)
sockfd = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # socket(2)
sockfd.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sockfd.bind((host, int(port)))  # bind(2)
sockfd.listen(128)  # listen(2)
print("listening on %s:%d" % sockfd.getsockname(), flush=True)
while True:
    connfd, addr = sockfd.accept()  # accept(2)
    print("%s:%d connected" % addr, flush=True)
    while True:
        data = connfd.recv(1024)  # recv(2)
        if not data:  # b"": the client closed its side
            break
        connfd.sendall(data)  # send(2), repeated until all is sent
    print("%s:%d disconnected" % addr, flush=True)
    connfd.close()  # close(2)
