# echo_client.py <port> <message>: a Python client for Listing 4-1.
import socket
import sys

port, message = int(sys.argv[1]), sys.argv[2]
sockfd = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sockfd.settimeout(5)
sockfd.connect(("127.0.0.1", port))
sockfd.sendall((message + "\n").encode())
# One line, however it is split into pieces, and at most 1025 bytes.
reply = sockfd.makefile("rb").readline(1025)
sockfd.close()
print(reply.decode(), end="")
