"""What the notification tests share: a fast delivery policy, registering a listener, publishing an order."""

from __future__ import annotations

from typing import Any

from runtime.auth.roles import Role
from runtime.db.session import Database
from runtime.events.policy import DeliveryPolicy
from runtime.events.service import publish_event
from tests.runtime.support import Api

ORDERING = "productOrderingManagement"
HUB = f"/tmf-api/{ORDERING}/v4/hub"
STATE_CHANGE = "ProductOrderStateChangeEvent"

FAST = DeliveryPolicy(
    max_attempts=3,
    backoff_base_seconds=0.01,
    backoff_cap_seconds=0.05,
    timeout_seconds=3.0,
    concurrency=8,
    per_subscription=2,
    poll_seconds=0.02,
)


async def register(api: Api, callback: str, query: str = "", role: Role = Role.channel) -> dict[str, Any]:
    response = await api.client.post(HUB, json={"callback": callback, "query": query}, headers=api.auth(role))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def order(order_id: str, state: str = "inProgress") -> dict[str, Any]:
    return {
        "id": order_id,
        "href": f"/productOrder/{order_id}",
        "state": state,
        "productOrderItem": [{"id": "1", "action": "add", "state": state}],
        "@type": "ProductOrder",
    }


async def publish(database: Database, resource: dict[str, Any], event_type: str = STATE_CHANGE) -> None:
    """Publish in a transaction of its own, as a service's committed write would."""
    async with database.unit_of_work() as session:
        await publish_event(session, ORDERING, event_type, resource)
