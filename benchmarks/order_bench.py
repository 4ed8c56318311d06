"""Orders end to end (issue 4): API → Temporal → worker → OSS simulator (zero delay) → completion.

The whole system runs as `switchboard up` runs it, each part its own process on 127.0.0.1: the embedded
Temporal dev server (SQLite file with `journal_mode=wal`, `synchronous=normal`), the API on SQLite, one
worker, the OSS simulator with no callback delay. Orders are a mix of sample offerings of 3 to 6 service
order steps each.

Two phases:
- burst: N orders posted by C concurrent clients as fast as the API takes them → orders accepted per second;
  then the time until the last one completes → orders completed per second;
- paced: orders posted open loop at R per second for D seconds → completed per second and the
  order-to-completion p50 / p99 at that rate (from each order's `orderDate` to its `completionDate`).
Missed targets are reported, never a failure.

Run: `.venv/bin/python -m benchmarks.order_bench [--orders 300] [--rate 25] [--duration 20]`.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from benchmarks.api_bench import fresh_database
from benchmarks.api_load import percentile
from tests.system.stack import ORDERS, Stack

ACCEPT_TARGET = 300.0  # orders/s accepted
COMPLETE_TARGET = 25.0  # orders/s completed end to end
P99_TARGET_S = 5.0  # order-to-completion at that rate


def _item(item_id: str, offering: str) -> dict[str, Any]:
    return {"id": item_id, "action": "add", "productOffering": {"id": offering}}


def _order(customer: str, channel: str, *offerings: str) -> dict[str, Any]:
    return {
        "channel": [{"id": channel, "role": "salesChannel"}],
        "relatedParty": [{"id": customer, "role": "Customer", "@referredType": "Customer"}],
        "productOrderItem": [_item(str(n), o) for n, o in enumerate(offerings, 1)],
    }


# (steps, body): the service-order steps each order makes, from the sample catalog's order flows.
# Repeatable without limits (no exclusivity group, no cap on lines), so a long run is not rejected.
MIX: tuple[tuple[int, dict[str, Any]], ...] = (
    (3, _order("CUST-1001", "web", "tv-essential")),
    (4, _order("CUST-3001", "partner", "iot-pooled-data")),
    (5, _order("CUST-1001", "web", "tv-essential", "tv-extra-stb")),
    (6, _order("CUST-1001", "web", "tv-essential", "tv-extra-stb", "digital-newsstand")),
    (4, _order("CUST-1001", "web", "tv-essential", "digital-newsstand")),
)


async def _post(client: httpx.AsyncClient, body: dict[str, Any], outcomes: Counter[str]) -> str | None:
    response = await client.post(ORDERS, json=body)
    if response.status_code != 201:
        code = (
            response.json().get("code", "")
            if response.headers.get("content-type", "").startswith("application/json")
            else ""
        )
        outcomes[f"HTTP {response.status_code} {code}".strip()] += 1
        return None
    order = response.json()
    outcomes[order["state"]] += 1
    for reason in order.get("rejectionReason", []):
        outcomes[f"rejected {reason['code']}"] += 1
    return str(order["id"]) if order["state"] == "acknowledged" else None


async def burst(
    client: httpx.AsyncClient, count: int, concurrency: int
) -> tuple[list[str], float, Counter[str]]:
    outcomes: Counter[str] = Counter()
    accepted: list[str] = []
    queue = list(range(count))

    async def poster() -> None:
        while queue:
            n = queue.pop()
            order_id = await _post(client, MIX[n % len(MIX)][1], outcomes)
            if order_id:
                accepted.append(order_id)

    started = time.perf_counter()
    await asyncio.gather(*(poster() for _ in range(concurrency)))
    return accepted, time.perf_counter() - started, outcomes


async def paced(client: httpx.AsyncClient, rate: float, duration: float) -> tuple[list[str], Counter[str]]:
    outcomes: Counter[str] = Counter()
    accepted: list[str] = []
    tasks = []
    started = time.perf_counter()
    n = 0
    while (due := n / rate) < duration:
        await asyncio.sleep(max(0.0, due - (time.perf_counter() - started)))
        tasks.append(asyncio.create_task(_post(client, MIX[n % len(MIX)][1], outcomes)))
        n += 1
    accepted = [order_id for order_id in await asyncio.gather(*tasks) if order_id]
    return accepted, outcomes


async def wait_final(client: httpx.AsyncClient, ids: list[str], timeout: float) -> list[dict[str, Any]]:
    """Every order, once none is in flight (or the timeout passed)."""
    deadline = time.monotonic() + timeout
    pending = set(ids)
    orders: dict[str, dict[str, Any]] = {}
    while pending and time.monotonic() < deadline:
        for order_id in list(pending)[:50]:
            order = (await client.get(f"{ORDERS}/{order_id}")).json()
            if order["state"] in {"completed", "failed", "cancelled", "held", "rejected"}:
                orders[order_id] = order
                pending.discard(order_id)
        await asyncio.sleep(0.2)
    return list(orders.values())


def _seconds(order: dict[str, Any]) -> float:
    begin = datetime.fromisoformat(order["orderDate"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(order["completionDate"].replace("Z", "+00:00"))
    return (end - begin).total_seconds()


def report(name: str, orders: list[dict[str, Any]], posted: int) -> None:
    done = [o for o in orders if o["state"] == "completed"]
    states = Counter(o["state"] for o in orders)
    print(f"{name}: {posted} accepted, final states {dict(states)}; unfinished {posted - len(orders)}")
    if not done:
        return
    latencies = sorted(_seconds(o) for o in done)
    first = min(datetime.fromisoformat(o["orderDate"].replace("Z", "+00:00")) for o in done)
    last = max(datetime.fromisoformat(o["completionDate"].replace("Z", "+00:00")) for o in done)
    span = (last - first).total_seconds()
    rate = len(done) / span if span else float("inf")
    p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
    print(f"  completed end to end: {rate:.1f} orders/s (target >= {COMPLETE_TARGET:.0f})")
    print(f"  order-to-completion: p50 {p50:.2f} s, p99 {p99:.2f} s (target p99 <= {P99_TARGET_S:.0f} s)")


async def run(stack: Stack, args: argparse.Namespace) -> None:
    headers = {"Authorization": f"Bearer {stack.keys['ADMIN']}"}
    limits = httpx.Limits(max_connections=64)
    base = f"http://127.0.0.1:{stack.api_port}"
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60, limits=limits) as client:
        for _ in range(5):  # warm up: the first orders pay for loading the release and compiling rules
            await _post(client, MIX[0][1], Counter())
        ids, seconds, outcomes = await burst(client, args.orders, args.concurrency)
        accept_rate = len(ids) / seconds
        verdict = "met" if accept_rate >= ACCEPT_TARGET else "MISSED"
        print(
            f"burst: {len(ids)} of {args.orders} orders accepted in {seconds:.2f} s by {args.concurrency} clients"
        )
        print(
            f"  accepted: {accept_rate:.0f} orders/s (target >= {ACCEPT_TARGET:.0f}: {verdict}); {dict(outcomes)}"
        )
        report("burst", await wait_final(client, ids, args.timeout), len(ids))
        ids, outcomes = await paced(client, args.rate, args.duration)
        print(f"paced: {args.rate:g} orders/s for {args.duration:g} s; {dict(outcomes)}")
        report("paced", await wait_final(client, ids, args.timeout), len(ids))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--keep", type=Path, help="keep the data dir (logs, databases) here, for a look after"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="order-bench-") as scratch:
        data = args.keep or Path(scratch)
        with fresh_database(args.database, data) as url:
            stack = Stack(data, url, simulator_args=("--delay", "0", "--seed", "1", "--no-attribute-events"))
            print("stack: embedded Temporal dev server (SQLite, journal_mode=wal, synchronous=normal),")
            print(f"       API on {args.database}, 1 worker, OSS simulator with zero delay; all on 127.0.0.1")
            stack.start()
            try:
                asyncio.run(run(stack, args))
            finally:
                stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
