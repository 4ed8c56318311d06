"""PATCH of a product order (RFC 7386 merge patch): what each state allows.

- A final order (completed, failed, partial, cancelled, rejected) refuses every change: 409.
- While it is not final, `note`, `description` and `requestedCompletionDate` may change.
- While it is in flight, `productOrderItem` is an amendment: the new item list is assessed like a capture,
  against the order's pinned release (a bad item is a 422 and nothing changes), then sent to the workflow,
  which accepts it before the point of no return or refuses it (409 with its reason).
- Any other attribute of a ProductOrder is a 409 naming it and the state; an unknown one is a 400.

The workflow is asked outside any transaction (it may take a while, and a SQLite write lock would stop
every other writer meanwhile); the accepted change is written afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from engine.ordering.states import ItemState, OrderState, final_states
from engine.pricing import Quote
from runtime.api.errors import Conflict, Unprocessable
from runtime.audit.service import record
from runtime.auth.roles import Principal
from runtime.catalog.service import CatalogService
from runtime.customers.body import BadBody, exact, json_safe, merge_patch
from runtime.customers.strict import require_conforming
from runtime.db.session import Database
from runtime.events.service import publish_event
from runtime.ordering import repository
from runtime.ordering.calls import ask
from runtime.ordering.capture import assess
from runtime.ordering.models import ProductOrderRow
from runtime.ordering.orchestrator import OrderOrchestrator
from runtime.ordering.schemas import note, order_prices, render_items
from runtime.ordering.service import ATTRIBUTES, ENTITY, HUB, item_inputs, item_rows, visible_order
from runtime.ordering.tmf622_input import API, ITEMS, read_items, require_items_conform
from runtime.qualification.evaluation import refuse_nul
from workflows.contracts import AmendRequest

WHILE_OPEN = frozenset({"note", "description", "requestedCompletionDate"})


@dataclass(frozen=True, slots=True)
class Amendment:
    request: AmendRequest
    items: list[dict[str, Any]]  # as sent
    item_rows: list[tuple[str, str, str]]
    quote: Quote | None


async def patch(
    database: Database,
    catalog: CatalogService,
    orchestrator: OrderOrchestrator,
    actor: Principal,
    order_id: str,
    changes: dict[str, Any],
) -> dict[str, Any]:
    refuse_nul(changes)
    async with database.sessions() as session:
        row = await visible_order(session, actor, order_id)
        _check_allowed(changes, OrderState(row.state))
        amendment = None
        if ITEMS in changes:
            amendment = await _amendment(session, catalog, row, changes[ITEMS])
    if amendment is not None:
        await ask(orchestrator.amend(order_id, amendment.request), "AMENDMENT_REFUSED")
    async with database.unit_of_work() as session:
        row = await visible_order(session, actor, order_id, for_update=True)
        if amendment is None:
            _check_allowed(changes, OrderState(row.state))  # it may have ended meanwhile
        before = row.document
        document = exact(before)
        simple = {key: value for key, value in changes.items() if key in WHILE_OPEN}
        document = merge_patch(document, simple)
        if amendment is not None:
            document = _amended(document, amendment, catalog.clock())
            await repository.replace_items(session, order_id, amendment.item_rows)
        row.document = json_safe(document)
        await record(session, actor, "update", ENTITY, order_id, before, row.document)
        await publish_event(session, HUB, "ProductOrderAttributeValueChangeEvent", row.document)
    result: dict[str, Any] = exact(row.document)
    return result


def _check_allowed(changes: dict[str, Any], state: OrderState) -> None:
    unknown = sorted(set(changes) - ATTRIBUTES)
    if unknown:
        raise BadBody(f"a ProductOrder has no attribute {', '.join(unknown)}")
    if state in final_states():
        raise Conflict(f"the order is {state.value}: a final order cannot be changed", code="ORDER_FINAL")
    refused = sorted(set(changes) - WHILE_OPEN - {ITEMS})
    if refused:
        raise Conflict(
            f"{', '.join(refused)} cannot be changed while the order is {state.value}; "
            f"only {', '.join(sorted(WHILE_OPEN | {ITEMS}))} may change",
            code="ATTRIBUTE_NOT_PATCHABLE",
        )
    _check_values(changes)


def _check_values(changes: dict[str, Any]) -> None:
    description = changes.get("description")
    if description is not None and not isinstance(description, str):
        raise BadBody("description must be a string")
    moment = changes.get("requestedCompletionDate")
    if moment is not None and not _is_datetime(moment):
        raise BadBody("requestedCompletionDate must be an ISO 8601 date-time")
    notes = changes.get("note")
    if notes is not None:
        if not isinstance(notes, list):
            raise BadBody("note must be a list of Note")
        for entry in notes:
            require_conforming(API, "Note", entry)
    if ITEMS in changes and changes[ITEMS] is None:
        raise BadBody(f"{ITEMS} cannot be removed; send the amended item list")


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


async def _amendment(
    session: AsyncSession, catalog: CatalogService, row: ProductOrderRow, sent: Any
) -> Amendment:
    require_items_conform(sent)
    items, cart = read_items(sent)
    assessment = await assess(
        session,
        catalog,
        release_id=row.release_id,  # an in-flight order keeps the release it was captured with
        at=catalog.clock(),
        customer_id=row.customer_id or "",
        channel=row.channel,
        items=items,
        cart=cart,
    )
    if assessment.reasons:
        described = "; ".join(
            f"{reason.code} at {reason.path or '$'}: {reason.message}" for reason in assessment.reasons
        )
        raise Unprocessable(f"the amended items cannot be ordered: {described}", code="INVALID_AMENDMENT")
    request = AmendRequest(amendId=str(uuid4()), items=item_inputs(items, cart))
    return Amendment(request, list(sent), item_rows(items), assessment.quote)


def _amended(document: dict[str, Any], amendment: Amendment, at: datetime) -> dict[str, Any]:
    states = {item["id"]: item.get("state") for item in document.get(ITEMS, [])}
    items = render_items(amendment.items, ItemState.acknowledged, amendment.quote)
    for item in items:
        item["state"] = states.get(item["id"]) or ItemState.acknowledged.value
    document = {**document, ITEMS: items}
    if amendment.quote is not None:
        document["orderTotalPrice"] = order_prices(amendment.quote.totals, "Order total")
    document["note"] = [*document.get("note", []), note(f"amended ({amendment.request.amendId})", at)]
    return document
