"""The catalog store's releases: publishing whole or not at all, immutability, export, the release in effect."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.spec.loader import load_release, read_folder
from engine.validation.semantic.codes import SemanticCode
from runtime.api.errors import Conflict, NotFound
from runtime.audit.models import AuditRecord
from runtime.auth.roles import Principal, Role
from runtime.bootstrap import Services
from runtime.catalog.contracts import ReleaseInfo
from runtime.catalog.export import write_release
from runtime.catalog.models import ReleaseDocumentRow
from runtime.catalog.publishing import ReleaseRefused
from runtime.catalog.service import CatalogService, ReleaseStatus

CATALOG = Path(__file__).resolve().parents[3] / "catalog_specs"
PM = Principal("k-pm", "Pat the product manager", Role.product_manager)


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 1, tzinfo=UTC))


@pytest.fixture
def catalog(clock: Clock) -> Iterator[CatalogService]:
    service = CatalogService(clock=clock)
    yield service
    service.close()


async def publish(
    services: Services, catalog: CatalogService, folder: Path, effective_date: datetime | None = None
) -> ReleaseInfo:
    sources, unreadable = read_folder(folder)
    assert unreadable == []
    async with services.database.unit_of_work() as session:
        return await catalog.publish(session, PM, sources, origin=str(folder), effective_date=effective_date)


def copy_release(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(CATALOG / name, tmp_path / name))


async def test_both_sample_releases_publish_and_are_listed_with_dates_and_hashes(
    services: Services, catalog: CatalogService
) -> None:
    first = await publish(services, catalog, CATALOG / "2026.1")
    second = await publish(services, catalog, CATALOG / "2026.2")  # checked against 2026.1 as published
    async with services.database.sessions() as session:
        listed = await catalog.releases(session)
        actions = (await session.execute(select(AuditRecord.action, AuditRecord.entity_id))).all()
    assert listed == [first, second]
    for info, name in ((first, "2026.1"), (second, "2026.2")):
        loaded = load_release(CATALOG / name).release
        assert loaded is not None
        assert (info.id, info.contentHash, info.effectiveDate) == (
            name,
            loaded.contentHash,
            loaded.effectiveDate,
        )
        assert info.entityCount == len(loaded.entities) and info.publishedBy == PM.name
    assert sorted(actions) == [("release.publish", "2026.1"), ("release.publish", "2026.2")]


async def test_export_then_import_gives_the_same_hash(
    services: Services, catalog: CatalogService, tmp_path: Path
) -> None:
    info = await publish(services, catalog, CATALOG / "2026.2")
    async with services.database.sessions() as session:
        files = await catalog.export(session, "2026.2")
    write_release(files, tmp_path / "exported")
    reloaded = load_release(tmp_path / "exported")
    assert reloaded.release is not None, reloaded.report
    assert reloaded.release.contentHash == info.contentHash
    with pytest.raises(Conflict) as refused:  # the export is the very release: already published
        await publish(services, catalog, tmp_path / "exported")
    assert refused.value.code == "RELEASE_ALREADY_PUBLISHED"
    with pytest.raises(Conflict, match="not an empty folder"):
        write_release(files, tmp_path / "exported")


async def test_a_broken_folder_is_refused_whole_with_located_errors(
    services: Services, catalog: CatalogService, tmp_path: Path
) -> None:
    folder = copy_release("2026.1", tmp_path)
    offering = folder / "offerings" / "add-ons" / "digital-newsstand.yaml"
    offering.write_text(
        offering.read_text().replace(
            "[digital-newsstand-monthly]", "[digital-newsstand-monthly, no-such-price]"
        )
    )
    television = folder / "offerings" / "tv" / "tv-essential.yaml"
    television.write_text(television.read_text().replace("category: [tv]", "category: [television]"))
    with pytest.raises(ReleaseRefused) as refused:
        await publish(services, catalog, folder)
    errors = {(error.file, error.code): error for error in refused.value.report}
    dangling = errors[(str(offering), SemanticCode.UNRESOLVED_REFERENCE)]
    assert dangling.line > 1 and "no-such-price" in dangling.message
    assert errors[(str(television), SemanticCode.UNRESOLVED_REFERENCE)].line == 15
    assert refused.value.status == 422 and f"{offering}:{dangling.line}:" in refused.value.message
    async with services.database.sessions() as session:
        assert await catalog.releases(session) == []
        assert await session.scalar(select(func.count()).select_from(ReleaseDocumentRow)) == 0
        assert await session.scalar(select(func.count()).select_from(AuditRecord)) == 0


async def test_an_edited_published_entity_version_is_refused(
    services: Services, catalog: CatalogService, tmp_path: Path
) -> None:
    await publish(services, catalog, CATALOG / "2026.1")
    folder = copy_release("2026.2", tmp_path)
    price = folder / "prices" / "add-ons" / "digital-newsstand-monthly.yaml"
    price.write_text(price.read_text().replace("600 newspapers", "700 newspapers"))
    with pytest.raises(ReleaseRefused) as refused:
        await publish(services, catalog, folder)
    [error] = refused.value.report.errors
    assert (error.file, error.code) == (str(price), SemanticCode.CHANGED_WITHOUT_NEW_VERSION)
    assert "release 2026.1" in error.message


async def test_a_release_id_is_published_once(
    services: Services, catalog: CatalogService, tmp_path: Path
) -> None:
    await publish(services, catalog, CATALOG / "2026.1")
    with pytest.raises(Conflict) as same:
        await publish(services, catalog, CATALOG / "2026.1")
    assert same.value.code == "RELEASE_ALREADY_PUBLISHED" and "already published" in same.value.message
    folder = copy_release("2026.1", tmp_path)
    manifest = folder / "release.yaml"
    manifest.write_text(manifest.read_text().replace("first half 2026", "first half of 2026"))
    with pytest.raises(Conflict) as other:
        await publish(services, catalog, folder)
    assert other.value.code == "RELEASE_ID_TAKEN"


async def test_a_future_dated_release_takes_effect_by_itself_at_its_date(
    services: Services, catalog: CatalogService, clock: Clock
) -> None:
    clock.moment = datetime(2025, 12, 1, tzinfo=UTC)
    await publish(services, catalog, CATALOG / "2026.1")
    await publish(services, catalog, CATALOG / "2026.2")
    async with services.database.sessions() as session:
        with pytest.raises(NotFound):
            await catalog.active(session)
        clock.moment = datetime(2026, 6, 30, 23, 59, tzinfo=UTC)
        assert (await catalog.active(session)).release.id == "2026.1"
        assert await catalog.statuses(session) == {
            "2026.1": ReleaseStatus.inEffect,
            "2026.2": ReleaseStatus.scheduled,
        }
        clock.moment = datetime(2026, 7, 1, tzinfo=UTC)
        assert (await catalog.active(session)).release.id == "2026.2"
        assert (await catalog.release_in_effect(session, datetime(2026, 2, 1, tzinfo=UTC))).id == "2026.1"
        assert (await catalog.statuses(session))["2026.1"] is ReleaseStatus.superseded


async def test_an_effective_date_given_at_publish_is_the_releases_own(
    services: Services, catalog: CatalogService, tmp_path: Path
) -> None:
    moment = datetime(2025, 12, 15, 6, 30, tzinfo=UTC)
    info = await publish(services, catalog, CATALOG / "2026.1", effective_date=moment)
    async with services.database.sessions() as session:
        write_release(await catalog.export(session, "2026.1"), tmp_path / "out")
    exported, original = load_release(tmp_path / "out").release, load_release(CATALOG / "2026.1").release
    assert exported is not None and original is not None
    assert info.effectiveDate == exported.effectiveDate == moment
    assert info.contentHash == exported.contentHash != original.contentHash
