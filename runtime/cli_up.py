"""`switchboard up`: the first command a new user runs. With no configuration it migrates the SQLite store
under ./data, publishes the sample catalog and sample customers when the store is empty, makes one API key
per role on first start, and serves the API on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path
from typing import Any

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


def _banner(settings: Settings, port: int, published: list[str], made_keys: bool) -> str:
    base = f"http://{settings.host}:{port}"
    keys = settings.data_dir / KEYS_FILE
    database = "SQLite " + settings.database_url.split("///", 1)[-1] if settings.is_sqlite else "PostgreSQL"
    lines = [
        "Switchboard is starting",
        f"  API          {base}",
        f"  OpenAPI      {base}/schema (Swagger UI: {base}/schema/swagger)",
        f"  database     {database}",
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


def run_up(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    port = args.port or settings.port
    published, made_keys = asyncio.run(_prepare(settings, sample=not args.no_sample))
    print(_banner(settings, port, published, made_keys), flush=True)
    uvicorn.run(
        "runtime.api.asgi:create",
        factory=True,
        host=settings.host,
        port=port,
        log_level="info",
        access_log=False,  # access lines would carry query strings; requests are audited instead
    )
    return 0
