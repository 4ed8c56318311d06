"""Assessing an order's items at capture (and at amendment): against the pinned release, the customer's
inventory, eligibility and pricing. Every failure is a rejection reason, never an exception, so a rejected
order is stored with all it can say about itself."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from engine.errors import EngineError
from engine.ordering.capture import (
    HeldProduct,
    OrderedItem,
    RejectionReason,
    check_items,
    qualification_reasons,
)
from engine.pricing import Quote
from runtime.catalog.service import CatalogService
from runtime.customers import repository as customers
from runtime.customers.models import Customer
from runtime.inventory import repository as inventory
from runtime.qualification.evaluation import Relocate, Subject, evaluate

_CART_PATH = re.compile(r"^\$\.cart\[(\d+)\](.*)$")
_ITEM_PATHS = (
    (".productOffering", ".productOffering.id"),
    (".characteristic.", ".product.productCharacteristic.name="),
    (".parentItemId", ".productOrderItemRelationship"),
)


@dataclass(frozen=True, slots=True)
class Assessment:
    reasons: tuple[RejectionReason, ...]  # empty: the items may be ordered
    quote: Quote | None  # the price, when pricing got that far


async def assess(
    session: AsyncSession,
    catalog: CatalogService,
    *,
    release_id: str,
    at: datetime,
    customer_id: str,
    channel: str,
    items: Sequence[OrderedItem],
    cart: Sequence[dict[str, Any]],
) -> Assessment:
    """Check, qualify and price the items against release `release_id` at `at`."""
    if await customers.get(session, Customer, customer_id) is None:
        reason = RejectionReason("UNKNOWN_CUSTOMER", f"no Customer {customer_id!r}", None, "$.relatedParty")
        return Assessment((reason,), None)
    active = await catalog.active(session, release_id)
    held = [
        HeldProduct(product.id, product.product_offering_id, product.status)
        for product in await inventory.held_by_customer(session, customer_id)
    ]
    reasons = check_items(active.release, at, items, held)
    if reasons:
        return Assessment(reasons, None)
    relocate = _relocator(items)
    try:
        evaluation = await evaluate(
            session,
            catalog,
            subject=Subject(customer_id),
            cart=cart,
            channel=channel,
            at=at,
            release_id=release_id,
            price=True,
            relocate=relocate,
        )
    except EngineError as error:
        reason = RejectionReason(error.code, error.message, _item_of(error.path, items), error.path)
        return Assessment((reason,), None)
    return Assessment(qualification_reasons(evaluation.qualification, items), evaluation.quote)


def _relocator(items: Sequence[OrderedItem]) -> Relocate:
    def relocate(path: str) -> str:
        """An engine path (`$.cart[2].characteristic.x`) in the order body's terms."""
        found = _CART_PATH.match(path)
        if found is None:
            return path
        index, rest = int(found.group(1)), found.group(2)
        for engine_name, tmf_name in _ITEM_PATHS:
            if rest.startswith(engine_name):
                rest = tmf_name + rest[len(engine_name) :]
                break
        return items[index].path + rest if index < len(items) else path

    return relocate


def _item_of(path: str | None, items: Sequence[OrderedItem]) -> str | None:
    for item in items:
        if path is not None and (path == item.path or path.startswith((item.path + ".", item.path + "["))):
            return item.id
    return None
