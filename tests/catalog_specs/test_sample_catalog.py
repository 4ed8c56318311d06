"""The sample operator catalog in catalog_specs/: both releases load, validate, price and plan as documented."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.diff import diff_releases
from engine.eligibility import EligibilityEngine
from engine.examples import run_examples
from engine.facts import ItemAction
from engine.orderflow import PlanItem, plan_order
from engine.spec.common import Kind
from engine.spec.loader import load_release
from engine.spec.product import ProductOffering
from engine.spec.release import CatalogRelease
from engine.validation.semantic import check_releases

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog_specs"
RELEASES = ("2026.1", "2026.2")
SCHEMA_COMMENT = re.compile(r"# yaml-language-server: \$schema=(\S+/engine/spec/schemas/(\w+)\.schema\.json)")


def _load(name: str) -> CatalogRelease:
    result = load_release(CATALOG / name)
    assert result.release is not None, result.report
    return result.release


@pytest.fixture(scope="module")
def releases() -> dict[str, CatalogRelease]:
    return {name: _load(name) for name in RELEASES}


def test_both_releases_pass_semantic_validation_together(releases: dict[str, CatalogRelease]) -> None:
    assert check_releases([releases[name] for name in RELEASES]) == ()


def test_first_release_sells_at_least_thirty_offerings_each_with_examples(
    releases: dict[str, CatalogRelease],
) -> None:
    offerings = list(releases["2026.1"].all(ProductOffering))
    assert len(offerings) >= 30
    assert [o.id for o in offerings if not o.examples] == []


@pytest.mark.parametrize("name", RELEASES)
def test_every_file_names_the_schema_of_its_kind(name: str) -> None:
    for file in sorted((CATALOG / name).rglob("*.yaml")):
        first_line = file.read_text(encoding="utf-8").splitlines()[0]
        match = SCHEMA_COMMENT.fullmatch(first_line)
        assert match, f"{file}: no schema comment on the first line"
        assert (file.parent / match.group(1)).resolve().is_file(), f"{file}: the schema path does not resolve"
        assert re.search(rf"^kind: {match.group(2)}$", file.read_text(encoding="utf-8"), re.MULTILINE), file


@pytest.mark.parametrize("name", RELEASES)
def test_every_example_qualifies_and_prices_as_written(
    releases: dict[str, CatalogRelease], name: str
) -> None:
    release = releases[name]
    engine = EligibilityEngine(release)
    failures = [
        f"{o.offering.id}@{o.offering.version} {o.example.name!r}: {'; '.join(o.mismatches)}"
        for o in run_examples(release, engine.qualify)
        if not o.passed
    ]
    assert failures == []


def test_only_the_documented_entities_change_in_the_second_release(
    releases: dict[str, CatalogRelease],
) -> None:
    old, new = (releases[name] for name in RELEASES)
    before = {str(e.key): e.source.digest for e in old.entities}
    after = {str(e.key): e.source.digest for e in new.entities}
    assert {key for key in before.keys() & after.keys() if before[key] != after[key]} == set()
    assert sorted(after.keys() - before.keys()) == [
        "ProductOffering/fibre-1000@2",
        "ProductOffering/fibre-500@2",
        "ProductOffering/mobile-5g-xs@2",
        "ProductOffering/roaming-eu-plus-day@2",
        "ProductOfferingPrice/fibre-1000-web-promo@1",
        "ProductOfferingPrice/fibre-500-monthly@2",
        "ProductOfferingPrice/roaming-eu-plus-day-price@2",
        "ProductOfferingPrice/roaming-eu-plus-day-price@3",
    ]


def test_diff_reports_the_price_raise_the_retirement_and_the_promotion(
    releases: dict[str, CatalogRelease],
) -> None:
    changes = diff_releases(*(releases[name] for name in RELEASES)).changes
    breaking = {(c.kind, c.id) for c in changes if c.breaking}
    assert (Kind.ProductOffering, "fibre-500") in breaking
    assert any(c.id == "mobile-5g-xs" and "retired" in c.description for c in changes)
    assert any(c.id == "fibre-1000-web-promo" and c.description.startswith("added") for c in changes)


@pytest.mark.parametrize("name", RELEASES)
def test_every_offering_plans_for_every_action(releases: dict[str, CatalogRelease], name: str) -> None:
    release = releases[name]
    at = datetime(2026, 7, 15, tzinfo=UTC)
    for offering in release.all(ProductOffering):
        for action in (ItemAction.add, ItemAction.modify, ItemAction.delete):
            plan_order(release, [PlanItem("1", offering.id, action)], at)


def test_iptv_in_a_converged_order_waits_for_the_fibre_line(releases: dict[str, CatalogRelease]) -> None:
    items = [
        PlanItem("1", "converged-home"),
        PlanItem("2", "fibre-1000"),
        PlanItem("3", "mobile-5g-m"),
        PlanItem("4", "tv-essential"),
        PlanItem("5", "tv-sports-premium"),
        PlanItem("6", "tv-extra-stb"),
        PlanItem("7", "tv-extra-stb"),
    ]
    plan = plan_order(releases["2026.2"], items, datetime(2026, 7, 15, tzinfo=UTC))
    assert "2/activate-access" in plan.step("4/activate-iptv").predecessors
    assert "4/activate-iptv" in plan.step("5/grant-entitlement").predecessors
    assert "4/activate-iptv" in plan.step("7/pair-stb").predecessors
