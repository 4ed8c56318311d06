"""Recording the workflow's progress on the stored order, called by a workflow activity.

A snapshot (`OrderProgress`) is applied only if its revision is above the stored one, so a retried
activity is a no-op. Every state change goes through the engine's transition tables: an illegal move is a
bug in the workflow and raises. The hub events are published in the same transaction:
`ProductOrderStateChangeEvent` when the order's state changes, `ProductOrderAttributeValueChangeEvent`
when items or milestones change, `ProductOrderInformationRequiredEvent` when the order goes `held` (an
operator must decide), and `CancelProductOrderStateChangeEvent` when a cancellation request ends. Nothing
here commits.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from engine.ordering.states import CancelState, ItemState, OrderState, final_states, transition
from runtime.api.errors import NotFound
from runtime.audit.service import record
from runtime.auth.roles import Principal, Role
from runtime.catalog.tmf620_common import timestamp
from runtime.customers.body import exact, json_safe
from runtime.db.base import utcnow
from runtime.events.service import publish_event
from runtime.ordering import repository
from runtime.ordering.cancellation import CANCEL_ENTITY
from runtime.ordering.schemas import note
from runtime.ordering.service import ENTITY, HUB
from workflows.contracts import ItemProgress, OrderProgress

WORKFLOW = Principal(key_id="workflow", name="order workflow", role=Role.admin)
OPEN_CANCELS = (CancelState.accepted.value, CancelState.inProgress.value)


async def record_progress(session: AsyncSession, progress: OrderProgress) -> None:
    """Apply the workflow's snapshot of the order if it is newer than what is stored."""
    row = await repository.get(session, progress.orderId, for_update=True)
    if row is None:
        raise NotFound(f"no ProductOrder with id {progress.orderId!r}")
    if progress.revision <= row.revision:
        return
    before = row.document
    document = exact(before)
    current, target = OrderState(row.state), OrderState(progress.state)
    state = transition(current, target)
    now = utcnow()
    document["state"] = state.value
    items_changed = _apply_items(document, progress.items)
    milestones = [json_safe(dataclasses.asdict(milestone)) for milestone in progress.milestones]
    milestones_changed = milestones != document.get("milestone", [])
    document["milestone"] = milestones
    document["pointOfNoReturnReached"] = progress.pointOfNoReturn
    _apply_dates(document, progress, state, now)
    row.state, row.revision = state.value, progress.revision
    row.document = json_safe(document)
    await record(session, WORKFLOW, "progress", ENTITY, row.id, {"state": current.value}, _summary(progress))
    if state is not current:
        await publish_event(session, HUB, "ProductOrderStateChangeEvent", row.document)
        if state is OrderState.held:
            await publish_event(session, HUB, "ProductOrderInformationRequiredEvent", row.document)
    if items_changed or milestones_changed:
        await publish_event(session, HUB, "ProductOrderAttributeValueChangeEvent", row.document)
    if state in final_states():
        await _end_cancellations(session, row.id, state, now)


def _apply_items(document: dict[str, Any], items: list[ItemProgress]) -> bool:
    reported = {item.itemId: item for item in items}
    changed = False
    for item in document.get("productOrderItem", []):
        progress = reported.get(item["id"])
        if progress is None:
            continue
        state = transition(ItemState(item["state"]), ItemState(progress.state))
        if item["state"] != state.value:
            item["state"], changed = state.value, True
        if progress.productId is not None and item.get("product", {}).get("id") != progress.productId:
            item["product"] = {
                **item.get("product", {}),
                "id": progress.productId,
                "@referredType": "Product",
            }
            changed = True
    return changed


def _apply_dates(document: dict[str, Any], progress: OrderProgress, state: OrderState, now: datetime) -> None:
    if progress.completionDate is not None:
        document["completionDate"] = progress.completionDate
    elif state in final_states() and "completionDate" not in document:
        document["completionDate"] = timestamp(now)
    if state is OrderState.cancelled:
        document.setdefault("cancellationDate", progress.completionDate or timestamp(now))
        if progress.cancellationReason is not None:
            document["cancellationReason"] = progress.cancellationReason
    if progress.note and not any(n.get("text") == progress.note for n in document.get("note", [])):
        document["note"] = [*document.get("note", []), note(progress.note, now)]


async def _end_cancellations(session: AsyncSession, order_id: str, state: OrderState, now: datetime) -> None:
    """A cancellation request is done when its order ended cancelled; any other end defeated it."""
    outcome = CancelState.done if state is OrderState.cancelled else CancelState.terminatedWithError
    for row in await repository.open_cancels(session, order_id, OPEN_CANCELS):
        before = row.document
        row.state = transition(CancelState(row.state), outcome).value
        document = {**exact(before), "state": row.state}
        if outcome is CancelState.done:
            document["effectiveCancellationDate"] = timestamp(now)
        row.document = json_safe(document)
        await record(session, WORKFLOW, "update_state", CANCEL_ENTITY, row.id, before, row.document)
        await publish_event(session, HUB, "CancelProductOrderStateChangeEvent", row.document)


def _summary(progress: OrderProgress) -> dict[str, Any]:
    return {
        "state": progress.state,
        "revision": progress.revision,
        "items": {item.itemId: item.state for item in progress.items},
        "pointOfNoReturn": progress.pointOfNoReturn,
    }
