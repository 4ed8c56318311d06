"""What qualification and quote share: the engine request built from a stored customer or a prospect's
inline facts, and one evaluation against a leased catalog release.

Whose facts: a stored customer (`runtime.customers.facts.facts_for_customer`) or inline facts in the
`engine.facts.parse_request` sections `customer`, `account`, `address` and `inventory` (a prospect the
channel has no record of). Never both: a channel cannot overwrite what the record says (a credit class,
an address) for one evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import DecimalException
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from engine.eligibility import QualificationResult
from engine.errors import EngineError, FactError
from engine.facts import EvaluationRequest, parse_request
from engine.pricing import Quote, quote
from engine.spec.release import CatalogRelease
from runtime.api.errors import Unprocessable
from runtime.catalog.contracts import ReleaseInfo
from runtime.catalog.service import CatalogService
from runtime.customers.body import BadBody
from runtime.customers.facts import facts_for_customer

FACT_SECTIONS = ("customer", "account", "address", "inventory")
# A cart this long is a mistake or an attack: each item costs a rule evaluation (and its alternates').
MAX_ITEMS = 200


class TooManyItems(Unprocessable):
    code = "TOO_MANY_ITEMS"


def refuse_nul(body: Any) -> None:
    """A 400 for a NUL character anywhere in a body: PostgreSQL cannot store it in a JSON document."""
    pending: list[tuple[Any, str]] = [(body, "$")]
    while pending:  # a loop, not recursion: a body may nest as deep as the JSON parser allows
        value, path = pending.pop()
        if isinstance(value, str) and "\x00" in value:
            raise BadBody(f"text may not contain the NUL character (at {path})")
        if isinstance(value, dict):
            pending.extend((key, path) for key in value)
            pending.extend((element, f"{path}.{key}") for key, element in value.items())
        elif isinstance(value, list):
            pending.extend((element, f"{path}[{index}]") for index, element in enumerate(value))


@dataclass(frozen=True, slots=True)
class Subject:
    """Whose facts: a stored customer, or a prospect's inline facts (parse_request sections)."""

    customer_id: str | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)
    facts_path: str = "$"  # where the inline facts sit in the caller's body, for error paths

    def __post_init__(self) -> None:
        if self.customer_id is not None and self.facts:
            raise Unprocessable(
                "give either a stored customer or inline facts, not both", code="FACTS_CONFLICT"
            )
        for key in self.facts:
            if key not in FACT_SECTIONS:
                raise FactError(
                    f"unknown fact section {key!r}; expected one of {', '.join(FACT_SECTIONS)}",
                    path=f"{self.facts_path}.{key}",
                )


@dataclass(frozen=True, slots=True)
class Evaluation:
    info: ReleaseInfo
    release: CatalogRelease  # the frozen model: names and versions for refs
    at: datetime
    request: EvaluationRequest
    qualification: QualificationResult
    quote: Quote | None


Relocate = Callable[[str], str]


def _same(path: str) -> str:
    return path


async def request_data(
    session: AsyncSession, subject: Subject, cart: Sequence[Mapping[str, Any]], channel: str, at: datetime
) -> dict[str, Any]:
    """The engine request's sections: the stored customer's facts (or the prospect's), the cart, the context."""
    if subject.customer_id is not None:
        facts = await facts_for_customer(session, subject.customer_id, at.date())
    else:
        facts = dict(subject.facts)
    return {**facts, "cart": list(cart), "context": {"channel": channel, "date": at.date().isoformat()}}


def too_large_to_price() -> Unprocessable:
    # The engine's arithmetic overflows on absurd magnitudes (a quantity of 10**30, usage 1e999).
    return Unprocessable("a quantity or usage volume is too large to price", code="NUMBER_OUT_OF_RANGE")


async def evaluate(
    session: AsyncSession,
    catalog: CatalogService,
    *,
    subject: Subject,
    cart: Sequence[Mapping[str, Any]],
    channel: str,
    at: datetime,
    release_id: str | None = None,
    price: bool = False,
    relocate: Relocate = _same,
) -> Evaluation:
    """Qualify (and with `price`, quote) the cart at `at`, against `release_id` or the release in effect
    then; an engine error's path is rewritten by `relocate` into the caller's body."""
    if len(cart) > MAX_ITEMS:
        raise TooManyItems(f"a cart may hold at most {MAX_ITEMS} items, this one has {len(cart)}")
    data = await request_data(session, subject, cart, channel, at)
    chosen = release_id or (await catalog.release_in_effect(session, at)).id
    async with catalog.lease(session, chosen) as active:
        try:
            request = parse_request(data)
            qualification = active.eligibility.qualify(request)
            priced = quote(active.release, request) if price else None
        except EngineError as error:
            if error.path is not None:
                error.path = relocate(error.path)
            raise
        except DecimalException:
            raise too_large_to_price() from None
    return Evaluation(active.info, active.release, at, request, qualification, priced)
