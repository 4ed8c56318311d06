"""Semantic validation: what a schema cannot see. Every error is reported, located and coded.

The schema layer checks each document alone; this layer checks a whole release (references, cycles,
bundles, prices, versions, rules, tax) and, given several releases, that no published version was edited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from engine.spec.release import CatalogRelease
from engine.validation.report import SpecError
from engine.validation.semantic.bundles import check_bundles
from engine.validation.semantic.codes import SemanticCode
from engine.validation.semantic.currency import check_currencies
from engine.validation.semantic.cycles import check_cycles
from engine.validation.semantic.offering_prices import check_offering_prices
from engine.validation.semantic.prices import check_prices
from engine.validation.semantic.refs import check_flow_steps_and_ids, check_references
from engine.validation.semantic.rules import check_rules
from engine.validation.semantic.tax import check_tax
from engine.validation.semantic.versions import check_published_versions, check_versions

__all__ = ["CHECKS", "SemanticCode", "check_release", "check_releases"]

Check = Callable[[CatalogRelease], Iterator[SpecError]]

CHECKS: tuple[Check, ...] = (
    check_references,
    check_flow_steps_and_ids,
    check_cycles,
    check_bundles,
    check_prices,
    check_offering_prices,
    check_currencies,
    check_versions,
    check_rules,
    check_tax,
)


def _ordered(errors: Iterable[SpecError]) -> tuple[SpecError, ...]:
    # A price listed by two offering versions is checked twice; report each finding once, in file order.
    unique = dict.fromkeys(errors)
    return tuple(sorted(unique, key=lambda e: (e.file, e.line, e.column, e.path, e.code, e.message)))


def check_release(release: CatalogRelease) -> tuple[SpecError, ...]:
    """Every semantic error of one release, in file order."""
    return _ordered(error for check in CHECKS for error in check(release))


def check_releases(releases: Sequence[CatalogRelease]) -> tuple[SpecError, ...]:
    """Every error of each release, plus entity versions changed between releases without a new version."""
    per_release = [error for release in releases for error in check_release(release)]
    return _ordered([*per_release, *check_published_versions(releases)])
