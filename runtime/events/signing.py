"""HMAC signatures on callbacks, both ways: `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.

The timestamp (Unix seconds) is inside the signed text, so a captured request cannot be replayed outside
the tolerance window, and listeners drop replays within it by event id. See docs/notifications.md.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time

EVENT_ID_HEADER = "X-Switchboard-Event-Id"
TIMESTAMP_HEADER = "X-Switchboard-Timestamp"
SIGNATURE_HEADER = "X-Switchboard-Signature"
SCHEME = "sha256="

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_LISTENER_KEY_CONTEXT = b"switchboard/event-subscription/v1:"


def sign(secret: str, timestamp: int | str, body: bytes | str) -> str:
    """The signature header value for this body sent at this timestamp."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    message = f"{timestamp}.".encode("ascii") + raw
    return SCHEME + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    timestamp: int | str | None,
    body: bytes | str,
    signature: str | None,
    tolerance_seconds: int = 300,
    now: float | None = None,
) -> bool:
    """True when `signature` signs `body` at `timestamp` with `secret` and the timestamp is recent."""
    if not secret or signature is None or timestamp is None:
        return False  # an empty secret would let anyone sign
    stamp = str(timestamp)
    if not _TIMESTAMP.fullmatch(stamp):
        return False
    current = time.time() if now is None else now
    if abs(current - int(stamp)) > tolerance_seconds:
        return False
    # Constant-time, over bytes: compare_digest refuses non-ASCII str, and a header may carry anything.
    return hmac.compare_digest(sign(secret, stamp, body).encode("ascii"), signature.encode("utf-8"))


def listener_secret(signing_secret: str, subscription_id: str) -> str:
    """The key one subscription's callbacks are signed with, derived from the server's signing secret.

    The server secret itself also signs bearer tokens, so handing it to listeners would let any of them
    mint an admin token; a per-subscription HMAC derivation reveals nothing about it and keeps listeners
    from forging each other's callbacks.
    """
    derived = hmac.new(
        signing_secret.encode("utf-8"),
        _LISTENER_KEY_CONTEXT + subscription_id.encode("utf-8"),
        hashlib.sha256,
    )
    return "sbe_" + derived.hexdigest()


def signed_headers(secret: str, event_id: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = int(time.time() if now is None else now)
    return {
        "Content-Type": "application/json",
        EVENT_ID_HEADER: event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }
