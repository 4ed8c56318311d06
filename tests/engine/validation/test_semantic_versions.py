from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from engine.spec.common import Kind, SourceInfo, TimePeriod
from engine.spec.release import CatalogRelease, ReleaseManifest
from engine.validation.semantic import check_release, check_releases
from tests.engine.validation.catalog import T0, Swap, at, eur

JULY = T0 + timedelta(days=181)


def test_overlapping_versions_of_one_entity_are_reported(base: CatalogRelease, swap: Swap) -> None:
    monthly = base.price("fibre-500-monthly")
    spring = replace(monthly, validFor=TimePeriod(T0, JULY + timedelta(days=1)))
    summer = replace(
        monthly,
        version="2",
        price=eur("44.99"),
        validFor=TimePeriod(JULY),
        source=at("$.spec.validFor", 4, 3),
    )

    errors = check_release(swap(spring, summer))

    assert [(e.code, e.line, e.path) for e in errors] == [("OVERLAPPING_VERSIONS", 4, "$.spec.validFor")]
    assert "overlaps version 1 of ProductOfferingPrice fibre-500-monthly" in errors[0].message
    assert check_release(swap(replace(spring, validFor=TimePeriod(T0, JULY)), summer)) == ()


def test_open_ended_versions_always_overlap(base: CatalogRelease, swap: Swap) -> None:
    monthly = base.price("fibre-500-monthly")
    second = replace(monthly, version="2", validFor=TimePeriod(JULY))

    assert [e.code for e in check_release(swap(monthly, second))] == ["OVERLAPPING_VERSIONS"]


def test_one_version_declared_twice_is_reported(base: CatalogRelease) -> None:
    monthly = base.price("fibre-500-monthly")
    twice = replace(base, entities=(*base.entities, replace(monthly, source=at("$.metadata.version", 3))))

    errors = check_release(twice)

    assert [(e.code, e.line) for e in errors] == [("DUPLICATE_ENTITY_VERSION", 3)]


def test_entity_edited_without_a_new_version_is_refused_across_releases(base: CatalogRelease) -> None:
    source = SourceInfo("2026.2/prices.yaml", {"$.metadata.version": (4, 12)}, digest="b")
    edited = replace(base.price("fibre-500-monthly"), price=eur("44.99"), source=source)
    manifest: ReleaseManifest = replace(base.manifest, id="2026.2", effectiveDate=JULY)
    kept = tuple(e for e in base.entities if e.key != edited.key)
    later = replace(base, manifest=manifest, entities=(*kept, edited))

    errors = check_releases([base, later])

    assert [(e.code, e.file, e.line, e.column) for e in errors] == [
        ("CHANGED_WITHOUT_NEW_VERSION", "2026.2/prices.yaml", 4, 12)
    ]
    assert "differs from the same version in release 2026.1" in errors[0].message
    assert "a published entity never changes: a change is a new version" in errors[0].message
    renumbered = replace(base, manifest=manifest, entities=(*kept, replace(edited, version="2")))
    assert check_releases([base, renumbered]) == ()


def test_equal_digests_mean_unchanged_even_when_files_moved(base: CatalogRelease) -> None:
    monthly = base.price("fibre-500-monthly")
    before = replace(monthly, source=SourceInfo("a.yaml", digest="same"))
    after = replace(monthly, source=SourceInfo("moved/b.yaml", digest="same"))
    first = replace(base, entities=(*(e for e in base.entities if e.key != monthly.key), before))
    second = replace(
        first, manifest=replace(base.manifest, id="2026.2"), entities=(*first.entities[:-1], after)
    )

    assert check_releases([first, second]) == ()
    changed = replace(after, source=SourceInfo("moved/b.yaml", digest="other"))
    third = replace(second, entities=(*first.entities[:-1], changed))
    assert [e.code for e in check_releases([first, third])] == ["CHANGED_WITHOUT_NEW_VERSION"]


def test_check_releases_reports_the_errors_of_each_release(base: CatalogRelease, swap: Swap) -> None:
    renumbered = replace(base.offering("fibre-500"), version="2", orderFlow="nothing")
    broken = swap(renumbered, drop=((Kind.ProductOffering, "fibre-500"),))

    assert [e.code for e in check_releases([base, broken])] == ["UNRESOLVED_REFERENCE"]
