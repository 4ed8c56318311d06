"""`switchboard up`: the first command a new user runs. With no configuration it migrates the SQLite store
under ./data, publishes the sample catalog and sample customers when the store is empty, makes one API key
per role on first start, starts the embedded Temporal dev server, the OSS simulator and the order worker as
child processes (logs under data/logs), and serves the API on 127.0.0.1. Ctrl-C stops them all.

With `TEMPORAL_ADDRESS` set it uses that cluster instead of the embedded server. The simulator serves on the
port of `SWITCHBOARD_OSS_URL` (default 8090); with a real OSS there, pass `--no-simulator`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from sqlalchemy import func, select

from engine.spec.loader import read_folder
from runtime.auth.keys import create_key
from runtime.auth.models import ApiKey
from runtime.auth.roles import Role
from runtime.bootstrap import Services, build_services
from runtime.cli_store import operator
from runtime.config import Settings
from runtime.customers.sample import seed_sample_customers
from runtime.supervisor import Child, ProcessGroup, switchboard_command
from runtime.temporal.devserver import EmbeddedTemporal

SAMPLE_RELEASES = ("2026.1", "2026.2")
SAMPLE_CATALOG = Path(__file__).resolve().parent.parent / "catalog_specs"
KEYS_FILE = "api-keys.env"


def register(commands: Any) -> None:
    up = commands.add_parser(
        "up", help="set up the store (sample catalog, keys) and serve the API on 127.0.0.1"
    )
    up.add_argument("--port", type=int, help="default 8080 or SWITCHBOARD_PORT")
    up.add_argument(
        "--no-sample", action="store_true", help="do not publish the sample catalog and customers"
    )
    up.add_argument("--no-simulator", action="store_true", help="do not start the OSS simulator")
    up.add_argument("--no-worker", action="store_true", help="do not start the order worker")
    up.set_defaults(handler=run_up)


async def _publish_sample(services: Services) -> list[str]:
    async with services.database.sessions() as session:
        if await services.catalog.releases(session):
            return []
    published = []
    for name in SAMPLE_RELEASES:
        folder = SAMPLE_CATALOG / name
        sources, unreadable = read_folder(folder)
        if unreadable:
            raise SystemExit("\n".join(map(str, unreadable)))
        async with services.database.unit_of_work() as session:
            info = await services.catalog.publish(session, operator(), sources, origin=str(folder))
        published.append(f"{info.id} (effective {info.effectiveDate:%Y-%m-%d})")
    async with services.database.unit_of_work() as session:
        await seed_sample_customers(session)
    return published


async def _first_keys(services: Services, keys_file: Path) -> bool:
    """One key per role on the very first start, written to a file only the user can read."""
    async with services.database.sessions() as session:
        if (await session.execute(select(func.count()).select_from(ApiKey))).scalar_one():
            return False
    lines = ["# Switchboard API keys made by `switchboard up` (one per role). Keep this file private."]
    async with services.database.unit_of_work() as session:
        for role in Role:
            issued = await create_key(session, f"{role.value} (made by switchboard up)", role)
            lines.append(f"export SB_{role.value.upper()}_KEY={issued.secret}")
    fd = os.open(keys_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return True


async def _prepare(settings: Settings, sample: bool) -> tuple[list[str], bool]:
    services = build_services(settings)
    await services.database.migrate()
    try:
        published = await _publish_sample(services) if sample else []
        made_keys = await _first_keys(services, settings.data_dir / KEYS_FILE)
        return published, made_keys
    finally:
        services.catalog.close()
        await services.database.dispose()


def _banner(settings: Settings, port: int, published: list[str], made_keys: bool, parts: list[str]) -> str:
    base = f"http://{settings.host}:{port}"
    keys = settings.data_dir / KEYS_FILE
    database = "SQLite " + settings.database_url.split("///", 1)[-1] if settings.is_sqlite else "PostgreSQL"
    lines = [
        "Switchboard is starting",
        f"  API          {base}",
        f"  OpenAPI      {base}/schema (Swagger UI: {base}/schema/swagger)",
        f"  database     {database}",
        *parts,
        f"  logs         {settings.data_dir / 'logs'}",
    ]
    if published:
        lines.append(f"  published    sample catalog releases {', '.join(published)} and sample customers")
    if made_keys:
        lines.append(f"  API keys     one per role written to {keys} (mode 0600): `source {keys}`")
    else:
        lines.append(f"  API keys     see {keys} if `up` made them, or make one:")
    lines.append(
        "               switchboard apikey create --role channel|product_manager|oss|admin --name NAME"
    )
    return "\n".join(lines)


def _start_temporal(settings: Settings, parts: list[str]) -> tuple[Settings, EmbeddedTemporal | None]:
    if settings.temporal_address:
        parts.append(f"  Temporal     {settings.temporal_address} (external, TEMPORAL_ADDRESS)")
        return settings, None
    temporal = EmbeddedTemporal(settings.data_dir, port=settings.temporal_port, ui=True)
    temporal.start()
    parts.append(
        f"  Temporal     {temporal.address} (embedded dev server, {settings.data_dir / 'temporal.db'})"
    )
    parts.append(f"  Temporal UI  http://127.0.0.1:{temporal.ui_port}")
    return replace(settings, temporal_address=temporal.address), temporal


def _start_children(
    settings: Settings, api_port: int, args: argparse.Namespace, group: ProcessGroup, parts: list[str]
) -> None:
    env = {"TEMPORAL_ADDRESS": settings.temporal_address, "SWITCHBOARD_DATA_DIR": str(settings.data_dir)}
    logs = settings.data_dir / "logs"
    if not args.no_simulator:
        oss_port = urlsplit(settings.oss_url).port or 8090
        command = switchboard_command(
            "oss-simulator", "--port", str(oss_port), "--callback-url", f"http://{settings.host}:{api_port}"
        )
        group.start(Child("OSS simulator", command, env, port=oss_port, log=logs / "oss-simulator.log"))
        parts.append(f"  OSS sim      {settings.oss_url} (TMF641; callbacks to the API)")
    if not args.no_worker:
        group.start(Child("worker", switchboard_command("worker"), env, log=logs / "worker.log"))
        parts.append(f"  worker       order workflows on {settings.temporal_address}")


def run_up(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    port = args.port or settings.port
    published, made_keys = asyncio.run(_prepare(settings, sample=not args.no_sample))
    parts: list[str] = []
    group = ProcessGroup()
    temporal: EmbeddedTemporal | None = None
    try:
        settings, temporal = _start_temporal(settings, parts)
        # The API process reads its settings from the environment, as the worker does.
        os.environ["TEMPORAL_ADDRESS"] = settings.temporal_address
        _start_children(settings, port, args, group, parts)
        print(_banner(settings, port, published, made_keys, parts), flush=True)
        uvicorn.run(
            "runtime.api.asgi:create",
            factory=True,
            host=settings.host,
            port=port,
            log_level="info",
            access_log=False,  # access lines would carry query strings; requests are audited instead
        )
    finally:
        group.stop()
        if temporal is not None:
            temporal.stop()
    return 0
