"""The OSS's callbacks: TMF641 ServiceOrderStateChangeEvent and ServiceOrderAttributeValueChangeEvent.

Each is verified (an HMAC of the raw body with the shared OSS secret, `runtime.events.signing`), reduced to
an `OssCallback` and signalled to the order's workflow, which deduplicates by eventId and makes sense of
late or out-of-order callbacks. Nothing is stored here. The order is the part of the service order's
`externalId` before the first `/` (`workflows.contracts.service_order_external_id`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from runtime.api.errors import NotFound, Unauthorized, Unprocessable
from runtime.customers.body import json_safe, parse_object
from runtime.db.session import Database
from runtime.events.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from runtime.ordering import repository
from runtime.ordering.calls import WorkflowUnavailable
from runtime.ordering.orchestrator import OrchestratorUnavailable, OrderOrchestrator, UnknownOrderWorkflow
from runtime.qualification.evaluation import refuse_nul
from workflows.contracts import OssCallback

log = logging.getLogger("switchboard.ordering")

LISTENER_PATH = "/tmf-api/serviceOrdering/v4/listener"
STATE_CHANGE = "ServiceOrderStateChangeEvent"
ATTRIBUTE_CHANGE = "ServiceOrderAttributeValueChangeEvent"
REDUCED = ("id", "externalId", "state")


class InvalidCallback(Unprocessable):
    code = "INVALID_CALLBACK"


async def receive(
    database: Database,
    orchestrator: OrderOrchestrator,
    secret: str,
    headers: Mapping[str, str],
    raw: bytes,
    event_type: str,
) -> dict[str, Any]:
    """Verify, read and signal one callback; the answer says whether the workflow took it."""
    if not verify(secret, headers.get(TIMESTAMP_HEADER), raw, headers.get(SIGNATURE_HEADER)):
        raise Unauthorized(
            f"the callback's {SIGNATURE_HEADER} does not sign its body and {TIMESTAMP_HEADER}",
            code="INVALID_SIGNATURE",
        )
    callback = read_callback(parse_object(raw), event_type)
    order_id = callback.externalId.split("/", 1)[0]
    async with database.sessions() as session:
        if await repository.get(session, order_id) is None:
            raise NotFound(f"no ProductOrder {order_id!r} for service order {callback.serviceOrderId!r}")
    try:
        await orchestrator.oss_callback(order_id, callback)
    except OrchestratorUnavailable:
        raise WorkflowUnavailable("the order workflow cannot be reached now; retry the callback") from None
    except UnknownOrderWorkflow:
        log.info("order %s: callback %s ignored, no workflow runs for the order", order_id, callback.eventId)
        return {"eventId": callback.eventId, "orderId": order_id, "status": "ignored"}
    return {"eventId": callback.eventId, "orderId": order_id, "status": "accepted"}


def read_callback(body: dict[str, Any], event_type: str) -> OssCallback:
    refuse_nul(body)
    event_id, sent_type, event_time = body.get("eventId"), body.get("eventType"), body.get("eventTime")
    for name, value in (("eventId", event_id), ("eventType", sent_type), ("eventTime", event_time)):
        if not isinstance(value, str) or not value:
            raise InvalidCallback(f"{name} must be a non-empty string")
    if sent_type != event_type:
        raise InvalidCallback(f"this listener takes {event_type}, not {sent_type}")
    event = body.get("event")
    order = event.get("serviceOrder") if isinstance(event, dict) else None
    if not isinstance(order, dict):
        raise InvalidCallback("event.serviceOrder must be the service order object")
    for name in REDUCED:
        if not isinstance(order.get(name), str) or not order[name]:
            raise InvalidCallback(f"event.serviceOrder.{name} must be a non-empty string")
    return OssCallback(
        eventId=str(event_id),
        eventType=str(sent_type),
        eventTime=str(event_time),
        serviceOrderId=order["id"],
        externalId=order["externalId"],
        state=order["state"],
        attributes=json_safe({key: value for key, value in order.items() if key not in REDUCED}),
    )
