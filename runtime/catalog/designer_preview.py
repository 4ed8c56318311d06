"""Try the drafts: qualify and price a cart against the release in effect with every current draft applied.

The release evaluated is the candidate publishing would build (`CatalogService.draft_candidate`): drafts
that do not validate are a 422 listing every located error, as publishing would refuse them. Its
eligibility rules are compiled for this one evaluation and freed after it. Nothing is stored.

Body: `{customerId?, facts?, channel, date?, cart: [{productOffering, quantity?, characteristics?, usage?,
id?, action?, parentItemId?}]}`. `facts` are a prospect's inline facts (the sections `customer`, `account`,
`address`, `inventory` of the engine request); never both with `customerId`. `characteristics` is the
engine's `characteristic`; either name is accepted. `date` is the evaluation date (default today); the
candidate is the drafts over the release in effect now, as publishing now would make it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import DecimalException
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from engine.eligibility import EligibilityEngine
from engine.errors import FactError
from engine.facts import parse_date, parse_request
from engine.pricing import quote
from engine.spec.release import CatalogRelease
from runtime.catalog import repository
from runtime.catalog.publishing import ReleaseRefused
from runtime.catalog.service import CatalogService
from runtime.qualification.evaluation import (
    MAX_ITEMS,
    Subject,
    TooManyItems,
    refuse_nul,
    request_data,
    too_large_to_price,
)

FIELDS = ("customerId", "facts", "channel", "date", "cart")
ITEM_FIELDS = (
    "id",
    "productOffering",
    "quantity",
    "action",
    "characteristic",
    "characteristics",
    "usage",
    "parentItemId",
)


@dataclass(frozen=True, slots=True)
class PreviewInput:
    subject: Subject
    channel: str
    at: datetime | None  # None: now
    cart: tuple[dict[str, Any], ...]


def read_preview(body: dict[str, Any]) -> PreviewInput:
    """The preview request; a malformed field is a FactError (422) naming its path."""
    refuse_nul(body)
    for key in body:
        if key not in FIELDS:
            raise FactError(f"unknown field {key!r}; expected one of {', '.join(FIELDS)}", path=f"$.{key}")
    customer_id = body.get("customerId")
    if customer_id is not None and (not isinstance(customer_id, str) or not customer_id):
        raise FactError("expected a customer id", path="$.customerId")
    facts = {} if body.get("facts") is None else body["facts"]
    if not isinstance(facts, dict):
        raise FactError("expected an object of fact sections", path="$.facts")
    channel = body.get("channel")
    if not isinstance(channel, str) or not channel:
        raise FactError("expected a channel name", path="$.channel")
    cart = body.get("cart")
    if not isinstance(cart, list) or not cart:
        raise FactError("expected a list of at least one cart item", path="$.cart")
    if len(cart) > MAX_ITEMS:
        raise TooManyItems(f"a cart may hold at most {MAX_ITEMS} items, this one has {len(cart)}")
    day = None if body.get("date") is None else parse_date(body["date"], "$.date")
    at = None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)
    subject = Subject(customer_id, facts, facts_path="$.facts")
    return PreviewInput(subject, channel, at, tuple(_item(item, i) for i, item in enumerate(cart)))


def _item(item: Any, index: int) -> dict[str, Any]:
    path = f"$.cart[{index}]"
    if not isinstance(item, dict):
        raise FactError("expected a cart item object", path=path)
    for key in item:
        if key not in ITEM_FIELDS:
            raise FactError(
                f"unknown field {key!r}; expected one of {', '.join(ITEM_FIELDS)}", path=f"{path}.{key}"
            )
    if "characteristic" in item and "characteristics" in item:
        raise FactError("give characteristics once", path=f"{path}.characteristics")
    engine_item = {key: value for key, value in item.items() if key != "characteristics"}
    if "characteristics" in item:
        engine_item["characteristic"] = item["characteristics"]
    return engine_item


async def preview(session: AsyncSession, catalog: CatalogService, body: dict[str, Any]) -> dict[str, Any]:
    """`{release, drafts, qualification, quote}` for the cart against the drafts' candidate release."""
    sent = read_preview(body)
    at = sent.at or catalog.clock()
    validation = await catalog.draft_candidate(session)
    if not validation.ok:
        raise ReleaseRefused("the drafts", validation.report)
    candidate = validation.releases[0]
    data = await request_data(session, sent.subject, sent.cart, sent.channel, at)
    qualification, priced = await asyncio.to_thread(_evaluate, candidate, data, sent.subject)
    drafts = await catalog.drafts(session)
    base = await repository.release_in_effect(session, candidate.effectiveDate)
    return {
        "release": {"basedOn": None if base is None else base.id, "effectiveDate": candidate.effectiveDate},
        "drafts": [{"kind": d.kind.value, "id": d.id} for d in drafts],
        "date": at.date().isoformat(),
        "channel": sent.channel,
        "customerId": sent.subject.customer_id,
        "qualification": qualification,
        "quote": priced,
    }


def _evaluate(
    release: CatalogRelease, data: Mapping[str, Any], subject: Subject
) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        request = parse_request(data)
    except FactError as error:
        if error.path is not None and subject.customer_id is None:
            error.path = _relocated(error.path)
        raise
    try:
        with EligibilityEngine(release) as engine:
            qualification = engine.qualify(request)
        priced = quote(release, request)
    except DecimalException:
        raise too_large_to_price() from None
    return qualification.to_dict(), priced.to_dict()


def _relocated(path: str) -> str:
    """An engine request path as a path of the preview body: inline facts sit under `$.facts`."""
    for section in ("customer", "account", "address", "inventory"):
        if path == f"$.{section}" or path.startswith((f"$.{section}.", f"$.{section}[")):
            return "$.facts" + path[1:]
    if path.startswith("$.context.channel"):
        return "$.channel"
    if path.startswith("$.context.date"):
        return "$.date"
    return path
