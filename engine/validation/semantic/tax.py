"""Tax: one TaxTable, with a rate for every taxCategory a price uses in the release's default region."""

from __future__ import annotations

from collections.abc import Iterator

from engine.spec.common import Kind
from engine.spec.price import ProductOfferingPrice
from engine.spec.release import CatalogRelease, TaxTable
from engine.validation.report import SpecError
from engine.validation.semantic.codes import SemanticCode
from engine.validation.semantic.common import spec_error


def _has_rate(table: TaxTable, category: str, region: str | None) -> bool:
    if region is None:
        # No default region: the category must at least be taxable somewhere.
        return any(rate.taxCategory == category for rate in table.rates)
    country = region.split("-")[0]  # ISO 3166-2 "ES-CN" falls back to its country "ES"
    return table.rate_for(category, region, country) is not None


def _missing_rates(release: CatalogRelease, tables: list[TaxTable]) -> Iterator[SpecError]:
    region = release.manifest.defaultRegion
    where = f"region {region}" if region else "any region"
    for p in release.all(ProductOfferingPrice):
        for table in tables:
            if p.validFor.overlaps(table.validFor) and not _has_rate(table, p.taxCategory, region):
                message = f"taxCategory {p.taxCategory!r} has no rate for {where} in TaxTable {table.id} version {table.version}"
                yield spec_error(p, "$.spec.taxCategory", message, SemanticCode.MISSING_TAX_RATE)


def check_tax(release: CatalogRelease) -> Iterator[SpecError]:
    """Every price can be taxed in the default region."""
    tables = list(release.all(TaxTable))
    table_ids = release.ids(Kind.TaxTable)
    if not tables:
        message = "the release has no TaxTable, so no price can be taxed"
        yield spec_error(release.manifest, "$", message, SemanticCode.MISSING_TAX_TABLE)
        return
    for extra in table_ids[1:]:
        table = release.versions(Kind.TaxTable, extra)[0]
        message = f"a release holds one TaxTable; {table_ids[0]!r} is already one"
        yield spec_error(table, "$.metadata.id", message, SemanticCode.MULTIPLE_TAX_TABLES)
    yield from _missing_rates(release, tables)
