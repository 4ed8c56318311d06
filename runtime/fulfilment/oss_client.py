"""Sending TMF641 v4 service orders to the OSS, idempotently: the OSS deduplicates on `externalId`.

A retried activity POSTs the same externalId again and gets the first service order back (200), so the
same step never creates two. Transport failures and 5xx/408/429 raise `OssUnavailable` (the activity
retries); any other 4xx is `OssRefused`, a business answer no retry can change.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from runtime.events.signing import signed_headers
from workflows.plan_view import ServiceOrderRequest

RETRYABLE_STATUSES = frozenset({408, 429})


class OssUnavailable(Exception):
    """The OSS could not be reached or answered 5xx: try again later."""


class OssRefused(Exception):
    """The OSS refused the service order (4xx): retrying the same request cannot succeed."""


def service_order_body(request: ServiceOrderRequest) -> dict[str, Any]:
    """A TMF641 ServiceOrder_Create with one item: the step's action on its service specification."""
    service: dict[str, Any] = {
        "serviceSpecification": {"id": request.serviceSpecification, "@referredType": "ServiceSpecification"},
        "@type": "Service",
    }
    if request.characteristics:
        service["serviceCharacteristic"] = [
            {"name": name, "value": value} for name, value in sorted(request.characteristics.items())
        ]
    notes = [{"text": f"product order {request.orderId}, step {request.stepId}", "@type": "Note"}]
    if request.productId is not None:
        notes.append({"text": f"acts on inventory product {request.productId}", "@type": "Note"})
    item = {"id": "1", "action": request.action, "service": service, "@type": "ServiceOrderItem"}
    body: dict[str, Any] = {
        "externalId": request.externalId,
        "description": request.description,
        "category": "switchboard-order-step",
        "serviceOrderItem": [item],
        "note": notes,
        "@type": "ServiceOrder",
    }
    return body


class OssClient:
    """One per process; `base_url` is `settings.oss_url` (…/tmf-api/serviceOrdering/v4)."""

    def __init__(self, base_url: str, secret: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        # trust_env=False: a proxy from the environment must not stand between us and the OSS.
        self.http = httpx.AsyncClient(timeout=timeout, trust_env=False)

    async def close(self) -> None:
        await self.http.aclose()

    async def submit(self, request: ServiceOrderRequest, *, look_first: bool = False) -> str:
        """The id of the service order for `request.externalId`, created if the OSS has none yet."""
        if look_first:
            existing = await self.find(request.externalId)
            if existing is not None:
                return existing
        body = json.dumps(service_order_body(request), separators=(",", ":")).encode("utf-8")
        headers = signed_headers(self.secret, request.externalId, body) if self.secret else {}
        headers["Content-Type"] = "application/json"
        response = await self._call("POST", "/serviceOrder", content=body, headers=headers)
        return str(response.json()["id"])

    async def find(self, external_id: str) -> str | None:
        """The id of the service order made for `external_id`, or None."""
        response = await self._call("GET", "/serviceOrder", params={"externalId": external_id})
        found = response.json()
        return str(found[0]["id"]) if found else None

    async def _call(self, method: str, path: str, **options: Any) -> httpx.Response:
        try:
            response = await self.http.request(method, self.base_url + path, **options)
        except httpx.HTTPError as error:
            raise OssUnavailable(f"{method} {path}: {type(error).__name__}: {error}") from error
        if response.status_code >= 500 or response.status_code in RETRYABLE_STATUSES:
            raise OssUnavailable(f"{method} {path}: the OSS answered {response.status_code}")
        if response.status_code >= 400:
            raise OssRefused(
                f"{method} {path}: the OSS answered {response.status_code}: {response.text[:500]}"
            )
        return response
