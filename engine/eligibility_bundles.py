"""Bundles in a cart: each component belongs to its bundle (NOT_IN_BUNDLE), and each bundle has the
number of components its `bundledProductOffering` cardinalities ask for (BUNDLE_CARDINALITY).

These are structural checks over the cart's item graph, not conditions over facts, so they run in Python.
Cardinalities are checked on `add` bundle items only: the components of a held bundle that is modified are
in the inventory, not in the cart. Component quantities count; `delete` components do not.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.eligibility_rules import CART, Check
from engine.errors import CartError
from engine.facts import CartItem, EvaluationRequest, ItemAction
from engine.spec.product import ProductOffering

OfferingLookup = Callable[[str], ProductOffering | None]


def check_item_ids(request: EvaluationRequest) -> None:
    """Item ids are unique, and a parentItemId names another item of the cart."""
    ids = [item.id for item in request.cart]
    for index, item in enumerate(request.cart):
        if ids.index(item.id) != index:
            raise CartError(f"item id {item.id!r} is used twice", path=f"$.cart[{index}].id")
        if item.parentItemId is not None and (item.parentItemId == item.id or item.parentItemId not in ids):
            raise CartError(
                f"parentItemId {item.parentItemId!r} names no other item of the cart",
                path=f"$.cart[{index}].parentItemId",
            )


def bundle_checks(request: EvaluationRequest, index: int, offering_of: OfferingLookup) -> tuple[Check, ...]:
    """The bundle checks of the cart item at `index`: membership if it is a component, cardinality if a bundle."""
    item = request.cart[index]
    checks: list[Check] = []
    if item.parentItemId is not None:
        parent = next(i for i in request.cart if i.id == item.parentItemId)
        checks.append(_membership(item, parent, offering_of(parent.productOffering)))
    offering = offering_of(item.productOffering)
    if offering is not None and offering.isBundle and item.action is ItemAction.add:
        checks.extend(_cardinalities(request, item, offering))
    return tuple(checks)


def _membership(item: CartItem, parent: CartItem, bundle: ProductOffering | None) -> Check:
    components = () if bundle is None else tuple(b.id for b in bundle.bundledProductOffering)
    return Check(
        CART,
        "in-bundle",
        "NOT_IN_BUNDLE",
        f"{item.productOffering} is not a component of {parent.productOffering} (item {parent.id})",
        item.productOffering in components,
    )


def _cardinalities(request: EvaluationRequest, item: CartItem, bundle: ProductOffering) -> list[Check]:
    checks: list[Check] = []
    for component in bundle.bundledProductOffering:
        count = sum(
            other.quantity
            for other in request.cart
            if other.parentItemId == item.id
            and other.productOffering == component.id
            and other.action is not ItemAction.delete
        )
        low, high = component.numberRelOfferLowerLimit, component.numberRelOfferUpperLimit
        checks.append(
            Check(
                CART,
                f"bundle-cardinality:{component.id}",
                "BUNDLE_CARDINALITY",
                f"{bundle.name} takes {low} to {high} of {component.id}; the cart has {count}",
                low <= count <= high,
            )
        )
    return checks
