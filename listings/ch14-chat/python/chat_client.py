"""The chat client in Python, with only socket and threading.

Usage: python3 chat_client.py HOST:PORT NAME
"""

import os
import socket
import sys
import threading


def print_room(conn):
    """Copies what the room sends to standard output; when the server
    closes, the whole program ends."""
    status = 0
    try:
        while data := conn.recv(8192):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
    except OSError as err:
        print(f"chat_client.py: connection: {err}", file=sys.stderr)
        status = 1
    # Like the Rust client's process::exit: the main thread may be blocked
    # reading a line of input that will never come.
    os._exit(status)


def main():
    if len(sys.argv) != 3:
        print("usage: chat_client.py HOST:PORT NAME", file=sys.stderr)
        return 2
    host, _, port = sys.argv[1].rpartition(":")
    try:
        conn = socket.create_connection((host, int(port)))
    except OSError as err:
        print(f"chat_client.py: {sys.argv[1]}: {err}", file=sys.stderr)
        return 1
    conn.sendall(sys.argv[2].encode() + b"\n")
    threading.Thread(target=print_room, args=(conn,)).start()
    while data := os.read(sys.stdin.fileno(), 8192):
        conn.sendall(data)
    # End of input: half-close, and let the server's close end the program.
    conn.shutdown(socket.SHUT_WR)
    return 0


if __name__ == "__main__":
    sys.exit(main())
