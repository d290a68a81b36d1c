import threading

counter = 0


def work(n):
    global counter
    for _ in range(n):
        value = counter  # read
        value = int(value) + 1  # a call: the interpreter may switch here
        counter = value  # write


threads = [threading.Thread(target=work, args=(200_000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter, "of", 4 * 200_000)
