"""Parsing of the release manifest (CatalogRelease) and TaxTable documents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.money import RoundingMode, RoundingRule
from engine.spec.common import SourceInfo
from engine.spec.parse_common import decimal, entity_fields, parse_datetime
from engine.spec.release import ReleaseManifest, TaxRate, TaxTable


def parse_release_manifest(document: Mapping[str, Any], source: SourceInfo) -> ReleaseManifest:
    spec = document["spec"]
    rounding = spec.get("rounding")
    return ReleaseManifest(
        **entity_fields(document, source),
        effectiveDate=parse_datetime(spec["effectiveDate"], "$.spec.effectiveDate"),
        currency=spec.get("currency", "EUR"),
        rounding=RoundingRule() if rounding is None else RoundingRule(RoundingMode(rounding["mode"])),
        defaultRegion=spec.get("defaultRegion"),
    )


def parse_tax_table(document: Mapping[str, Any], source: SourceInfo) -> TaxTable:
    return TaxTable(
        **entity_fields(document, source),
        rates=tuple(
            TaxRate(item["region"], item["taxCategory"], decimal(item["rate"], f"$.spec.rates[{i}].rate"))
            for i, item in enumerate(document["spec"]["rates"])
        ),
    )
