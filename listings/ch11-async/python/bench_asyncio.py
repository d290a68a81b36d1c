"""The async benchmark's Python row: COUNT idle asyncio tasks (each asleep
for an hour) and HAND_OFFS round trips between two tasks through two
Queue(1)s. Prints: tasks started, RSS growth in bytes, µs per hand-off."""

import asyncio
import sys
import time


def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


async def main(count, hand_offs):
    started = 0

    async def idle():
        nonlocal started
        started += 1
        await asyncio.sleep(3600)

    before = rss()
    tasks = [asyncio.create_task(idle()) for _ in range(count)]
    while started < count:
        await asyncio.sleep(0)
    grown = rss() - before
    for task in tasks:
        task.cancel()

    to_pong, to_ping = asyncio.Queue(1), asyncio.Queue(1)

    async def pong():
        while True:
            n = await to_pong.get()
            await to_ping.put(n + 1)

    ponger = asyncio.create_task(pong())
    start = time.perf_counter()
    for n in range(hand_offs):
        await to_pong.put(n)
        assert await to_ping.get() == n + 1
    each = (time.perf_counter() - start) * 1e6 / (2 * hand_offs)
    ponger.cancel()
    print(started, grown, each)


asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
