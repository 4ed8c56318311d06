"""Currencies: every price in the release's currency, and one currency per offering."""

from __future__ import annotations

from collections.abc import Iterator

from engine.spec.price import ProductOfferingPrice
from engine.spec.product import ProductOffering
from engine.spec.release import CatalogRelease
from engine.validation.report import SpecError
from engine.validation.semantic.codes import SemanticCode
from engine.validation.semantic.common import amounts, offering_prices, spec_error


def _release_currency(release: CatalogRelease) -> Iterator[SpecError]:
    currency = release.manifest.currency
    for p in release.all(ProductOfferingPrice):
        for path, money in amounts(p):
            if money.unit != currency:
                message = f"{money} is not in the release currency {currency}"
                yield spec_error(p, f"{path}.unit", message, SemanticCode.CURRENCY_MISMATCH)


def _mixed(release: CatalogRelease, o: ProductOffering) -> Iterator[SpecError]:
    users: dict[str, list[str]] = {}
    for p in offering_prices(release, o):
        for unit in sorted(p.currencies):
            users.setdefault(unit, [])
            if p.id not in users[unit]:
                users[unit].append(p.id)
    if len(users) > 1:
        detail = "; ".join(f"{unit}: {', '.join(ids)}" for unit, ids in sorted(users.items()))
        message = f"the prices of {o.id} mix currencies ({detail})"
        yield spec_error(o, "$.spec.productOfferingPrice", message, SemanticCode.MIXED_CURRENCIES)


def check_currencies(release: CatalogRelease) -> Iterator[SpecError]:
    """Quotes add prices together, which only works in one currency."""
    yield from _release_currency(release)
    for o in release.all(ProductOffering):
        yield from _mixed(release, o)
