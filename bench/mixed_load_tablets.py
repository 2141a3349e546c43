"""The mixed load benchmark's tablets: 16 of them scanning at 2 scans/s each, open loop.

Each tablet has its own keep-alive connection and sends each scan at its due time whatever the
previous answer is doing (HTTP/1.1 pipelining), so a slow answer never lowers the pace; the
latency is from the send to the full answer. They all run in one process (asyncio): a few dozen
scans a second cost it little CPU.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time

from scan_load_bench import request_bytes

TABLETS, RATE = 16, 2.0  # scans per second per tablet


async def tablet(port: int, requests: list[bytes], start_at: float) -> tuple[list, dict]:
    """Send `requests` at RATE from start_at on one connection; return latencies and statuses."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sent: asyncio.Queue = asyncio.Queue()

    async def send():
        for k, request in enumerate(requests):
            await asyncio.sleep(max(0.0, start_at + k / RATE - time.monotonic()))
            sent.put_nowait(time.monotonic())
            writer.write(request)
            await writer.drain()

    sender = asyncio.ensure_future(send())
    latencies, statuses = [], {}
    for _ in requests:
        status = await response(reader)
        if status == 0:  # the server closed the connection: the rest count as errors
            sender.cancel()
            break
        latencies.append(time.monotonic() - await sent.get())
        statuses[status] = statuses.get(status, 0) + 1
    with contextlib.suppress(asyncio.CancelledError, ConnectionError):
        await sender
    writer.close()
    return latencies, statuses


async def response(reader: asyncio.StreamReader) -> int:
    """Read one response with a Content-Length; return its status (0: connection closed)."""
    try:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    except (asyncio.IncompleteReadError, ConnectionError):
        return 0
    length = 0
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(head[9:12])


def tablets(port: int, per_tablet: list[list[bytes]], start_at: float, out) -> None:
    """Run every tablet in this process (a few dozen scans/s cost it little CPU)."""

    async def run():
        offsets = [start_at + i / (TABLETS * RATE) for i in range(len(per_tablet))]
        return await asyncio.gather(
            *(tablet(port, r, t) for r, t in zip(per_tablet, offsets, strict=True))
        )

    try:
        out.put(asyncio.run(run()))
    except Exception as exc:  # reported, so the phase does not wait forever
        out.put(exc)


def scan_requests(facts: dict, count: int, seconds: float) -> list:
    """Per tablet, per phase: its crew boarding, then departing, in turn."""
    codes, token = facts["codes"][:-1], facts["token"]  # the last is the photo load's
    per = [[] for _ in range(TABLETS)]
    for i, code in enumerate(codes):
        for direction in ("board", "depart"):
            body = {"code": code, "access_point": "GW", "direction": direction}
            per[i % TABLETS].append(request_bytes("POST", "/api/v1/scans", token, body))
    per = [p[0::2] + p[1::2] for p in per]
    n = int(seconds * RATE)
    return [[[p[(k * n + j) % len(p)] for j in range(n)] for p in per] for k in range(count)]
