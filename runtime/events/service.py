"""Hub subscriptions and the transactional outbox. Nothing here commits: the caller's transaction does.

`publish_event` runs inside the publishing service's own transaction, so an event (and its deliveries,
one per matching subscription) exists exactly when the business write that caused it committed.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from runtime.api.errors import ApiError, Conflict, Forbidden, NotFound
from runtime.audit.service import record
from runtime.auth.roles import Principal, Role
from runtime.db.base import utcnow
from runtime.events import repository
from runtime.events.apis import hub_api, listener_name, resource_key
from runtime.events.models import DeliveryState, EventDelivery, EventSubscription, OutboxEvent
from runtime.events.query import EventFilter, InvalidQuery
from runtime.events.schemas import delivery_body, iso, subscription_body

log = logging.getLogger("switchboard.events")

MAX_CALLBACK_LENGTH = 2000


class InvalidCallback(ApiError):
    status, code = 400, "INVALID_CALLBACK"


async def subscribe(
    session: AsyncSession, principal: Principal, api: str, callback: str, query: str | None
) -> EventSubscription:
    """Register a listener on `api`'s hub, owned by the caller's key."""
    hub_api(api)  # an unknown API is a programming error: ValueError
    query = (query or "").strip()
    EventFilter.parse(api, query)
    subscription = EventSubscription(
        id=str(uuid4()),
        api=api,
        callback=_checked_callback(callback),
        query=query,
        owner_key_id=principal.key_id,
        created_at=utcnow(),
    )
    await repository.add(session, subscription)
    await record(
        session, principal, "subscribe", "EventSubscription", subscription.id, None, _audited(subscription)
    )
    return subscription


async def unsubscribe(session: AsyncSession, principal: Principal, api: str, subscription_id: str) -> None:
    subscription = await repository.get_subscription(session, subscription_id)
    if subscription is None or subscription.removed_at is not None or subscription.api != api:
        raise NotFound(f"no hub subscription {subscription_id!r} on {api}")
    if subscription.owner_key_id != principal.key_id and principal.role is not Role.admin:
        raise Forbidden("only the key that registered this subscription, or an admin, may remove it")
    before = _audited(subscription)
    subscription.removed_at = utcnow()
    await repository.cancel_deliveries(session, subscription.id)
    await record(session, principal, "unsubscribe", "EventSubscription", subscription.id, before, None)


async def publish_event(session: AsyncSession, api: str, event_type: str, resource: dict[str, Any]) -> None:
    """Queue a TMF event for every subscription of `api` whose query matches, in the caller's transaction."""
    key = resource_key(api, event_type)
    # A JSON round trip copies the resource as it is now and fails here, not in the dispatcher, on a value
    # that JSON cannot carry.
    frozen = json.loads(json.dumps(resource))
    now, event_id = utcnow(), str(uuid4())
    body = {"eventId": event_id, "eventTime": iso(now), "eventType": event_type, "event": {key: frozen}}
    event = OutboxEvent(id=event_id, api=api, event_type=event_type, body=body, created_at=now)
    await repository.add(session, event)
    path = f"/listener/{listener_name(event_type)}"
    deliveries = [
        EventDelivery(
            id=str(uuid4()),
            event_id=event.id,
            subscription_id=subscription.id,
            target_url=subscription.callback + path,
            state=DeliveryState.pending,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        for subscription in await repository.active_subscriptions(session, api)
        if _wants(subscription, event_type, frozen)
    ]
    if deliveries:
        await repository.add(session, *deliveries)


async def delivery_page(
    session: AsyncSession, state: str | None, subscription_id: str | None, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    try:
        wanted = DeliveryState(state) if state else None
    except ValueError:
        raise ApiError(f"state must be one of {', '.join(DeliveryState)}", code="INVALID_QUERY") from None
    rows, total = await repository.list_deliveries(session, wanted, subscription_id, offset, limit)
    return [delivery_body(delivery, event_type) for delivery, event_type in rows], total


async def redeliver(session: AsyncSession, principal: Principal, delivery_id: str) -> dict[str, Any]:
    """Give a dead delivery a fresh set of attempts, once its listener is fixed."""
    found = await repository.get_delivery(session, delivery_id)
    if found is None:
        raise NotFound(f"no event delivery {delivery_id!r}")
    delivery, event_type = found
    if delivery.state != DeliveryState.dead:
        raise Conflict(f"only a dead delivery can be redelivered; this one is {delivery.state}")
    before = {"state": delivery.state, "attempts": delivery.attempts}
    await repository.redeliver(session, delivery_id, utcnow())
    await session.refresh(delivery)
    await record(
        session, principal, "redeliver", "EventDelivery", delivery_id, before, {"state": delivery.state}
    )
    return delivery_body(delivery, event_type)


def _wants(subscription: EventSubscription, event_type: str, resource: dict[str, Any]) -> bool:
    try:
        event_filter = EventFilter.parse(subscription.api, subscription.query)
    except InvalidQuery:
        # Queries are validated when registered. Should the rules tighten later, a stale query must cost
        # only its own listener its events, never fail the business write this event rides on.
        log.warning("hub subscription %s has a query that no longer parses; skipped", subscription.id)
        return False
    return event_filter.matches(event_type, resource)


def _checked_callback(callback: str) -> str:
    """An absolute http(s) base URL without credentials, query or fragment (TMF appends /listener/...)."""
    text = callback.strip()
    if not text or len(text) > MAX_CALLBACK_LENGTH or any(c.isspace() or ord(c) < 32 for c in text):
        raise InvalidCallback(f"callback must be an http(s) URL of at most {MAX_CALLBACK_LENGTH} characters")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - parsing the port is what raises on a malformed one
    except ValueError:
        raise InvalidCallback("callback is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidCallback("callback must be an absolute http or https URL")
    if parts.username is not None or parts.password is not None:
        # It would be stored and logged; listeners authenticate us by our signature instead.
        raise InvalidCallback("callback must not carry credentials; verify the X-Switchboard-Signature")
    if parts.query or parts.fragment:
        raise InvalidCallback(
            "callback must not have a query or fragment: events go to <callback>/listener/<event>"
        )
    return text.rstrip("/")


def _audited(subscription: EventSubscription) -> dict[str, Any]:
    return {**subscription_body(subscription), "api": subscription.api, "owner": subscription.owner_key_id}
