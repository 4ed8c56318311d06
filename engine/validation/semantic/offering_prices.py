"""An offering with its prices: matrix characteristics and values its specification admits, own appliesTo."""

from __future__ import annotations

from collections.abc import Iterator

from engine.spec.common import Kind
from engine.spec.price import PriceMatrix, ProductOfferingPrice
from engine.spec.product import ProductOffering, ProductSpecification
from engine.spec.release import CatalogRelease
from engine.validation.report import SpecError
from engine.validation.semantic.codes import SemanticCode
from engine.validation.semantic.common import Problem, offering_prices, spec_error, versions_during


def _against_specification(
    matrix: PriceMatrix, spec: ProductSpecification, offering: str
) -> Iterator[Problem]:
    for k, name in enumerate(matrix.characteristics):
        characteristic = spec.characteristic(name)
        if characteristic is None:
            message = (
                f"characteristic {name!r} is not in {spec.id} version {spec.version} (offering {offering})"
            )
            yield f"$.spec.matrix.characteristics[{k}]", message, SemanticCode.MATRIX_UNKNOWN_CHARACTERISTIC
            continue
        for i, row in enumerate(matrix.rows):
            if len(row.values) == len(matrix.characteristics) and not characteristic.admits(row.values[k]):
                allowed = ", ".join(str(v) for v in characteristic.allowed_values) or "its ranges"
                message = f"{name} {row.values[k]!r} is not admitted by {spec.id} (allowed: {allowed})"
                yield f"$.spec.matrix.rows[{i}].values[{k}]", message, SemanticCode.MATRIX_VALUE_NOT_ADMITTED


def _matrix_problems(release: CatalogRelease, o: ProductOffering, matrix: PriceMatrix) -> Iterator[Problem]:
    if o.productSpecification is None:
        message = f"offering {o.id} has no productSpecification to define {', '.join(matrix.characteristics)}"
        yield "$.spec.matrix.characteristics", message, SemanticCode.MATRIX_UNKNOWN_CHARACTERISTIC
        return
    # A matrix must fit every specification version the offering can meet while it is valid.
    for spec in versions_during(release, Kind.ProductSpecification, o.productSpecification, o):
        assert isinstance(spec, ProductSpecification)
        yield from _against_specification(matrix, spec, o.id)


def _reachable_prices(release: CatalogRelease, o: ProductOffering) -> set[str]:
    # A bundle's discount may alter the prices of its components (spec-language.md, "Bundles in a cart").
    reachable = set(o.productOfferingPrice)
    for bundled in o.bundledProductOffering:
        for component in release.versions(Kind.ProductOffering, bundled.id):
            assert isinstance(component, ProductOffering)
            reachable |= set(component.productOfferingPrice)
    return reachable


def _foreign_applies_to(
    release: CatalogRelease, reachable: set[str], o: ProductOffering, p: ProductOfferingPrice
) -> Iterator[Problem]:
    for i, target in enumerate(p.appliesTo):
        # A target that does not exist at all is reported once, as an unresolved reference.
        if target not in reachable and release.has(Kind.ProductOfferingPrice, target):
            message = f"appliesTo {target!r} is not a price of offering {o.id} or of its bundled offerings"
            yield f"$.spec.appliesTo[{i}]", message, SemanticCode.APPLIES_TO_FOREIGN_PRICE


def check_offering_prices(release: CatalogRelease) -> Iterator[SpecError]:
    """Each price fits each offering that lists it; errors point into the price's file."""
    for o in release.all(ProductOffering):
        reachable = _reachable_prices(release, o)
        for p in offering_prices(release, o):
            problems = list(_foreign_applies_to(release, reachable, o, p))
            if p.matrix is not None:
                problems += _matrix_problems(release, o, p.matrix)
            for path, message, code in problems:
                yield spec_error(p, path, message, code)
