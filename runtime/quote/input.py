"""A quote request: the `engine.facts.parse_request` shape (the one `switchboard quote` and the catalog
examples use), with the facts of a stored customer named by `customerId` instead of inline, and
`context.date` optional (default: today).

```json
{"customerId": "CUST-1001",
 "context": {"channel": "retail", "date": "2026-07-15"},
 "cart": [{"id": "1", "productOffering": "converged-home"},
          {"id": "2", "productOffering": "fibre-1000", "parentItemId": "1",
           "characteristic": {"contractTerm": 24}},
          {"id": "3", "productOffering": "mobile-5g-m", "parentItemId": "1", "usage": {"GB": 30}}]}
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from engine.errors import FactError
from engine.facts import parse_date
from runtime.qualification.evaluation import FACT_SECTIONS, Subject, refuse_nul

FIELDS = ("customerId", "context", "cart", *FACT_SECTIONS)


@dataclass(frozen=True, slots=True)
class QuoteInput:
    body: dict[str, Any]  # as sent
    subject: Subject
    channel: str
    at: datetime | None  # None: now
    cart: tuple[Mapping[str, Any], ...]


def read_quote(body: dict[str, Any]) -> QuoteInput:
    """The input of one quote; a malformed field is a FactError (422) naming its path."""
    refuse_nul(body)
    for key in body:
        if key not in FIELDS:
            raise FactError(f"unknown field {key!r}; expected one of {', '.join(FIELDS)}", path=f"$.{key}")
    customer_id = body.get("customerId")
    if customer_id is not None and (not isinstance(customer_id, str) or not customer_id):
        raise FactError("expected a customer id", path="$.customerId")
    context = body.get("context")
    if not isinstance(context, dict):
        raise FactError("expected an object with channel and, optionally, date", path="$.context")
    for key in context:
        if key not in ("channel", "date"):
            raise FactError(f"unknown field {key!r}; expected channel or date", path=f"$.context.{key}")
    channel = context.get("channel")
    if not isinstance(channel, str) or not channel:
        raise FactError("expected a channel name", path="$.context.channel")
    cart = body.get("cart")
    if not isinstance(cart, list) or not cart:
        raise FactError("expected a list of at least one cart item", path="$.cart")
    facts = {key: body[key] for key in FACT_SECTIONS if key in body}
    return QuoteInput(body, Subject(customer_id, facts), channel, _moment(context.get("date")), tuple(cart))


def _moment(value: object) -> datetime | None:
    if value is None:
        return None
    day = parse_date(value, "$.context.date")
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
