from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from runtime.events.signing import listener_secret, sign, signed_headers, verify

SECRET = "listener-secret"
BODY = b'{"eventId":"e1","eventType":"ProductOrderStateChangeEvent"}'
NOW = 1_800_000_000


def test_a_signature_verifies_with_the_same_secret_body_and_timestamp() -> None:
    signature = sign(SECRET, NOW, BODY)
    assert signature.startswith("sha256=") and len(signature) == len("sha256=") + 64
    assert verify(SECRET, str(NOW), BODY, signature, now=NOW + 10)


def test_str_and_bytes_bodies_sign_alike() -> None:
    assert sign(SECRET, NOW, BODY.decode()) == sign(SECRET, NOW, BODY)


def test_a_tampered_body_is_rejected() -> None:
    signature = sign(SECRET, NOW, BODY)
    assert not verify(SECRET, NOW, BODY.replace(b"e1", b"e2"), signature, now=NOW)


def test_a_wrong_secret_is_rejected() -> None:
    assert not verify("another-secret", NOW, BODY, sign(SECRET, NOW, BODY), now=NOW)


def test_a_changed_timestamp_is_rejected() -> None:
    assert not verify(SECRET, NOW + 1, BODY, sign(SECRET, NOW, BODY), now=NOW)


@pytest.mark.parametrize("skew", [-301, 301, 86_400])
def test_a_timestamp_outside_the_replay_window_is_rejected(skew: int) -> None:
    signature = sign(SECRET, NOW, BODY)
    assert verify(SECRET, NOW, BODY, signature, now=NOW - skew / abs(skew) * 299)
    assert not verify(SECRET, NOW, BODY, signature, now=NOW + skew)


def test_the_window_is_configurable() -> None:
    signature = sign(SECRET, NOW, BODY)
    assert verify(SECRET, NOW, BODY, signature, tolerance_seconds=3600, now=NOW + 3000)
    assert not verify(SECRET, NOW, BODY, signature, tolerance_seconds=60, now=NOW + 61)


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [
        (None, "sha256=00"),
        (str(NOW), None),
        ("not-a-number", "sha256=00"),
        ("-5", "sha256=00"),
        (str(NOW), "sha256=" + "0" * 64),
        (str(NOW), "md5=abc"),
        (str(NOW), "sha256=ünïcode"),
    ],
)
def test_malformed_headers_are_rejected_not_raised(timestamp: str | None, signature: str | None) -> None:
    assert not verify(SECRET, timestamp, BODY, signature, now=NOW)


def test_an_empty_secret_never_verifies() -> None:
    assert not verify("", NOW, BODY, sign("", NOW, BODY), now=NOW)


def test_listener_secrets_differ_per_subscription_and_hide_the_server_secret() -> None:
    first, second = listener_secret("server", "sub-1"), listener_secret("server", "sub-2")
    assert first != second and first.startswith("sbe_")
    assert first == listener_secret("server", "sub-1")
    assert "server" not in first and first != listener_secret("other-server", "sub-1")


def test_the_listener_example_in_the_docs_verifies_what_the_dispatcher_signs() -> None:
    text = (Path(__file__).parents[3] / "docs" / "notifications.md").read_text(encoding="utf-8")
    namespace: dict[str, Any] = {}
    exec(text.split("```python\n", 1)[1].split("```", 1)[0], namespace)
    headers = signed_headers(SECRET, "e1", BODY)
    timestamp, signature = headers["X-Switchboard-Timestamp"], headers["X-Switchboard-Signature"]
    assert namespace["verify"](SECRET, timestamp, BODY, signature)
    assert not namespace["verify"](SECRET, timestamp, BODY + b" ", signature)
    assert not namespace["verify"]("wrong", timestamp, BODY, signature)
    assert not namespace["verify"](
        SECRET, str(int(timestamp) - 301), BODY, sign(SECRET, int(timestamp) - 301, BODY)
    )
