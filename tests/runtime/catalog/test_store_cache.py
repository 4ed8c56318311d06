"""The loaded-release cache: one build per release, least recently used out, evicted engines closed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.errors import EngineError
from engine.facts import EvaluationRequest
from engine.spec.loader import read_folder
from engine.spec.product import ProductOffering, QualificationOutcome
from runtime.auth.roles import Principal, Role
from runtime.bootstrap import Services
from runtime.catalog.cache import ReleaseCache
from runtime.catalog.contracts import ActiveRelease
from runtime.catalog.service import CatalogService

CATALOG = Path(__file__).resolve().parents[3] / "catalog_specs"
PM = Principal("k-pm", "Pat", Role.product_manager)
QUALIFIED = QualificationOutcome.qualified


@pytest.fixture
def catalog() -> Iterator[CatalogService]:
    service = CatalogService(clock=lambda: datetime(2026, 8, 1, tzinfo=UTC), cache=ReleaseCache(capacity=1))
    yield service
    service.close()


@pytest.fixture
async def published(services: Services, catalog: CatalogService) -> Services:
    for name in ("2026.1", "2026.2"):
        sources, _ = read_folder(CATALOG / name)
        async with services.database.unit_of_work() as session:
            await catalog.publish(session, PM, sources)
    return services


def example_request(active: ActiveRelease) -> EvaluationRequest:
    return active.release.get(ProductOffering, "digital-newsstand").examples[0].request


async def test_an_evicted_release_is_closed_which_frees_its_rulesets(
    published: Services, catalog: CatalogService
) -> None:
    async with published.database.sessions() as session:
        first = await catalog.active(session, "2026.1")
        assert first.eligibility.qualify(example_request(first)).qualificationResult is QUALIFIED
        second = await catalog.active(session)  # the one in effect: 2026.2, and 2026.1 goes
        assert second.info.id == "2026.2" and catalog.cache.cached() == ["2026.2"]
        with pytest.raises(EngineError, match="closed"):
            first.eligibility.qualify(example_request(first))
        assert (catalog.cache.stats.built, catalog.cache.stats.closed) == (2, 1)
        again = await catalog.active(session, "2026.1")
    assert (
        again is not first
        and again.eligibility.qualify(example_request(again)).qualificationResult is QUALIFIED
    )
    assert (catalog.cache.stats.built, catalog.cache.stats.closed) == (3, 2)


async def test_a_leased_release_is_closed_only_when_its_lease_ends(
    published: Services, catalog: CatalogService
) -> None:
    async with published.database.sessions() as session, catalog.lease(session, "2026.1") as leased:
        await catalog.active(session, "2026.2")
        assert catalog.cache.cached() == ["2026.2"] and catalog.cache.stats.closed == 0
        assert leased.eligibility.qualify(example_request(leased)).qualificationResult is QUALIFIED
    assert catalog.cache.stats.closed == 1
    with pytest.raises(EngineError, match="closed"):
        leased.eligibility.qualify(example_request(leased))


async def test_concurrent_requests_for_a_release_build_it_once(
    published: Services, catalog: CatalogService
) -> None:
    async def load() -> ActiveRelease:
        async with published.database.sessions() as session:
            return await catalog.active(session, "2026.1")

    results = await asyncio.gather(*(load() for _ in range(4)))
    assert all(result is results[0] for result in results)
    assert catalog.cache.stats.built == 1


async def test_a_cached_release_is_served_without_rebuilding(
    published: Services, catalog: CatalogService
) -> None:
    async with published.database.sessions() as session:
        first = await catalog.active(session)
        assert await catalog.active(session, "2026.2") is first
    assert catalog.cache.stats.built == 1
