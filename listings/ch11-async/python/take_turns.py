"""Listing 11-1 in asyncio: two tasks that take turns where they await."""

import asyncio


async def steps(name, yields, log):
    for step in range(1, 4):
        log.append(f"{name}{step}")
        if yields:
            await asyncio.sleep(0)  # the switch: back to the event loop


async def run(a_yields, b_yields):
    log = []
    await asyncio.gather(steps("a", a_yields, log), steps("b", b_yields, log))
    return " ".join(log)


print("both yield:      ", asyncio.run(run(True, True)))
print("a never yields:  ", asyncio.run(run(False, True)))
