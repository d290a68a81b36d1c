"""An asyncio client for echo_tokio: one conversation with the streams
API, then 100 clients at once with gather and wait_for."""

import asyncio
import sys


async def converse(host, port):
    reader, writer = await asyncio.open_connection(host, port)
    for line in ["hello", "你好"]:
        writer.write(f"{line}\n".encode())
        await writer.drain()  # wait while the send buffer is full
        echo = await reader.readline()
        print("echoed:", echo.decode().rstrip("\n"))
    writer.write_eof()  # shutdown(SHUT_WR): the server finishes and closes
    print("after write_eof:", await reader.read())
    writer.close()
    await writer.wait_closed()


async def one_client(host, port, n):
    reader, writer = await asyncio.open_connection(host, port)
    message = f"client {n}\n".encode()
    writer.write(message)
    await writer.drain()
    echo = await asyncio.wait_for(reader.readline(), timeout=10)
    writer.close()
    await writer.wait_closed()
    return echo == message


async def main(addr):
    host, port = addr.rsplit(":", 1)
    await converse(host, port)
    clients = (one_client(host, port, n) for n in range(100))
    results = await asyncio.gather(*clients)
    print(f"{sum(results)} of {len(results)} clients got their echo")


asyncio.run(main(sys.argv[1]))
