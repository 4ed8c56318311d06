"""Capturing product orders, idempotently, and reading them back.

Capture is two steps. First, on a read-only session, pin the release in effect and assess the items
(`runtime.ordering.capture`: qualification, pricing, the customer's inventory): the expensive part, which
holds no write lock. Then one short transaction stores the order (acknowledged, or rejected with its
reasons) with its items, its start intent in the outbox when acknowledged, the audit record and the
`ProductOrderCreateEvent`. On SQLite a write transaction holds the one database-wide write lock from its
first statement, so assessing inside it serialised every capture behind every other (and behind the
worker's progress writes). The price of the split: an inventory change that commits between the two steps
is not seen by this capture, as it would not be under PostgreSQL's READ COMMITTED either.
`place` is the boundary around both: it commits, resolves a concurrent duplicate to the order that won, and
starts the workflow after the commit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy import ColumnElement
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from engine.ordering.capture import OrderedItem
from engine.ordering.states import OrderState, transition
from runtime.api.errors import NotFound
from runtime.api.listing import ListQuery
from runtime.audit.service import record
from runtime.auth.roles import Principal, Role
from runtime.catalog.contracts import ReleaseInfo
from runtime.catalog.service import CatalogService
from runtime.catalog.tmf620_common import timestamp
from runtime.customers import repository as shared
from runtime.customers.body import BadBody, exact, json_safe
from runtime.customers.strict import properties
from runtime.db.base import utcnow
from runtime.db.session import Database
from runtime.events.service import publish_event
from runtime.ordering import repository
from runtime.ordering.capture import Assessment, assess
from runtime.ordering.models import OrderStartRow, ProductOrderRow
from runtime.ordering.schemas import render_order
from runtime.ordering.starts import HOLD_SECONDS, OrderStarts, order_input_json
from runtime.ordering.tmf622_input import API, OrderRequest, read_order
from workflows.contracts import OrderInput, OrderItemInput

ENTITY = "ProductOrder"
HUB = "productOrderingManagement"
EXTENSIONS = frozenset({"catalogRelease", "rejectionReason", "milestone", "pointOfNoReturnReached"})
ATTRIBUTES = properties(API, ENTITY) | EXTENSIONS
# List filters that run in SQL; any other attribute filters the rendered documents.
PUSHDOWN = {"state": "state", "externalId": "external_id", "catalogRelease.id": "release_id"}
MAX_IDEMPOTENCY_KEY = 200


@dataclass(frozen=True, slots=True)
class Placed:
    resource: dict[str, Any]
    replayed: bool  # the first answer to the same request, returned again
    start: OrderInput | None = None  # the workflow to start once the capture committed


async def place(
    database: Database,
    starts: OrderStarts,
    catalog: CatalogService,
    actor: Principal,
    body: dict[str, Any],
    idempotency_key: str | None,
    time_scale: float,
) -> Placed:
    """Capture an order (or replay the first answer to the same request), commit, start its workflow."""
    if idempotency_key is not None and not 0 < len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
        raise BadBody(
            f"Idempotency-Key must have 1 to {MAX_IDEMPOTENCY_KEY} characters", code="INVALID_HEADER"
        )
    async with database.sessions() as session:
        assessed = await assess_order(session, actor, catalog, body, idempotency_key)
    if isinstance(assessed, Placed):
        return assessed
    try:
        async with database.unit_of_work() as session:
            placed = await store(session, actor, assessed, idempotency_key, time_scale)
    except IntegrityError:
        # A concurrent duplicate committed first: its answer is this request's answer too.
        async with database.sessions() as session:
            winner = await repository.find_replay(
                session, actor.key_id, idempotency_key, body.get("externalId")
            )
        if winner is None:
            raise
        return Placed(exact(winner.first_response), replayed=True)
    if placed.start is not None:
        await starts.start_now(placed.start)
    return placed


@dataclass(frozen=True, slots=True)
class Assessed:
    """An order read and assessed, not yet stored."""

    sent: OrderRequest
    submitted: datetime
    release: ReleaseInfo  # the release in effect at `submitted`
    assessment: Assessment


async def assess_order(
    session: AsyncSession,
    actor: Principal,
    catalog: CatalogService,
    body: dict[str, Any],
    idempotency_key: str | None,
) -> Assessed | Placed:
    """The order read, pinned and assessed; or the first answer, when this request was answered before."""
    sent = read_order(body)
    replay = await repository.find_replay(session, actor.key_id, idempotency_key, sent.external_id)
    if replay is not None:
        return Placed(exact(replay.first_response), replayed=True)
    submitted = catalog.clock()
    release = await catalog.release_in_effect(session, submitted)
    assessment = await assess(
        session,
        catalog,
        release_id=release.id,
        at=submitted,
        customer_id=sent.customer_id,
        channel=sent.channel,
        items=sent.items,
        cart=sent.cart,
    )
    return Assessed(sent, submitted, release, assessment)


async def store(
    session: AsyncSession,
    actor: Principal,
    assessed: Assessed,
    idempotency_key: str | None,
    time_scale: float,
) -> Placed:
    sent, submitted, release, assessment = (
        assessed.sent,
        assessed.submitted,
        assessed.release,
        assessed.assessment,
    )
    state = transition(None, OrderState.rejected if assessment.reasons else OrderState.acknowledged)
    order_id = str(uuid4())
    resource = json_safe(
        render_order(order_id, submitted, sent.body, release, state, assessment.reasons, assessment.quote)
    )
    row = ProductOrderRow(
        id=order_id,
        created_by=actor.key_id,
        idempotency_key=idempotency_key,
        external_id=sent.external_id,
        state=state.value,
        release_id=release.id,
        customer_id=sent.customer_id,
        channel=sent.channel,
        revision=0,
        document=resource,
        first_response=resource,
    )
    await repository.add(session, row)  # a concurrent duplicate fails here, on a unique constraint
    start = None
    if state is OrderState.acknowledged:
        start = OrderInput(
            orderId=order_id,
            releaseId=release.id,
            customerId=sent.customer_id,
            items=item_inputs(sent.items, sent.cart),
            orderDate=timestamp(submitted),
            timeScale=time_scale,
        )
        hold = utcnow() + timedelta(seconds=HOLD_SECONDS)
        intent = OrderStartRow(order_id=order_id, order_input=order_input_json(start), next_attempt_at=hold)
        await repository.add(session, intent)
    await repository.replace_items(session, order_id, item_rows(sent.items))
    summary = {key: resource.get(key) for key in ("state", "externalId", "catalogRelease", "rejectionReason")}
    await record(session, actor, "create", ENTITY, order_id, None, summary)
    await publish_event(session, HUB, "ProductOrderCreateEvent", resource)
    return Placed(exact(resource), replayed=False, start=start)


def item_inputs(items: Sequence[OrderedItem], cart: Sequence[dict[str, Any]]) -> list[OrderItemInput]:
    """What the workflow plans: every item but the noChange ones."""
    return [
        OrderItemInput(
            itemId=item.id,
            productOffering=item.productOffering,
            action=item.action.value,
            productId=item.productId,
            characteristics=json_safe(dict(entry["characteristic"])),
        )
        for item, entry in zip(items, cart, strict=True)
        if item.action.value != "noChange"
    ]


def item_rows(items: Sequence[OrderedItem]) -> list[tuple[str, str, str]]:
    return [(item.id, item.productOffering, item.action.value) for item in items]


def _visible(actor: Principal) -> list[ColumnElement[bool]]:
    """Channel keys see the orders they placed; admin sees all."""
    return [] if actor.role is Role.admin else [ProductOrderRow.created_by == actor.key_id]


async def visible_order(
    session: AsyncSession, actor: Principal, order_id: str, *, for_update: bool = False
) -> ProductOrderRow:
    row = await repository.get(session, order_id, for_update=for_update)
    if row is None or (actor.role is not Role.admin and row.created_by != actor.key_id):
        raise NotFound(f"no ProductOrder with id {order_id!r}")
    return row


async def get(session: AsyncSession, actor: Principal, order_id: str) -> dict[str, Any]:
    document: dict[str, Any] = exact((await visible_order(session, actor, order_id)).document)
    return document


async def list_page(
    session: AsyncSession, actor: Principal, query: ListQuery
) -> tuple[list[dict[str, Any]], int]:
    where, rest = shared.equalities(ProductOrderRow, PUSHDOWN, query.filters)
    where = [*where, *_visible(actor)]
    if not rest:
        rows, total = await repository.page(session, where, query.offset, query.limit)
        return [query.select(exact(row.document)) for row in rows], total
    rows = await repository.matching(session, where)
    return dataclasses.replace(query, filters=rest).apply([exact(row.document) for row in rows])
