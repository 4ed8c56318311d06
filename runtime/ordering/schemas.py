"""The TMF622 ProductOrder and CancelProductOrder projections.

Switchboard's additions follow TMF's extension pattern (`SwitchboardProductOrder` over the `@baseType`
ProductOrder): `catalogRelease` (the release the order is pinned to), `rejectionReason` (why a rejected
order was rejected: code, message, itemId, path), `milestone` (jeopardy, fallout, point of no return...,
as the workflow reports them) and `pointOfNoReturnReached`. Money is exact: Decimal values, written as JSON
numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from engine.money import Money
from engine.ordering.capture import RejectionReason
from engine.ordering.states import CancelState, ItemState, OrderState
from engine.pricing import ChargeTotal, Quote, Totals
from engine.spec.common import Kind
from runtime.catalog.contracts import ReleaseInfo
from runtime.catalog.tmf620_common import href, timestamp
from runtime.customers.resources import CUSTOMER_PATH

BASE_PATH = "/tmf-api/productOrderingManagement/v4"
ORDER_PATH = f"{BASE_PATH}/productOrder"
CANCEL_PATH = f"{BASE_PATH}/cancelProductOrder"
# Returned as sent: what the requester said, which capture does not change.
ECHOED = (
    "externalId",
    "description",
    "category",
    "priority",
    "notificationContact",
    "requestedCompletionDate",
    "requestedStartDate",
    "agreement",
    "billingAccount",
    "channel",
    "note",
    "payment",
    "productOfferingQualification",
    "quote",
)
AUTHOR = "Switchboard"


def render_order(
    order_id: str,
    submitted: datetime,
    sent: dict[str, Any],
    release: ReleaseInfo,
    state: OrderState,
    reasons: Sequence[RejectionReason],
    quote: Quote | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": order_id,
        "href": f"{ORDER_PATH}/{order_id}",
        "@type": "SwitchboardProductOrder",
        "@baseType": "ProductOrder",
        "state": state.value,
        "orderDate": timestamp(submitted),
    }
    body |= {key: sent[key] for key in ECHOED if key in sent}
    if "relatedParty" in sent:
        body["relatedParty"] = [_party(party) for party in sent["relatedParty"]]
    item_state = ItemState.rejected if state is OrderState.rejected else ItemState.acknowledged
    body["productOrderItem"] = render_items(sent["productOrderItem"], item_state, quote)
    if quote is not None:
        body["orderTotalPrice"] = order_prices(quote.totals, "Order total")
    body["catalogRelease"] = {
        "id": release.id,
        "href": href(Kind.CatalogRelease, release.id),
        "name": release.name,
    }
    if reasons:
        body["rejectionReason"] = [reason.to_dict() for reason in reasons]
        notes = [note(f"rejected: {r.code}: {r.message}", submitted) for r in reasons]
        body["note"] = [*body.get("note", []), *notes]
    body["milestone"] = []
    return body


def render_items(
    sent: Sequence[dict[str, Any]], state: ItemState, quote: Quote | None
) -> list[dict[str, Any]]:
    items = []
    for item in sent:
        rendered = {**item, "state": state.value}
        rendered.setdefault("@type", "ProductOrderItem")
        if quote is not None:
            rendered["itemTotalPrice"] = order_prices(quote.item(item["id"]).totals, "Item total")
        items.append(rendered)
    return items


def order_prices(totals: Totals, name: str) -> list[dict[str, Any]]:
    """TMF OrderPrice entries: the one-time total, each recurring period's, and the usage estimate (each
    when not zero)."""
    prices: list[dict[str, Any]] = []
    if totals.oneTime.taxIncludedAmount.value:
        prices.append(_price(f"{name} (one-time)", "oneTime", None, totals.oneTime))
    for period, total in totals.recurring.items():
        prices.append(_price(f"{name} (recurring, per {period})", "recurring", period, total))
    if totals.usage.taxIncludedAmount.value:
        prices.append(_price(f"{name} (usage estimate)", "usage", None, totals.usage))
    return prices


def _price(name: str, price_type: str, period: str | None, total: ChargeTotal) -> dict[str, Any]:
    price: dict[str, Any] = {
        "@type": "OrderPrice",
        "name": name,
        "priceType": price_type,
        "price": {
            "@type": "Price",
            "dutyFreeAmount": _money(total.dutyFreeAmount),
            "taxIncludedAmount": _money(total.taxIncludedAmount),
        },
    }
    if period is not None:
        price["recurringChargePeriod"] = period
    return price


def _money(money: Money) -> dict[str, Any]:
    return {"unit": money.unit, "value": money.value}


def _party(party: dict[str, Any]) -> dict[str, Any]:
    if party.get("@referredType") == "Customer" and "href" not in party:
        return {**party, "href": f"{CUSTOMER_PATH}/{party['id']}"}
    return party


def note(text: str, at: datetime) -> dict[str, Any]:
    return {"@type": "Note", "author": AUTHOR, "date": timestamp(at), "text": text}


def render_cancel(
    cancel_id: str, order_id: str, state: CancelState, reason: str | None, sent: dict[str, Any]
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": cancel_id,
        "href": f"{CANCEL_PATH}/{cancel_id}",
        "@type": "CancelProductOrder",
        "state": state.value,
        "productOrder": {
            "id": order_id,
            "href": f"{ORDER_PATH}/{order_id}",
            "@referredType": "ProductOrder",
        },
    }
    if reason is not None:
        body["cancellationReason"] = reason
    if "requestedCancellationDate" in sent:
        body["requestedCancellationDate"] = sent["requestedCancellationDate"]
    return body
