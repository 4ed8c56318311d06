"""Service orders as the simulated OSS holds them: the request, one state with its transition table, and the
TMF641 projection sent in responses and callbacks.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from runtime.api.errors import ApiError
from runtime.tmf.contract import violations

BASE_PATH = "/tmf-api/serviceOrdering/v4"

# Request fields a service order keeps as posted; the OSS owns every other field (id, state, dates...).
_KEPT = (
    "externalId",
    "category",
    "description",
    "priority",
    "notificationContact",
    "requestedStartDate",
    "requestedCompletionDate",
    "externalReference",
    "note",
    "orderRelationship",
    "relatedParty",
)


class InvalidServiceOrder(ApiError):
    status, code = 400, "INVALID_SERVICE_ORDER"


class ServiceOrderState(StrEnum):
    """The part of TMF641's ServiceOrderStateType the simulator walks through."""

    acknowledged = "acknowledged"
    inProgress = "inProgress"
    completed = "completed"
    failed = "failed"


TRANSITIONS: dict[ServiceOrderState | None, frozenset[ServiceOrderState]] = {
    None: frozenset({ServiceOrderState.acknowledged}),
    ServiceOrderState.acknowledged: frozenset({ServiceOrderState.inProgress}),
    ServiceOrderState.inProgress: frozenset({ServiceOrderState.completed, ServiceOrderState.failed}),
    ServiceOrderState.completed: frozenset(),
    ServiceOrderState.failed: frozenset(),
}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def validated_request(body: Any) -> dict[str, Any]:
    """A TMF641 ServiceOrder_Create (at least one item, unique item ids) with an `externalId`."""
    if not isinstance(body, dict):
        raise InvalidServiceOrder("the body must be a JSON object (TMF641 ServiceOrder_Create)")
    problems = violations("TMF641", "ServiceOrder_Create", body)
    if problems:
        raise InvalidServiceOrder("; ".join(problems[:5]))
    external_id = body.get("externalId")
    if not isinstance(external_id, str) or not external_id.strip():
        # Switchboard deduplicates on it: without it a retried POST would make a second service order.
        raise InvalidServiceOrder("externalId is required: the simulator deduplicates service orders on it")
    ids = [item["id"] for item in body["serviceOrderItem"]]
    if len(set(ids)) != len(ids):
        raise InvalidServiceOrder("serviceOrderItem ids must be unique")
    return body


@dataclass
class ServiceOrder:
    id: str
    externalId: str
    request: dict[str, Any]
    orderDate: str
    state: ServiceOrderState | None = None
    completionDate: str | None = None
    assignedServices: dict[str, str] = field(default_factory=dict)  # item id -> service id
    errorReason: str | None = None

    @classmethod
    def create(cls, request: dict[str, Any]) -> ServiceOrder:
        return cls(
            id=f"so-{uuid.uuid4().hex[:16]}",
            externalId=request["externalId"],
            request=copy.deepcopy(request),
            orderDate=now_iso(),
        )

    @property
    def href(self) -> str:
        return f"{BASE_PATH}/serviceOrder/{self.id}"

    def move_to(self, state: ServiceOrderState) -> None:
        if state not in TRANSITIONS[self.state]:
            raise ValueError(f"service order {self.id}: {self.state} -> {state} is not a transition")
        self.state = state
        if state in (ServiceOrderState.completed, ServiceOrderState.failed):
            self.completionDate = now_iso()

    def assign_services(self) -> None:
        """The network made (or found) the service of each item: give it an id, as an inventory would."""
        for item in self.request["serviceOrderItem"]:
            service_id = item.get("service", {}).get("id") or f"svc-{uuid.uuid4().hex[:12]}"
            self.assignedServices[item["id"]] = service_id

    def tmf(self) -> dict[str, Any]:
        """The TMF641 ServiceOrder as it stands now."""
        state = (self.state or ServiceOrderState.acknowledged).value
        body: dict[str, Any] = {key: copy.deepcopy(self.request[key]) for key in _KEPT if key in self.request}
        body.update(
            {
                "id": self.id,
                "href": self.href,
                "orderDate": self.orderDate,
                "state": state,
                "serviceOrderItem": [self._item(item, state) for item in self.request["serviceOrderItem"]],
                "@type": "ServiceOrder",
            }
        )
        if self.completionDate:
            body["completionDate"] = self.completionDate
        if self.errorReason:
            body["errorMessage"] = {"code": 500, "reason": self.errorReason, "message": self.errorReason}
        return body

    def _item(self, requested: dict[str, Any], state: str) -> dict[str, Any]:
        item = copy.deepcopy(requested)
        item["state"] = state
        service_id = self.assignedServices.get(item["id"])
        if service_id is not None:
            item["service"] = {**item.get("service", {}), "id": service_id}
        return item
