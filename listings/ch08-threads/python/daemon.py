import os
import sys
import threading


def worker():
    data = os.read(0, 100)  # blocks until a line arrives or input ends
    print(f"worker: read {data!r}", flush=True)


daemon = sys.argv[1:] == ["--daemon"]
threading.Thread(target=worker, daemon=daemon).start()
print(f"main: worker started (daemon={daemon}); main's code ends", flush=True)
