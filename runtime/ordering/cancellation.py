"""Cancelling an order (TMF622 CancelProductOrder) and an operator's decision on a fallout.

Both ask the order's workflow first, outside any transaction, and store only what it accepted: a refused
cancellation (past the point of no return, say) is a 409 with the workflow's reason and leaves nothing
behind. An accepted cancellation is stored `inProgress`; it becomes `done` when the workflow reports the
order cancelled (`runtime.ordering.progress`).
"""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import uuid4

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from engine.ordering.states import CancelState, OrderState, final_states, transition
from runtime.api.errors import Conflict, NotFound
from runtime.api.listing import ListQuery
from runtime.audit.service import record
from runtime.auth.roles import Principal, Role
from runtime.customers import repository as shared
from runtime.customers.body import BadBody, exact, json_safe
from runtime.customers.strict import properties, require_conforming
from runtime.db.session import Database
from runtime.events.service import publish_event
from runtime.ordering import repository
from runtime.ordering.calls import ask
from runtime.ordering.models import CancelProductOrderRow
from runtime.ordering.orchestrator import OrderOrchestrator
from runtime.ordering.schemas import render_cancel
from runtime.ordering.service import ENTITY, HUB, visible_order
from runtime.ordering.tmf622_input import API
from runtime.qualification.evaluation import refuse_nul
from workflows.contracts import CancelRequest, FalloutDecision

CANCEL_ENTITY = "CancelProductOrder"
CANCEL_ATTRIBUTES = properties(API, CANCEL_ENTITY)
CANCEL_PUSHDOWN = {"state": "state", "productOrder.id": "order_id"}
DECISIONS = ("retry", "skip", "fail")
DECISION_FIELDS = frozenset({"stepId", "decision", "note"})


async def cancel(
    database: Database, orchestrator: OrderOrchestrator, actor: Principal, body: dict[str, Any]
) -> dict[str, Any]:
    refuse_nul(body)
    require_conforming(API, "CancelProductOrder_Create", body)
    order_id = body["productOrder"]["id"]
    reason = body.get("cancellationReason")
    async with database.sessions() as session:
        _require_open(OrderState((await visible_order(session, actor, order_id)).state))
    cancel_id = str(uuid4())
    await ask(
        orchestrator.cancel(order_id, CancelRequest(cancelId=cancel_id, reason=reason)),
        "CANCELLATION_REFUSED",
    )
    async with database.unit_of_work() as session:
        order = await visible_order(session, actor, order_id, for_update=True)
        # The workflow may have reported the order cancelled already, before this request was stored.
        state = transition(None, CancelState.inProgress)
        if order.state == OrderState.cancelled:
            state = transition(state, CancelState.done)
        document = json_safe(render_cancel(cancel_id, order_id, state, reason, body))
        row = CancelProductOrderRow(
            id=cancel_id, created_by=actor.key_id, order_id=order_id, state=state.value, document=document
        )
        await repository.add(session, row)
        await record(session, actor, "create", CANCEL_ENTITY, cancel_id, None, document)
        await publish_event(session, HUB, "CancelProductOrderCreateEvent", document)
    result: dict[str, Any] = exact(document)
    return result


def _require_open(state: OrderState) -> None:
    if state in final_states():
        raise Conflict(f"the order is {state.value}: a final order cannot be cancelled", code="ORDER_FINAL")


def _visible(actor: Principal) -> list[ColumnElement[bool]]:
    return [] if actor.role is Role.admin else [CancelProductOrderRow.created_by == actor.key_id]


async def get_cancel(session: AsyncSession, actor: Principal, cancel_id: str) -> dict[str, Any]:
    row = await repository.get_cancel(session, cancel_id)
    if row is None or (actor.role is not Role.admin and row.created_by != actor.key_id):
        raise NotFound(f"no CancelProductOrder with id {cancel_id!r}")
    document: dict[str, Any] = exact(row.document)
    return document


async def list_cancels(
    session: AsyncSession, actor: Principal, query: ListQuery
) -> tuple[list[dict[str, Any]], int]:
    where, rest = shared.equalities(CancelProductOrderRow, CANCEL_PUSHDOWN, query.filters)
    where = [*where, *_visible(actor)]
    if not rest:
        rows, total = await repository.cancels_page(session, where, query.offset, query.limit)
        return [query.select(exact(row.document)) for row in rows], total
    rows = await repository.cancels_matching(session, where)
    return dataclasses.replace(query, filters=rest).apply([exact(row.document) for row in rows])


async def decide_fallout(
    database: Database,
    orchestrator: OrderOrchestrator,
    actor: Principal,
    order_id: str,
    body: dict[str, Any],
) -> dict[str, Any]:
    """Pass an operator's decision on a failed step (retry, skip, fail) to the held order's workflow."""
    decision = _decision(body)
    async with database.sessions() as session:
        _require_open(OrderState((await visible_order(session, actor, order_id)).state))
    outcome = await ask(orchestrator.fallout_decision(order_id, decision), "FALLOUT_DECISION_REFUSED")
    answer = {
        "orderId": order_id,
        "stepId": decision.stepId,
        "decision": decision.decision,
        "accepted": outcome.accepted,
        "reason": outcome.reason,
        "detail": outcome.detail,
    }
    async with database.unit_of_work() as session:
        await record(session, actor, "falloutDecision", ENTITY, order_id, None, json_safe(answer))
    return answer


def _decision(body: dict[str, Any]) -> FalloutDecision:
    refuse_nul(body)
    unknown = sorted(set(body) - DECISION_FIELDS)
    if unknown:
        raise BadBody(f"unknown attributes: {', '.join(unknown)}; expected stepId, decision and note")
    step, choice, text = body.get("stepId"), body.get("decision"), body.get("note")
    if not isinstance(step, str) or not step:
        raise BadBody('stepId must name the failed step ("{itemId}/{stepId}")')
    if choice not in DECISIONS:
        raise BadBody(f"decision must be one of {', '.join(DECISIONS)}")
    if text is not None and not isinstance(text, str):
        raise BadBody("note must be a string")
    return FalloutDecision(stepId=step, decision=choice, note=text)
