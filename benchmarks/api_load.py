"""The load generator of the HTTP benchmark: a minimal HTTP/1.1 keep-alive client and two load shapes.

Why not httpx: on a 2-core machine the load generator competes with the API for the CPU, and httpx spends
several times more CPU per request than the server's cheapest route. This client writes pre-encoded
requests and parses only the status line, the framing headers and the body, so most of the CPU stays with
the server. It speaks just enough HTTP/1.1 for uvicorn: Content-Length or chunked bodies, `Connection:
close`.

- `closed_loop`: N clients, each sending its next request when the previous answer arrived; measures the
  maximum throughput (and the latency at that load).
- `open_loop`: requests sent at a fixed rate whatever the answers do, latency measured from each request's
  scheduled send time, so a stalled server shows as latency instead of as fewer requests (no coordinated
  omission).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

CONNECTION_ERROR = 0  # the status recorded when no HTTP answer came (refused, reset, timed out)
TIMEOUT_SECONDS = 10.0
OPEN_LOOP_CONNECTIONS = 32  # as many as a channel front end would keep to the API


@dataclass(frozen=True, slots=True)
class Call:
    method: str
    target: str  # path and query
    body: bytes = b""

    def encode(self, host: str, credential: str) -> bytes:
        head = [
            f"{self.method} {self.target} HTTP/1.1",
            f"Host: {host}",
            f"Authorization: Bearer {credential}",
            "Accept: application/json",
        ]
        if self.body or self.method in {"POST", "PUT", "PATCH"}:
            head += ["Content-Type: application/json", f"Content-Length: {len(self.body)}"]
        return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + self.body


class Connection:
    """One keep-alive connection; one request at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    def close(self) -> None:
        self.writer.close()

    async def exchange(self, raw: bytes) -> tuple[int, bytes, bool]:
        """Send one encoded request; the status, the body and whether the connection may be reused."""
        self.writer.write(raw)
        await self.writer.drain()
        line = await self.reader.readline()
        if not line:
            raise ConnectionError("the server closed the connection")
        status = int(line.split(b" ", 2)[1])
        length: int | None = None
        chunked = False
        reusable = True
        while True:
            header = await self.reader.readline()
            if header in (b"\r\n", b""):
                break
            name, _, value = header.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value:
                chunked = True
            elif name == b"connection" and value == b"close":
                reusable = False
        if chunked:
            body = await self._chunks()
        elif length is not None:
            body = await self.reader.readexactly(length)
        else:  # delimited by the end of the connection
            body, reusable = await self.reader.read(), False
        return status, body, reusable

    async def _chunks(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int((await self.reader.readline()).split(b";", 1)[0], 16)
            if size == 0:
                while (await self.reader.readline()) not in (b"\r\n", b""):
                    pass  # trailers
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)


@dataclass
class Outcome:
    """What one run measured: latencies of every answered request (2xx or not), statuses, elapsed time."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    samples: dict[int, bytes] = field(default_factory=dict)  # the first body of each non-2xx status
    elapsed: float = 0.0
    client_cpu: float = 0.0  # CPU seconds the load generator used

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def errors(self) -> dict[int, int]:
        return {status: n for status, n in sorted(self.statuses.items()) if not 200 <= status < 300}

    @property
    def throughput(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def record(self, status: int, body: bytes, latency: float | None) -> None:
        self.statuses[status] += 1
        if latency is not None:
            self.latencies.append(latency)
        if not 200 <= status < 300 and status not in self.samples:
            self.samples[status] = body[:300]


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (as engine_bench); NaN without samples."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def _send(pool: list[Connection], host: str, port: int, raw: bytes) -> tuple[int, bytes]:
    """One request on an idle pooled connection (or a new one); connection failures become status 0."""
    # uvicorn closes keep-alive connections idle for 5 s: drop those, and retry once on a new connection
    # when a reused one turns out closed before answering, as HTTP clients do.
    while pool and pool[-1].reader.at_eof():
        pool.pop().close()
    connection = pool.pop() if pool else None
    for attempt in (1, 2):
        reused = connection is not None
        try:
            if connection is None:
                connection = await Connection.open(host, port)
            status, body, reusable = await asyncio.wait_for(connection.exchange(raw), TIMEOUT_SECONDS)
            break
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError) as error:
            if connection is not None:
                connection.close()
                connection = None
            if not (reused and attempt == 1 and isinstance(error, ConnectionError)):
                return CONNECTION_ERROR, repr(error).encode()
    assert connection is not None
    if reusable:
        pool.append(connection)
    else:
        connection.close()
    return status, body


async def fetch(host: str, port: int, raw: bytes) -> tuple[int, bytes]:
    """One request on a connection of its own (setup and readiness checks, not measured)."""
    return await _send([], host, port, raw)


async def closed_loop(
    host: str, port: int, requests: Sequence[bytes], clients: int, duration: float, seed: int
) -> Outcome:
    """`clients` connections sending random requests back to back for `duration` seconds."""
    outcome = Outcome()
    rng = random.Random(seed)
    started = time.perf_counter()
    deadline = started + duration

    async def client() -> None:
        pool: list[Connection] = []
        while time.perf_counter() < deadline:
            raw = rng.choice(requests)
            sent = time.perf_counter()
            status, body = await _send(pool, host, port, raw)
            outcome.record(status, body, time.perf_counter() - sent)
        for connection in pool:
            connection.close()

    cpu = time.process_time()
    await asyncio.gather(*(client() for _ in range(clients)))
    outcome.elapsed = time.perf_counter() - started
    outcome.client_cpu = time.process_time() - cpu
    return outcome


async def open_loop(
    host: str,
    port: int,
    requests: Sequence[bytes],
    rate: float,
    duration: float,
    connections: int = OPEN_LOOP_CONNECTIONS,
) -> Outcome:
    """`requests` (cycled) sent at `rate` per second for `duration` seconds over at most `connections`
    keep-alive connections, as wrk2 does: a request due while every connection is busy waits for one, and
    that wait counts in its latency. Unbounded connections would instead turn a stall into hundreds of
    concurrent requests and measure the pile-up rather than the route."""
    outcome = Outcome()
    pool: list[Connection] = []
    slots = asyncio.Semaphore(connections)
    count = max(1, int(rate * duration))
    pending: list[asyncio.Task[None]] = []

    async def one(raw: bytes, scheduled: float) -> None:
        async with slots:
            status, body = await _send(pool, host, port, raw)
        outcome.record(status, body, time.perf_counter() - scheduled)

    cpu = time.process_time()
    started = time.perf_counter()
    for index in range(count):
        scheduled = started + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        pending.append(asyncio.create_task(one(requests[index % len(requests)], scheduled)))
    await asyncio.gather(*pending)
    outcome.elapsed = time.perf_counter() - started
    outcome.client_cpu = time.process_time() - cpu
    for connection in pool:
        connection.close()
    return outcome
