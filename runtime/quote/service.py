"""Quoting a cart: qualify and price it against one release, store request and answer, audit it.

The answer holds both the qualification and the quote, each with its explanation trace: a channel sees
why an item does not qualify next to what the cart would cost. A cart that does not qualify is still
priced (the channel may show the price of the alternative it is about to propose). Nothing here commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from runtime.api.errors import NotFound
from runtime.audit.service import record
from runtime.auth.roles import Principal
from runtime.catalog.service import CatalogService
from runtime.customers.body import json_safe
from runtime.qualification.evaluation import Evaluation, evaluate
from runtime.quote import repository
from runtime.quote.input import read_quote
from runtime.quote.models import QuoteRow

ENTITY = "Quote"
QUOTE_PATH = "/api/v1/quote"


async def create(
    session: AsyncSession,
    actor: Principal,
    catalog: CatalogService,
    body: dict[str, Any],
    release_id: str | None = None,
) -> dict[str, Any]:
    """Qualify and price the cart on its date (default today) and store the answer."""
    sent = read_quote(body)
    submitted = catalog.clock()
    evaluation = await evaluate(
        session,
        catalog,
        subject=sent.subject,
        cart=sent.cart,
        channel=sent.channel,
        at=sent.at or submitted,
        release_id=release_id,
        price=True,
    )
    quote_id = str(uuid4())
    resource = render(quote_id, submitted, sent.subject.customer_id, evaluation)
    row = QuoteRow(
        id=quote_id,
        created_by=actor.key_id,
        release_id=evaluation.info.id,
        customer_id=sent.subject.customer_id,
        channel=sent.channel,
        request=json_safe(body),
        response=resource,
    )
    await repository.add(session, row)
    summary = {"release": evaluation.info.id, "totals": resource["quote"]["totals"]}
    await record(session, actor, "create", ENTITY, quote_id, None, summary)
    return resource


async def get(session: AsyncSession, quote_id: str) -> dict[str, Any]:
    row = await repository.get(session, quote_id)
    if row is None:
        raise NotFound(f"no quote with id {quote_id!r}")
    return row.response


def render(
    quote_id: str, submitted: datetime, customer_id: str | None, evaluation: Evaluation
) -> dict[str, Any]:
    """Money and decimals as strings, as the engine writes them: exact, and the same once stored."""
    assert evaluation.quote is not None
    return {
        "id": quote_id,
        "href": f"{QUOTE_PATH}/{quote_id}",
        "quoteDate": submitted.isoformat().replace("+00:00", "Z"),
        "customerId": customer_id,
        "qualification": evaluation.qualification.to_dict(),
        "quote": evaluation.quote.to_dict(),
    }
