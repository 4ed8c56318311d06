from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from runtime.events.dispatcher import Outcome, next_step
from runtime.events.models import DeliveryState, sources
from runtime.events.policy import DeliveryPolicy

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def test_backoff_doubles_from_the_base_with_jitter_and_stops_at_the_cap() -> None:
    policy = DeliveryPolicy(backoff_base_seconds=1, backoff_cap_seconds=600)
    assert [policy.retry_delay(n, 0.999999) for n in (1, 2, 3)] == pytest.approx([1, 2, 4], rel=1e-5)
    assert [policy.retry_delay(n, 0.0) for n in (1, 2, 3)] == [0.5, 1, 2]
    assert policy.retry_delay(11, 0.999999) == pytest.approx(600, rel=1e-5)
    assert policy.retry_delay(10_000, 0.5) == 450


def test_a_2xx_is_delivered() -> None:
    state, values = next_step(DeliveryPolicy(), 1, Outcome(204, None), NOW, 0.5)
    assert state is DeliveryState.delivered and values["delivered_at"] == NOW


def test_a_failure_is_retried_later_until_the_last_attempt_which_is_dead() -> None:
    policy = DeliveryPolicy(max_attempts=3, backoff_base_seconds=10)
    state, values = next_step(policy, 2, Outcome(500, "HTTP 500"), NOW, 0.0)
    assert state is DeliveryState.pending and values["next_attempt_at"] == NOW + timedelta(seconds=10)
    state, values = next_step(policy, 3, Outcome(None, "refused"), NOW, 0.0)
    assert state is DeliveryState.dead and values["last_error"] == "refused"


def test_a_redirect_is_not_a_delivery() -> None:
    state, _ = next_step(DeliveryPolicy(), 1, Outcome(302, "HTTP 302"), NOW, 0.0)
    assert state is DeliveryState.pending


def test_the_policy_reads_the_environment_and_refuses_nonsense() -> None:
    policy = DeliveryPolicy.from_env(
        {
            "SWITCHBOARD_EVENT_MAX_ATTEMPTS": "20",
            "SWITCHBOARD_EVENT_TIMEOUT_SECONDS": "2.5",
            "SWITCHBOARD_EVENT_DISPATCH": "off",
        }
    )
    assert (policy.max_attempts, policy.timeout_seconds, policy.dispatch) == (20, 2.5, False)
    assert DeliveryPolicy.from_env({}) == DeliveryPolicy()
    with pytest.raises(ValueError, match="concurrency"):
        DeliveryPolicy.from_env({"SWITCHBOARD_EVENT_CONCURRENCY": "0"})


def test_delivered_and_cancelled_are_final_and_only_dead_goes_back_to_pending_from_rest() -> None:
    assert sources(DeliveryState.pending) == {DeliveryState.delivering, DeliveryState.dead}
    assert DeliveryState.delivered not in sources(DeliveryState.delivering)
    assert DeliveryState.cancelled not in sources(DeliveryState.delivering)
