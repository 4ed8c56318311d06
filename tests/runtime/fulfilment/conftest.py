"""The sample catalog release 2026.2 and the sample customers, published into each test's database."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.spec.loader import read_folder
from runtime.bootstrap import Services
from runtime.cli_store import operator
from runtime.customers.sample import seed_sample_customers

RELEASE = Path(__file__).resolve().parents[3] / "catalog_specs" / "2026.2"


@pytest.fixture
async def published(services: Services) -> Services:
    sources, unreadable = read_folder(RELEASE)
    assert unreadable == []
    async with services.database.unit_of_work() as session:
        await services.catalog.publish(session, operator(), sources, origin=str(RELEASE))
        await seed_sample_customers(session)
    return services
