# echo_client.py <port> <message>: a Python client for Listing 4-1.
import socket
import sys

port, message = int(sys.argv[1]), sys.argv[2]
sockfd = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sockfd.settimeout(5)
sockfd.connect(("127.0.0.1", port))
sockfd.sendall((message + "\n").encode())
reply = b""
while not reply.endswith(b"\n"):  # a reply may arrive in pieces
    chunk = sockfd.recv(1024)
    if not chunk:
        break
    reply += chunk
sockfd.close()
print(reply.decode(), end="")
