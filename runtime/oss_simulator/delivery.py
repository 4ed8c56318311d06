"""Callbacks to the Switchboard API: signed, authenticated, retried with backoff until the API takes them."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import httpx

from runtime.events.signing import signed_headers

log = logging.getLogger("switchboard.oss_simulator")

LISTENER_PATH = "/tmf-api/serviceOrdering/v4/listener"
STATE_CHANGE = "ServiceOrderStateChangeEvent"
ATTRIBUTE_VALUE_CHANGE = "ServiceOrderAttributeValueChangeEvent"
_RETRYABLE_CLIENT_ERRORS = frozenset({408, 429})


@dataclass(frozen=True, slots=True)
class Callback:
    """One TMF641 event; a duplicate is the same Callback sent again (same eventId)."""

    externalId: str
    body: dict[str, Any]

    @property
    def event_id(self) -> str:
        return str(self.body["eventId"])

    @property
    def event_type(self) -> str:
        return str(self.body["eventType"])

    @property
    def path(self) -> str:
        return f"{LISTENER_PATH}/{self.event_type[0].lower()}{self.event_type[1:]}"


class Outcome(StrEnum):
    acked = "acked"  # the API answered 2xx
    dropped = "dropped"  # the API refused it for good (a 4xx other than 408/429)


@dataclass
class DeliveryCounters:
    sent: int = 0  # HTTP attempts
    acked: int = 0
    dropped: int = 0


class CallbackSender:
    """Delivers one callback at a time per caller; concurrency comes from one caller per service order."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        callback_url: str,
        secret: str,
        key: Callable[[], str | None],
        retry_base_seconds: float,
        retry_cap_seconds: float,
    ) -> None:
        self._client = client
        self._base = callback_url.rstrip("/")
        self._secret = secret
        self._key = key
        self._base_delay = retry_base_seconds
        self._cap = retry_cap_seconds
        self._jitter = random.Random()  # not the scenario RNG: retries must not shift the seeded draws

    async def deliver(self, callback: Callback, counters: DeliveryCounters) -> Outcome:
        """Send until the API answers 2xx (nothing is lost while it restarts) or refuses it for good."""
        body = json.dumps(callback.body, separators=(",", ":")).encode("utf-8")
        attempt = 0
        while True:
            attempt += 1
            status = await self._post(callback, body, counters)
            if status is not None and 200 <= status < 300:
                counters.acked += 1
                return Outcome.acked
            if status is not None and 400 <= status < 500 and status not in _RETRYABLE_CLIENT_ERRORS:
                counters.dropped += 1
                log.warning(
                    "callback %s %s for %s refused with %s; dropped",
                    callback.event_type,
                    callback.event_id,
                    callback.externalId,
                    status,
                )
                return Outcome.dropped
            await asyncio.sleep(self._backoff(attempt))

    async def _post(self, callback: Callback, body: bytes, counters: DeliveryCounters) -> int | None:
        key = self._key()
        if key is None:
            log.warning("no API key of role oss yet; callback %s waits", callback.event_id)
            return None
        # Signed at each attempt: the timestamp is inside the signature and must stay recent.
        headers = signed_headers(self._secret, callback.event_id, body)
        headers["Authorization"] = f"Bearer {key}"
        counters.sent += 1
        try:
            response = await self._client.post(self._base + callback.path, content=body, headers=headers)
        except httpx.HTTPError as error:
            log.info("callback %s not delivered (%s); retrying", callback.event_id, type(error).__name__)
            return None
        return response.status_code

    def _backoff(self, attempt: int) -> float:
        ceiling: float = min(self._cap, self._base_delay * 2 ** min(attempt - 1, 30))
        return ceiling * (0.5 + self._jitter.random() / 2)
