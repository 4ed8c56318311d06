"""`switchboard listen` checks each callback's signature and shows a redelivered event once."""

from __future__ import annotations

import io
import json

from runtime.cli_listen import Listener
from runtime.events.signing import signed_headers


def _event(event_id: str, state: str) -> bytes:
    body = {
        "eventId": event_id,
        "eventTime": "2026-11-25T10:00:00Z",
        "eventType": "ProductOrderStateChangeEvent",
        "event": {"productOrder": {"id": "PO-1", "state": state}},
    }
    return json.dumps(body).encode()


def _lower(headers: dict[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def test_a_signed_event_is_printed_once_even_when_redelivered() -> None:
    out = io.StringIO()
    listener = Listener(out=out, secrets={"productOrderingManagement": "sbe_secret"})
    body = _event("e1", "completed")
    headers = _lower(signed_headers("sbe_secret", "e1", body))
    path = "/productOrderingManagement/listener/productOrderStateChangeEvent"
    assert listener.handle(path, headers, body) == 204
    assert listener.handle(path, headers, body) == 204
    lines = out.getvalue().splitlines()
    assert lines == [
        "2026-11-25T10:00:00Z productOrderingManagement ProductOrderStateChangeEvent PO-1 completed"
    ]


def test_a_callback_signed_with_another_secret_is_refused_and_not_shown() -> None:
    out = io.StringIO()
    listener = Listener(out=out, secrets={"productOrderingManagement": "sbe_secret"})
    body = _event("e2", "completed")
    headers = _lower(signed_headers("sbe_other", "e2", body))
    path = "/productOrderingManagement/listener/productOrderStateChangeEvent"
    assert listener.handle(path, headers, body) == 401
    assert "PO-1" not in out.getvalue()


def test_a_callback_for_an_api_not_followed_is_not_found() -> None:
    listener = Listener(out=io.StringIO(), secrets={"productInventory": "sbe_secret"})
    body = _event("e3", "completed")
    headers = _lower(signed_headers("sbe_secret", "e3", body))
    assert listener.handle("/productOrderingManagement/listener/x", headers, body) == 404
