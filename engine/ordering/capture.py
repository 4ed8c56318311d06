"""The checks of order capture that need no I/O: each item against the pinned release and the customer's
inventory, and the qualification outcome turned into rejection reasons.

What the runtime adds around these (loading the release and the inventory, qualifying and pricing through
the engine) is in `runtime/ordering/capture.py`. A check never raises for a bad item: it returns the reason,
because a rejected order is stored with all its reasons, not refused at the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.eligibility import QualificationResult
from engine.facts import ItemAction
from engine.spec.common import Kind
from engine.spec.product import ProductOffering
from engine.spec.release import CatalogRelease

# Actions that act on a product the customer holds, named by `product.id`.
ON_HELD_PRODUCT = frozenset({ItemAction.modify, ItemAction.delete, ItemAction.noChange})


@dataclass(frozen=True, slots=True)
class RejectionReason:
    """Why an order was rejected: a stable code, a message, and where (the item and the body path)."""

    code: str
    message: str
    itemId: str | None = None
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        reason: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.itemId is not None:
            reason["itemId"] = self.itemId
        if self.path is not None:
            reason["path"] = self.path
        return reason


@dataclass(frozen=True, slots=True)
class OrderedItem:
    id: str
    action: ItemAction
    productOffering: str
    productId: str | None  # the held product a modify, delete or noChange acts on
    path: str  # the item's place in the request body, e.g. $.productOrderItem[2]


@dataclass(frozen=True, slots=True)
class HeldProduct:
    """A product of the customer's inventory that an order item may act on."""

    id: str
    productOffering: str
    status: str


def check_items(
    release: CatalogRelease, at: datetime, items: Sequence[OrderedItem], held: Sequence[HeldProduct]
) -> tuple[RejectionReason, ...]:
    """Every reason the items cannot be ordered as they are; empty when each offering is in the release
    on `at` and each action agrees with the inventory."""
    holdings = {product.id: product for product in held}
    claimed: dict[str, str] = {}
    reasons: list[RejectionReason] = []
    for item in items:
        reasons.extend(_offering(release, at, item))
        reasons.extend(_action(item, holdings, claimed))
    return tuple(reasons)


def _offering(release: CatalogRelease, at: datetime, item: OrderedItem) -> list[RejectionReason]:
    path = f"{item.path}.productOffering.id"
    if not release.has(Kind.ProductOffering, item.productOffering):
        message = f"offering {item.productOffering!r} does not exist in release {release.id}"
        return [RejectionReason("UNKNOWN_OFFERING", message, item.id, path)]
    if release.find(ProductOffering, item.productOffering, at) is None:
        message = f"offering {item.productOffering!r} has no version in effect on {at.date().isoformat()}"
        return [RejectionReason("OFFERING_NOT_VALID", message, item.id, path)]
    return []


def _action(
    item: OrderedItem, holdings: dict[str, HeldProduct], claimed: dict[str, str]
) -> list[RejectionReason]:
    path = f"{item.path}.product.id"
    if item.action is ItemAction.add:
        if item.productId is not None:
            message = "an add item makes a new product: it may not name an existing product.id"
            return [RejectionReason("PRODUCT_ID_NOT_ALLOWED", message, item.id, path)]
        return []
    if item.productId is None:
        message = f"a {item.action.value} item must name the held product it acts on in product.id"
        return [RejectionReason("PRODUCT_ID_REQUIRED", message, item.id, path)]
    product = holdings.get(item.productId)
    if product is None:
        message = f"the customer holds no active product {item.productId!r}"
        return [RejectionReason("UNKNOWN_PRODUCT", message, item.id, path)]
    if product.productOffering != item.productOffering:
        message = (
            f"product {product.id!r} is an instance of {product.productOffering!r}, "
            f"not of {item.productOffering!r}"
        )
        return [RejectionReason("PRODUCT_OFFERING_MISMATCH", message, item.id, path)]
    if item.productId in claimed:
        message = f"product {item.productId!r} is already acted on by item {claimed[item.productId]!r}"
        return [RejectionReason("DUPLICATE_PRODUCT", message, item.id, path)]
    claimed[item.productId] = item.id
    return []


def qualification_reasons(
    result: QualificationResult, items: Sequence[OrderedItem]
) -> tuple[RejectionReason, ...]:
    """One reason per unmet eligibility rule of each item that did not qualify."""
    paths = {item.id: item.path for item in items}
    reasons: list[RejectionReason] = []
    for outcome in result.items:
        path = paths.get(outcome.itemId)
        for unmet in outcome.eligibilityUnavailabilityReason:
            reasons.append(RejectionReason(unmet.code, unmet.label, outcome.itemId, path))
    return tuple(reasons)
