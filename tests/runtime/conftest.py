"""Runtime tests run against both databases: a fresh SQLite file and a fresh PostgreSQL database each."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from runtime.api.app import create_app
from runtime.api.routes import ROUTES
from runtime.auth.keys import create_key
from runtime.auth.roles import Role
from runtime.bootstrap import Services, build_services
from runtime.config import Settings
from runtime.db.session import Database
from tests.runtime.support import Api

PG_ADMIN_DSN = os.environ.get("SWITCHBOARD_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


async def _pg(statement: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _migrated(url: str) -> None:
    database = Database(url)
    try:
        await database.migrate()
    finally:
        await database.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per test session; each test starts from a copy."""
    path = tmp_path_factory.mktemp("template") / "switchboard.db"
    asyncio.run(_migrated(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated once per test session; each test's database is a copy of it."""
    name = f"sb_template_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg(f'CREATE DATABASE "{name}"'))
    try:
        asyncio.run(_migrated(f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"))
        yield name
    finally:
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    # Copies of a migrated template keep the suite fast; the migrations themselves still run once per
    # session on each database, and `Services.start()` runs them again (a no-op at head).
    if request.param == "sqlite":
        path = tmp_path / "switchboard.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    name = f"sb_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        signing_secret="test-signing-secret",
        oss_callback_secret="test-oss-secret",
    )


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    built = build_services(settings)
    await built.start()
    try:
        yield built
    finally:
        await built.stop()


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[Api]:
    # The app runs its own loop inside the test client; the test talks to the database through its own
    # handle, because pooled asyncpg connections belong to the loop that opened them.
    app_services = build_services(settings)
    app = create_app(app_services, ROUTES)
    database = Database(settings.database_url)
    async with AsyncTestClient(app=app) as client:
        keys: dict[Role, str] = {}
        async with database.unit_of_work() as session:
            for role in Role:
                keys[role] = (await create_key(session, f"test {role.value}", role)).secret
        try:
            yield Api(client, database, keys)
        finally:
            await database.dispose()
