"""Qualifying: evaluate a TMF679 request at once, store request and answer, audit it and publish the event.

Nothing here commits: the request boundary does, so the stored qualification, its audit record and its
`ProductOfferingQualificationCreateEvent` exist together or not at all.
"""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from runtime.api.errors import NotFound
from runtime.api.listing import ListQuery
from runtime.audit.service import record
from runtime.auth.roles import Principal
from runtime.catalog.service import CatalogService
from runtime.customers import repository as shared
from runtime.customers.body import exact, json_safe
from runtime.customers.strict import properties
from runtime.events.service import publish_event
from runtime.qualification import repository
from runtime.qualification.evaluation import evaluate
from runtime.qualification.models import QualificationRow
from runtime.qualification.schemas import render
from runtime.qualification.tmf679_input import API, read_qualification

ENTITY = "ProductOfferingQualification"
HUB = "productOfferingQualification"
CREATE_EVENT = "ProductOfferingQualificationCreateEvent"
ATTRIBUTES = properties(API, ENTITY) | {"catalogRelease"}
# List filters that run in SQL; any other attribute filters the rendered documents.
PUSHDOWN = {
    "qualificationResult": "qualification_result",
    "channel.id": "channel",
    "catalogRelease.id": "release_id",
}


async def create(
    session: AsyncSession,
    actor: Principal,
    catalog: CatalogService,
    body: dict[str, Any],
    release_id: str | None = None,
) -> dict[str, Any]:
    """Qualify now (or at the requested `effectiveQualificationDate`) and store the answer."""
    sent = read_qualification(body)
    submitted = catalog.clock()
    evaluation = await evaluate(
        session,
        catalog,
        subject=sent.subject,
        cart=sent.cart,
        channel=sent.channel,
        at=sent.at or submitted,
        release_id=release_id,
        relocate=sent.relocate,
    )
    qualification_id = str(uuid4())
    resource = render(qualification_id, submitted, sent, evaluation)
    stored = json_safe(resource)
    row = QualificationRow(
        id=qualification_id,
        created_by=actor.key_id,
        release_id=evaluation.info.id,
        customer_id=sent.subject.customer_id,
        channel=sent.channel,
        qualification_result=resource["qualificationResult"],
        request=json_safe(body),
        response=stored,
    )
    await repository.add(session, row)
    summary = {key: stored[key] for key in ("qualificationResult", "effectiveQualificationDate", "channel")}
    await record(session, actor, "create", ENTITY, qualification_id, None, summary)
    await publish_event(session, HUB, CREATE_EVENT, stored)
    # As GET will read it back (`24.0` is stored as 24), so both answers are the same body.
    answer: dict[str, Any] = exact(stored)
    return answer


async def get(session: AsyncSession, qualification_id: str) -> dict[str, Any]:
    row = await repository.get(session, qualification_id)
    if row is None:
        raise NotFound(f"no ProductOfferingQualification with id {qualification_id!r}")
    document: dict[str, Any] = exact(row.response)
    return document


async def list_page(session: AsyncSession, query: ListQuery) -> tuple[list[dict[str, Any]], int]:
    where, rest = shared.equalities(QualificationRow, PUSHDOWN, query.filters)
    if not rest:
        rows, total = await repository.page(session, where, query.offset, query.limit)
        return [query.select(exact(row.response)) for row in rows], total
    rows = await repository.matching(session, where)
    return dataclasses.replace(query, filters=rest).apply([exact(row.response) for row in rows])
