"""The facts eligibility rules read, derived once per request from the request and the catalog release.

Request facts (`customer.*`, `account.*`, `address.*`, `context.*`) are the request's own values; a value
the request lacks stays None, and becomes a FactError only if a rule that is evaluated reads it.

Cart and inventory facts are derived, and always present:
- `cart.offerings`: the offerings of the cart items, except items whose action is `delete`.
- `cart.categories`: the categories of those offerings, each with its ancestors (`fibre` under `broadband`
  under `fixed` gives all three), from the offering version in effect on the request date.
- `cart.itemCount`: the number of cart items, except `delete` items.
- `inventory.offerings`: the offerings of the inventory items whose status is `active` (what the customer
  holds now; a `delete` item in the cart does not remove it here).
- `inventory.categories`: the categories, with ancestors, of those held offerings that the release knows
  (a legacy offering no longer in the release contributes none).
- `inventory.mobileLines`: the number of active inventory items whose offering is in the `mobile`
  category or one of its sub-categories.

Two facts are per item, for the catalog's structural rules (requires, excludes, exclusivity); they are
not in the vocabulary, so policies cannot read them:
- `item.otherOfferings`: what the customer will hold alongside the item once the order is done: the other
  cart items except `delete` ones, the item's own offering again when its quantity is above 1, and the
  active holdings, less one held instance per `modify`, `noChange` or `delete` item of that offering
  (such an item stands for that instance: it changes, keeps or removes it).
- `item.otherGroups`: the exclusivity groups of those offerings (version in effect, else the latest).
  One `notContains` over it decides exclusivity however many offerings a group has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime

from engine.errors import UnknownEntityError
from engine.facts import EvaluationRequest, ItemAction, ValueType
from engine.rules.values import VOCABULARY_TYPES, FactTypes, FactValue
from engine.spec.product import Category, ProductOffering
from engine.spec.release import CatalogRelease

MOBILE_CATEGORY = "mobile"
OTHER_OFFERINGS = "item.otherOfferings"
OTHER_GROUPS = "item.otherGroups"
# What catalog-derived rules may read: the vocabulary plus the per-item facts.
CATALOG_FACT_TYPES: FactTypes = {
    **VOCABULARY_TYPES,
    OTHER_OFFERINGS: ValueType.stringList,
    OTHER_GROUPS: ValueType.stringList,
}

RequestFacts = Mapping[str, FactValue | None]


def moment(day: date) -> datetime:
    """The instant a request date stands for when picking entity versions: midnight UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def offering_version(release: CatalogRelease, offering_id: str, at: datetime) -> ProductOffering | None:
    """The version in effect at `at`, else the latest one (its categories still describe it)."""
    return release.find(ProductOffering, offering_id, at) or release.find(ProductOffering, offering_id)


def categories_with_ancestors(release: CatalogRelease, categories: Iterable[str], at: datetime) -> set[str]:
    found: set[str] = set()
    for category_id in categories:
        current: str | None = category_id
        while current is not None and current not in found:  # `not in found` also stops a parent cycle
            found.add(current)
            category = release.find(Category, current, at) or release.find(Category, current)
            current = None if category is None else category.parentId
    return found


def _offering_categories(release: CatalogRelease, offering_id: str, at: datetime) -> set[str]:
    offering = offering_version(release, offering_id, at)
    return set() if offering is None else categories_with_ancestors(release, offering.category, at)


def _cart_offerings(request: EvaluationRequest, release: CatalogRelease, at: datetime) -> list[str]:
    kept: list[str] = []
    for index, item in enumerate(request.cart):
        if offering_version(release, item.productOffering, at) is None:
            raise UnknownEntityError(
                f"offering {item.productOffering!r} does not exist in release {release.id}",
                path=f"$.cart[{index}].productOffering",
            )
        if item.action is not ItemAction.delete:
            kept.append(item.productOffering)
    return kept


def request_facts(request: EvaluationRequest, release: CatalogRelease) -> RequestFacts:
    """Every vocabulary fact of the request; None where the request lacks a value."""
    at = moment(request.context.date)
    cart = _cart_offerings(request, release, at)
    held = [item.productOffering for item in request.inventory if item.status == "active"]
    held_categories = [_offering_categories(release, offering, at) for offering in held]
    return {
        "customer.segment": request.customer.segment,
        "customer.creditClass": request.customer.creditClass,
        "customer.ageYears": request.customer.ageYears,
        "account.status": request.account.status,
        "account.outstandingBalance": request.account.outstandingBalance,
        "account.tenureMonths": request.account.tenureMonths,
        "address.country": request.address.country,
        "address.region": request.address.region,
        "address.fibreAvailable": request.address.fibreAvailable,
        "address.maxDownloadMbps": request.address.maxDownloadMbps,
        "address.fiveGCoverage": request.address.fiveGCoverage,
        "cart.offerings": tuple(sorted(set(cart))),
        "cart.categories": tuple(sorted(set().union(*(_offering_categories(release, o, at) for o in cart)))),
        "cart.itemCount": len(cart),
        "inventory.offerings": tuple(sorted(set(held))),
        "inventory.categories": tuple(sorted(set().union(*held_categories))),
        "inventory.mobileLines": sum(1 for categories in held_categories if MOBILE_CATEGORY in categories),
        "context.channel": request.context.channel,
        "context.date": request.context.date,
    }


def item_facts(request: EvaluationRequest, release: CatalogRelease, index: int) -> dict[str, FactValue]:
    """`item.otherOfferings` and `item.otherGroups` for the cart item at `index`."""
    at = moment(request.context.date)
    alongside = other_offerings(request, index)
    groups = {
        offering.exclusivityGroup
        for offering in (offering_version(release, o, at) for o in alongside)
        if offering is not None and offering.exclusivityGroup is not None
    }
    return {OTHER_OFFERINGS: alongside, OTHER_GROUPS: tuple(sorted(groups))}


def other_offerings(request: EvaluationRequest, index: int) -> tuple[str, ...]:
    """`item.otherOfferings` for the cart item at `index` (see the module docstring)."""
    item = request.cart[index]
    alongside = {
        other.productOffering
        for position, other in enumerate(request.cart)
        if position != index and other.action is not ItemAction.delete
    }
    if item.quantity > 1:
        alongside.add(item.productOffering)
    held = Counter(i.productOffering for i in request.inventory if i.status == "active")
    held.subtract(i.productOffering for i in request.cart if i.action is not ItemAction.add)
    alongside.update(offering for offering, count in held.items() if count > 0)
    return tuple(sorted(alongside))
