"""The database handle: one async engine per process, sessions per unit of work, migrations by Alembic."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    # WAL lets readers work while a writer commits; foreign keys are off by default in SQLite.
    # The driver's own implicit BEGIN is switched off: `_sqlite_begin` emits BEGIN itself.
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A write transaction takes SQLite's write lock up front (BEGIN IMMEDIATE) and waits for it
    # (busy_timeout). A deferred transaction that read first would instead fail with "database is locked"
    # as soon as another writer committed in between. Read-only sessions keep a plain, lock-free BEGIN.
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


WRITE_OPTION = "switchboard_write"


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.engine: AsyncEngine = create_async_engine(url, pool_pre_ping=not url.startswith("sqlite"))
        if url.startswith("sqlite"):
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one write lock for the whole file, and a writer that finds it taken sleeps in growing
        # steps (busy_timeout), so a process whose own requests race for it wastes most of its time asleep
        # and starves some past the timeout (503). Within a process, writers queue here instead; only
        # other processes (the worker, the CLI) still meet at SQLite's lock.
        self._writers = asyncio.Lock() if url.startswith("sqlite") else None

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """A session committed when the block succeeds and rolled back when it raises."""
        async with self._writers or nullcontext(), self.sessions() as session, session.begin():
            await session.connection(execution_options={WRITE_OPTION: True})
            yield session

    async def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade)

    async def dispose(self) -> None:
        await self.engine.dispose()


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
