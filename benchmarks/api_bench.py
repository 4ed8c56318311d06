"""HTTP benchmark of the API (issue 3): the 500-offering generated catalog served by uvicorn on loopback.

For each database (a fresh SQLite file, a fresh PostgreSQL database): publish the generated release
through the catalog service, make a channel API key, start the API as its own process
(`uvicorn --factory runtime.api.asgi:create` on 127.0.0.1, a free port), then measure
- max throughput, closed loop with N clients: `GET /health` (the baseline), the offering list (`?limit=20`)
  and an offering by a random id;
- latency at a fixed 100 requests/s, open loop: qualification (TMF679) and quote, random customers and
  carts with inline facts;
and print requests/s, p50, p99, errors by status and the API process's peak RSS against the targets.
Missed targets are reported, never a failure.

Run: `.venv/bin/python -m benchmarks.api_bench [--database sqlite|postgresql|both] [--duration S]`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import platform
import random
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import asyncpg

from benchmarks.api_load import (
    OPEN_LOOP_CONNECTIONS,
    Call,
    Outcome,
    closed_loop,
    fetch,
    open_loop,
    percentile,
)
from benchmarks.api_requests import (
    QUALIFICATION_PATH,
    QUOTE_PATH,
    offerings,
    qualification_call,
    quote_call,
    random_facts,
)
from benchmarks.catalog_gen import generate
from engine.spec.loader import read_folder
from runtime.api.routes import ROUTES
from runtime.auth.keys import create_key
from runtime.auth.roles import Role
from runtime.bootstrap import build_services
from runtime.catalog.tmf620_common import BASE_PATH
from runtime.cli_store import operator
from runtime.config import Settings
from runtime.supervisor import free_port

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
APP_FACTORY = "runtime.api.asgi:create"  # what `switchboard up` serves
PG_ADMIN_DSN = os.environ.get("SWITCHBOARD_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
OFFERINGS = f"{BASE_PATH}/productOffering"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# The targets, for a 2-core machine.
READ_TARGET_RPS = 400.0
LATENCY_TARGET_MS = 25.0
RSS_TARGET_MB = 300.0


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    calls: Sequence[Call]
    rate: float | None  # open loop at this many requests/s; None: closed loop, as fast as clients go
    target: str  # "" (the baseline), "rps" (>= READ_TARGET_RPS) or "p99" (<= LATENCY_TARGET_MS)


@dataclass(frozen=True, slots=True)
class Row:
    database: str
    scenario: Scenario
    outcome: Outcome
    server_cpu: float  # CPU seconds the API process used during the measured run
    rest_cpu: float  # CPU seconds of everything else but the load generator (PostgreSQL, other work)
    peak_rss_mb: float  # the API process's peak RSS since it started (VmHWM)

    @property
    def p50_ms(self) -> float:
        return percentile(self.outcome.latencies, 0.50) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.outcome.latencies, 0.99) * 1000

    def verdict(self) -> str:
        if self.scenario.target == "rps":
            wanted, met = f">= {READ_TARGET_RPS:.0f} req/s", self.outcome.throughput >= READ_TARGET_RPS
        elif self.scenario.target == "p99":
            wanted, met = f"p99 <= {LATENCY_TARGET_MS:.0f} ms", self.p99_ms <= LATENCY_TARGET_MS
        else:
            return "baseline"
        # A run with errors did not measure the route's real work, so it cannot meet its target.
        return f"{wanted}: {'met' if met and not self.outcome.errors else 'MISSED'}"


# Databases and setup


async def _pg(statement: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_DSN, timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def postgres_reachable() -> bool:
    try:
        asyncio.run(_pg("SELECT 1"))
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    return True


@contextmanager
def fresh_database(kind: str, workdir: Path) -> Iterator[str]:
    """The URL of a new, empty database; a PostgreSQL one is dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'switchboard.db'}"
        return
    name = f"sb_bench_{secrets.token_hex(6)}"
    asyncio.run(_pg(f'CREATE DATABASE "{name}"'))
    try:
        server = PG_ADMIN_DSN.split("://", 1)[1].rsplit("/", 1)[0]  # user@host:port
        yield f"postgresql+asyncpg://{server}/{name}"
    finally:
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def prepare(settings: Settings, release: Path) -> str:
    """Migrate, publish the generated release through the catalog service, make a channel key (returned)."""
    services = build_services(settings)
    await services.database.migrate()
    try:
        sources, unreadable = read_folder(release)
        if unreadable:
            raise SystemExit("\n".join(map(str, unreadable)))
        started = time.perf_counter()
        async with services.database.unit_of_work() as session:
            info = await services.catalog.publish(session, operator(), sources, origin=str(release))
        seconds = time.perf_counter() - started
        print(f"  published release {info.id}: {info.entityCount} entity versions in {seconds:.1f} s")
        async with services.database.unit_of_work() as session:
            return (await create_key(session, "api benchmark", Role.channel)).secret
    finally:
        services.catalog.close()
        await services.database.dispose()


# The API process


def start_server(settings: Settings, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SWITCHBOARD_DATA_DIR": str(settings.data_dir),
        "SWITCHBOARD_DATABASE_URL": settings.database_url,
        "SWITCHBOARD_SIGNING_SECRET": settings.signing_secret,
        "SWITCHBOARD_OSS_SECRET": settings.oss_callback_secret,
    }
    # No access log, as `switchboard up` serves: a line per request would cost more than /health itself.
    command = [sys.executable, "-m", "uvicorn", "--factory", APP_FACTORY, "--host", HOST, "--port", str(port)]
    command += ["--log-level", "warning", "--no-access-log"]
    with log.open("wb") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def memory_mb(pid: int, field: str = "VmHWM") -> float:
    """A figure of /proc/<pid>/status in MB: VmHWM is the peak resident set, VmRSS the current one."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def machine_busy() -> float:
    """CPU seconds all processes of the machine have used (busy time of /proc/stat)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / CLOCK_TICKS  # all but idle and iowait


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


async def status_of(port: int, raw: bytes) -> int:
    return (await fetch(HOST, port, raw))[0]


async def wait_ready(server: subprocess.Popen[bytes], port: int, health: bytes, log: Path) -> None:
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the API process exited with {server.returncode}:\n{log.read_text()}")
        if await status_of(port, health) == 200:
            return
        await asyncio.sleep(0.2)
    raise SystemExit(f"the API did not answer /health within 60 s:\n{log.read_text()}")


# Scenarios and runs


def scenarios(
    gettable: Sequence[str], sellable: Sequence[str], day: date, args: argparse.Namespace
) -> list[Scenario]:
    rng = random.Random(args.seed)
    chosen = [
        Scenario("GET /health (baseline)", [Call("GET", "/health")], None, ""),
        Scenario("GET productOffering?limit=20", [Call("GET", f"{OFFERINGS}?limit=20")], None, "rps"),
        Scenario(
            "GET productOffering/{id}", [Call("GET", f"{OFFERINGS}/{i}") for i in gettable], None, "rps"
        ),
    ]
    paths = {path for handler in ROUTES for path in handler.paths}
    # Pre-generated, so the load generator spends no CPU drawing requests while it measures.
    facts = [
        random_facts(rng, sellable, day) for _ in range(int(args.rate * (args.duration + args.warmup)) + 1)
    ]
    if QUALIFICATION_PATH in paths:
        chosen.append(
            Scenario("POST qualification (TMF679)", [qualification_call(f) for f in facts], args.rate, "p99")
        )
    if QUOTE_PATH in paths:
        chosen.append(Scenario("POST quote", [quote_call(f) for f in facts], args.rate, "p99"))
    return chosen


async def measure(
    scenario: Scenario, pid: int, port: int, key: str, args: argparse.Namespace
) -> tuple[Outcome, float, float]:
    """The outcome, the API process's CPU seconds and everything else's (the generator's excluded)."""
    requests = [call.encode(f"{HOST}:{port}", key) for call in scenario.calls]
    if scenario.rate is None:
        await closed_loop(HOST, port, requests, args.clients, args.warmup, args.seed)  # warm-up, discarded
        before, busy = cpu_seconds(pid), machine_busy()
        outcome = await closed_loop(HOST, port, requests, args.clients, args.duration, args.seed)
    else:
        warm = int(args.rate * args.warmup)
        await open_loop(HOST, port, requests[-warm:], args.rate, args.warmup)  # warm-up, discarded
        before, busy = cpu_seconds(pid), machine_busy()
        outcome = await open_loop(HOST, port, requests[:-warm] or requests, args.rate, args.duration)
    server = cpu_seconds(pid) - before
    return outcome, server, machine_busy() - busy - server - outcome.client_cpu


async def load(
    database: str,
    server: subprocess.Popen[bytes],
    port: int,
    key: str,
    release: Path,
    args: argparse.Namespace,
) -> list[Row]:
    host = f"{HOST}:{port}"
    every, sellable = offerings(release)
    # One get per offering: warms the loaded-release cache and keeps the ids a get finds in effect now.
    gettable = [
        i for i in every if await status_of(port, Call("GET", f"{OFFERINGS}/{i}").encode(host, key)) == 200
    ]
    print(
        f"  {len(gettable)} of {len(every)} offerings answer a get; API process RSS {memory_mb(server.pid, 'VmRSS'):.0f} MB"
    )
    rows = []
    for scenario in scenarios(gettable, sellable, date.today(), args):
        outcome, server_cpu, rest_cpu = await measure(scenario, server.pid, port, key, args)
        row = Row(database, scenario, outcome, server_cpu, rest_cpu, memory_mb(server.pid))
        rows.append(row)
        print(
            f"  {scenario.name}: {outcome.throughput:.0f} req/s, p50 {row.p50_ms:.1f} ms, p99 {row.p99_ms:.1f} ms",
            flush=True,
        )
        for status, body in outcome.samples.items():
            print(f"    first {status or 'connection error'}: {body.decode(errors='replace')}")
    return rows


def bench_database(kind: str, release: Path, args: argparse.Namespace) -> list[Row]:
    print(f"== {kind}", flush=True)
    with tempfile.TemporaryDirectory(prefix="sb-api-bench-") as tmp, fresh_database(kind, Path(tmp)) as url:
        settings = Settings(
            data_dir=Path(tmp),
            database_url=url,
            signing_secret=secrets.token_hex(32),
            oss_callback_secret=secrets.token_hex(32),
        )
        key = asyncio.run(prepare(settings, release))
        port, log = free_port(), Path(tmp) / "api.log"
        server = start_server(settings, port, log)
        try:
            asyncio.run(wait_ready(server, port, Call("GET", "/health").encode(f"{HOST}:{port}", key), log))
            return asyncio.run(load(kind, server, port, key, release, args))
        finally:
            stop_server(server)


# Report


def report(rows: Sequence[Row], args: argparse.Namespace, peaks: dict[str, float]) -> None:
    loops = importlib.util.find_spec("uvloop") is not None
    parsers = importlib.util.find_spec("httptools") is not None
    print()
    print(
        f"API: uvicorn 1 process, {APP_FACTORY}, loop {'uvloop' if loops else 'asyncio'}, "
        f"HTTP {'httptools' if parsers else 'h11'}; Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    print(
        f"load: closed loop {args.clients} keep-alive clients; open loop {args.rate:.0f} req/s over at most "
        f"{OPEN_LOOP_CONNECTIONS} connections, latency from the scheduled send time; "
        f"{args.duration:.0f} s each after {args.warmup:.0f} s warm-up; generator on the same machine"
    )
    header = f"{'database':<10} {'scenario':<30} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>10} {'API cpu':>8} {'gen cpu':>8} {'rest cpu':>8}  target"
    print(header)
    print("-" * len(header))
    for row in rows:
        errors = ",".join(f"{s}:{n}" for s, n in row.outcome.errors.items()) or "0"
        elapsed = row.outcome.elapsed or 1.0
        print(
            f"{row.database:<10} {row.scenario.name:<30} {row.outcome.throughput:>7.0f} {row.p50_ms:>8.2f} "
            f"{row.p99_ms:>8.2f} {errors:>10} {row.server_cpu / elapsed:>7.0%} "
            f"{row.outcome.client_cpu / elapsed:>7.0%} {row.rest_cpu / elapsed:>8.0%}  {row.verdict()}"
        )
    for database, peak in peaks.items():
        verdict = "met" if peak <= RSS_TARGET_MB else "MISSED"
        print(
            f"{database:<10} API process peak RSS (VmHWM) {peak:.0f} MB: <= {RSS_TARGET_MB:.0f} MB: {verdict}"
        )
    print(
        "errors: non-2xx answers by status (0: no answer). cpu: share of one core during the run; API: the "
        "uvicorn process, gen: this load generator, rest: everything else (PostgreSQL, other work on the "
        "machine: well above 0 on SQLite means the figures are disturbed)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds measured per scenario")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured load before each")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients of the closed-loop runs")
    parser.add_argument("--rate", type=float, default=100.0, help="requests/s of the open-loop runs")
    parser.add_argument("--offerings", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    if "postgresql" in kinds and not postgres_reachable():
        if args.database == "postgresql":
            raise SystemExit(f"PostgreSQL is not reachable at {PG_ADMIN_DSN} (SWITCHBOARD_BENCH_PG)")
        print(f"PostgreSQL is not reachable at {PG_ADMIN_DSN}: skipped (set SWITCHBOARD_BENCH_PG)")
        kinds.remove("postgresql")
    rows: list[Row] = []
    peaks: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="sb-api-catalog-") as catalog:
        count = generate(Path(catalog), args.offerings)
        print(f"generated a release of {count} offerings")
        for kind in kinds:
            measured = bench_database(kind, Path(catalog), args)
            rows += measured
            peaks[kind] = max((row.peak_rss_mb for row in measured), default=float("nan"))
    report(rows, args, peaks)


if __name__ == "__main__":
    main()
