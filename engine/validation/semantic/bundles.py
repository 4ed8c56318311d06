"""Bundles that can never be satisfied: impossible cardinalities, a bundle flag that lies, dead components."""

from __future__ import annotations

from collections.abc import Iterator

from engine.lifecycle import is_sellable
from engine.spec.common import Kind
from engine.spec.product import BundledProductOffering, ProductOffering
from engine.spec.release import CatalogRelease
from engine.validation.report import SpecError
from engine.validation.semantic.codes import SemanticCode
from engine.validation.semantic.common import spec_error, versions_during

_OPTION = "$.spec.bundledProductOffering[{}].bundledProductOfferingOption"


def _cardinality_problems(b: BundledProductOffering) -> Iterator[tuple[str, str]]:
    lower, upper, default = b.numberRelOfferLowerLimit, b.numberRelOfferUpperLimit, b.numberRelOfferDefault
    negative = [
        (field, value)
        for field, value in (
            ("numberRelOfferLowerLimit", lower),
            ("numberRelOfferUpperLimit", upper),
            ("numberRelOfferDefault", default),
        )
        if value < 0
    ]
    if negative:
        for field, value in negative:
            yield field, f"{field} of {b.id!r} is {value}: a count cannot be negative"
        return
    if upper == 0:
        yield "numberRelOfferUpperLimit", f"upper limit 0: the bundle can never include {b.id!r}"
    if lower > upper:
        yield "numberRelOfferLowerLimit", f"lower limit {lower} of {b.id!r} is above its upper limit {upper}"
    elif not lower <= default <= upper:
        yield "numberRelOfferDefault", f"default {default} of {b.id!r} is outside {lower}..{upper}"


def _shape(o: ProductOffering) -> Iterator[SpecError]:
    if o.isBundle and not o.bundledProductOffering:
        message = "a bundle (isBundle true) must list its bundledProductOffering"
        yield spec_error(o, "$.spec.isBundle", message, SemanticCode.BUNDLE_MISMATCH)
    if not o.isBundle and o.bundledProductOffering:
        message = "bundledProductOffering is listed but isBundle is false"
        yield spec_error(o, "$.spec.bundledProductOffering", message, SemanticCode.BUNDLE_MISMATCH)


def _dead_components(release: CatalogRelease, bundle: ProductOffering) -> Iterator[SpecError]:
    # isSellable false is fine on a component (TMF: "sold only within a bundle"); what breaks a sellable
    # bundle is a component no version of which can be sold while the bundle can.
    for i, b in enumerate(bundle.bundledProductOffering):
        if not release.has(Kind.ProductOffering, b.id):
            continue  # reported as an unresolved reference
        during = versions_during(release, Kind.ProductOffering, b.id, bundle)
        if any(is_sellable(v.lifecycleStatus) for v in during):
            continue
        statuses = ", ".join(sorted({str(v.lifecycleStatus) for v in during}))
        why = f"is {statuses}" if during else "has no version valid while the bundle is"
        message = f"bundled offering {b.id!r} {why}, but the bundle is {bundle.lifecycleStatus}"
        path = f"$.spec.bundledProductOffering[{i}].id"
        yield spec_error(bundle, path, message, SemanticCode.BUNDLED_OFFERING_NOT_SELLABLE)


def check_bundles(release: CatalogRelease) -> Iterator[SpecError]:
    """Every bundle can be satisfied: sane cardinalities, honest isBundle, sellable components."""
    for o in release.all(ProductOffering):
        yield from _shape(o)
        for i, b in enumerate(o.bundledProductOffering):
            for field, message in _cardinality_problems(b):
                path = f"{_OPTION.format(i)}.{field}"
                yield spec_error(o, path, message, SemanticCode.BUNDLE_CARDINALITY)
        if is_sellable(o.lifecycleStatus):
            yield from _dead_components(release, o)
