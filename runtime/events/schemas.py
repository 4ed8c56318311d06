"""The TMF projections: EventSubscriptionInput in, EventSubscription out, and the delivery view for operators."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from runtime.events.models import EventDelivery, EventSubscription


class EventSubscriptionInput(msgspec.Struct):
    callback: str
    query: str | None = None


def subscription_body(subscription: EventSubscription) -> dict[str, Any]:
    """TMF EventSubscription; never the listener secret (it is shown once, by the register endpoint)."""
    return {"id": subscription.id, "callback": subscription.callback, "query": subscription.query}


def registered_body(subscription: EventSubscription, secret: str) -> dict[str, Any]:
    """The answer to a registration: the EventSubscription plus, this once, the key that signs its callbacks."""
    return {**subscription_body(subscription), "secret": secret}


def delivery_body(delivery: EventDelivery, event_type: str) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "eventId": delivery.event_id,
        "eventType": event_type,
        "subscriptionId": delivery.subscription_id,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "nextAttemptAt": iso(delivery.next_attempt_at),
        "lastAttemptAt": iso(delivery.last_attempt_at),
        "lastStatus": delivery.last_status,
        "lastError": delivery.last_error,
        "deliveredAt": iso(delivery.delivered_at),
        "createdAt": iso(delivery.created_at),
    }


def iso(moment: datetime | None) -> str | None:
    """RFC 3339 UTC with milliseconds, as TMF examples write `eventTime`."""
    if moment is None:
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
