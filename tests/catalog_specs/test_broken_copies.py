"""Broken copies of the sample catalog: each fails with the right error, at the right file, line and path."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.validation.pipeline import validate_catalog
from engine.validation.report import SpecError

SAMPLE = Path(__file__).resolve().parents[2] / "catalog_specs" / "2026.1"


@dataclass(frozen=True)
class Breakage:
    name: str
    file: str  # relative to the release folder
    old: str
    new: str
    code: str
    path: str  # JSON path the error must name (a prefix is enough for nested paths)
    marker: str | None = None  # text on the line the error must point at; defaults to `new`
    error_file: str | None = None  # where the error is reported, when not in the broken file itself


BREAKAGES = [
    Breakage(
        "unknown field",
        "prices/broadband/fibre-500-monthly.yaml",
        "  price: {unit",
        "  prce: {unit",
        "UNKNOWN_FIELD",
        "$.spec.prce",
    ),
    Breakage(
        "money that is not a number",
        "prices/broadband/fibre-500-monthly.yaml",
        '"39.99"',
        '"39,99"',
        "INVALID_VALUE",
        "$.spec.price.value",
    ),
    Breakage(
        "YAML syntax",
        "prices/broadband/fibre-500-monthly.yaml",
        "  priceType: recurring",
        "  priceType: [recurring",
        "YAML_SYNTAX",
        "$",
        marker=None,
    ),
    Breakage(
        "a reference to nothing",
        "offerings/tv/tv-essential.yaml",
        "productOfferingPrice: [tv-essential-monthly]",
        "productOfferingPrice: [tv-essential-monthly, tv-essential-yearly]",
        "UNRESOLVED_REFERENCE",
        "$.spec.productOfferingPrice[1]",
    ),
    Breakage(
        "a requires cycle",
        "offerings/tv/tv-essential.yaml",
        "    - {id: home-5g-internet, relationshipType: excludes}",
        "    - {id: home-5g-internet, relationshipType: excludes}\n    - {id: tv-sports-premium, relationshipType: requires}",
        "REQUIRES_CYCLE",
        "$.spec.productOfferingRelationship",
        marker="tv-sports-premium, relationshipType: requires",
    ),
    Breakage(
        "an order-flow cycle",
        "flows/fibre-line.yaml",
        "        compensation: {action: delete}\n        timeout: PT1H",
        "        compensation: {action: delete}\n        dependsOn: [activate-access]\n        timeout: PT1H",
        "ORDER_FLOW_CYCLE",
        "$.spec.actions.add",
        # a cycle is reported once, where its alphabetically first step starts it
        marker="dependsOn: [install-ont, ship-router]",
    ),
    Breakage(
        "bundle cardinality that cannot be met",
        "offerings/bundles/business-office-pack.yaml",
        "numberRelOfferLowerLimit: 1, numberRelOfferUpperLimit: 10, numberRelOfferDefault: 3",
        "numberRelOfferLowerLimit: 12, numberRelOfferUpperLimit: 10, numberRelOfferDefault: 3",
        "BUNDLE_CARDINALITY",
        "$.spec.bundledProductOffering[1]",
        marker="numberRelOfferLowerLimit: 12",
    ),
    Breakage(
        "a price for a characteristic value that does not exist",
        "prices/enterprise/enterprise-slice-monthly.yaml",
        '{values: [bronze, "100"]',
        '{values: [platinum, "100"]',
        "MATRIX_VALUE_NOT_ADMITTED",
        "$.spec.matrix.rows[0]",
    ),
    Breakage(
        "mixed currencies in one offering",
        "prices/broadband/fibre-500-monthly.yaml",
        "unit: EUR",
        "unit: GBP",
        "MIXED_CURRENCIES",
        "$.spec.productOfferingPrice",
        error_file="offerings/broadband/fibre-500.yaml",
        marker="productOfferingPrice:",
    ),
    Breakage(
        "a rule on a fact the fact model does not have",
        "policies/broadband-required.yaml",
        "{fact: account.status, operator: equal, value: active}",
        "{fact: account.standing, operator: equal, value: active}",
        "UNKNOWN_FACT",
        "$.spec.rules[0]",
    ),
    Breakage(
        "an example whose expected price is wrong",
        "offerings/tv/tv-essential.yaml",
        'recurringTotal: {month: "12.50"}',
        'recurringTotal: {month: "12.55"}',
        "EXAMPLE_MISMATCH",
        "$.spec.examples[0]",
        marker=None,
    ),
]


def _broken_copy(tmp_path: Path, breakage: Breakage) -> Path:
    release = tmp_path / "2026.1"
    shutil.copytree(SAMPLE, release)
    target = release / breakage.file
    text = target.read_text(encoding="utf-8")
    assert text.count(breakage.old) >= 1, f"the sample no longer contains {breakage.old!r}"
    target.write_text(text.replace(breakage.old, breakage.new, 1), encoding="utf-8")
    return release


def _line_of(path: Path, marker: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in {path}")


def test_the_unbroken_sample_is_valid() -> None:
    assert validate_catalog([SAMPLE]).ok


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.name for b in BREAKAGES])
def test_a_broken_copy_fails_with_a_located_error(tmp_path: Path, breakage: Breakage) -> None:
    release = _broken_copy(tmp_path, breakage)
    result = validate_catalog([release])
    assert not result.ok
    assert result.release(release) is None or result.report.errors
    matching: list[SpecError] = [e for e in result.report if e.code == breakage.code]
    assert matching, f"no {breakage.code} among:\n{result.report}"
    error = matching[0]
    reported_in = breakage.error_file or breakage.file
    assert error.file.endswith(reported_in)
    assert error.path.startswith(breakage.path), error
    marker = breakage.marker if breakage.marker is not None else breakage.new.strip().splitlines()[-1]
    if breakage.marker is not None or breakage.code not in {"YAML_SYNTAX", "EXAMPLE_MISMATCH"}:
        assert error.line == _line_of(release / reported_in, marker.strip()), error
    assert error.column >= 1


def test_every_error_is_reported_not_only_the_first(tmp_path: Path) -> None:
    release = _broken_copy(tmp_path, BREAKAGES[0])
    other = release / "prices/tv/tv-essential-monthly.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("priceType:", "priceTyp:"), encoding="utf-8")
    files = {Path(e.file).name for e in validate_catalog([release]).report}
    assert {"fibre-500-monthly.yaml", "tv-essential-monthly.yaml"} <= files


def test_an_edited_published_version_is_refused_across_releases(tmp_path: Path) -> None:
    release = _broken_copy(
        tmp_path, Breakage("edit", "prices/tv/tv-essential-monthly.yaml", "name:", "name: Edited", "", "")
    )
    second = SAMPLE.parent / "2026.2"
    codes = {e.code for e in validate_catalog([release, second], run_example_checks=False).report}
    assert "CHANGED_WITHOUT_NEW_VERSION" in codes
