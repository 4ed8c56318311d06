"""Callbacks to the API: the TMF641 events in order, signed and authorised, failures, duplicates, out of
order, and delivery that outlasts an API that is down or restarting.
"""

from __future__ import annotations

from collections.abc import Callable

from runtime.supervisor import free_port
from runtime.tmf.contract import assert_conforms
from tests.runtime.oss_simulator.harness import Receiver, RunningSimulator, event_id, eventually

Simulators = Callable[..., RunningSimulator]
Receivers = Callable[..., Receiver]
LISTENER = "/tmf-api/serviceOrdering/v4/listener"


def test_a_service_order_calls_back_acknowledged_in_progress_then_completed_signed_with_the_oss_key(
    simulators: Simulators, receivers: Receivers
) -> None:
    receiver = receivers()
    oss = simulators(receiver.url)
    order = oss.post_order("ORD-1/fibre-access#1").json()
    eventually(oss.settled)

    got = receiver.accepted("ORD-1/fibre-access#1")
    assert [(r.event_type, r.state) for r in got] == [
        ("ServiceOrderStateChangeEvent", "acknowledged"),
        ("ServiceOrderStateChangeEvent", "inProgress"),
        ("ServiceOrderAttributeValueChangeEvent", "inProgress"),
        ("ServiceOrderStateChangeEvent", "completed"),
    ]
    assert all(r.signed and r.authorised for r in got)
    assert [r.path for r in got] == [
        f"{LISTENER}/serviceOrderStateChangeEvent",
        f"{LISTENER}/serviceOrderStateChangeEvent",
        f"{LISTENER}/serviceOrderAttributeValueChangeEvent",
        f"{LISTENER}/serviceOrderStateChangeEvent",
    ]
    for received in got:
        assert_conforms("TMF641", received.event_type, received.json)
        assert received.json["eventId"] == event_id(received)
        assert received.json["event"]["serviceOrder"]["id"] == order["id"]
    assert len({event_id(r) for r in got}) == 4
    completed = got[-1].json["event"]["serviceOrder"]
    service_id = completed["serviceOrderItem"][0]["service"]["id"]
    assert service_id.startswith("svc-") and completed["serviceOrderItem"][0]["state"] == "completed"
    assert got[2].json["fieldPath"] == "serviceOrderItem.service.id"
    assert got[2].json["event"]["serviceOrder"]["serviceOrderItem"][0]["service"]["id"] == service_id
    assert (
        oss.http.get(f"/tmf-api/serviceOrdering/v4/serviceOrder/{order['id']}").json()["state"] == "completed"
    )
    counts = oss.stats()["byExternalId"]["ORD-1/fibre-access#1"]
    assert (counts["sent"], counts["acked"], counts["dropped"]) == (4, 4, 0)


def test_with_failure_rate_one_every_service_order_ends_failed_without_attribute_event(
    simulators: Simulators, receivers: Receivers
) -> None:
    receiver = receivers()
    oss = simulators(receiver.url, failureRate=1.0)
    for n in range(3):
        oss.post_order(f"ORD-2/step-{n}#1")
    eventually(oss.settled)

    for n in range(3):
        got = receiver.accepted(f"ORD-2/step-{n}#1")
        assert [r.state for r in got] == ["acknowledged", "inProgress", "failed"]
        assert got[-1].json["event"]["serviceOrder"]["errorMessage"]["reason"] == "simulated network failure"
        assert_conforms("TMF641", "ServiceOrderStateChangeEvent", got[-1].json)


def test_with_duplicate_rate_one_every_callback_arrives_twice_with_the_same_event_id(
    simulators: Simulators, receivers: Receivers
) -> None:
    receiver = receivers()
    oss = simulators(receiver.url, duplicateRate=1.0, attributeEvents=False)
    oss.post_order("ORD-3/line#1")
    eventually(oss.settled)

    got = receiver.accepted()
    assert [r.state for r in got] == ["acknowledged"] * 2 + ["inProgress"] * 2 + ["completed"] * 2
    ids = [event_id(r) for r in got]
    assert ids[0] == ids[1] != ids[2] == ids[3] != ids[4] == ids[5]
    assert all(r.signed for r in got)


def test_out_of_order_delivers_a_stale_in_progress_after_the_final_state(
    simulators: Simulators, receivers: Receivers
) -> None:
    receiver = receivers()
    oss = simulators(receiver.url, outOfOrderRate=1.0, attributeEvents=False)
    oss.post_order("ORD-4/line#1")
    eventually(oss.settled)

    got = receiver.accepted()
    assert [r.state for r in got] == ["acknowledged", "completed", "inProgress"]
    # The stale event tells its age: its eventTime is before the completed one's.
    assert got[2].json["eventTime"] <= got[1].json["eventTime"]
    assert got[2].json["event"]["serviceOrder"]["serviceOrderItem"][0]["state"] == "inProgress"


def test_callbacks_wait_and_retry_while_the_api_is_unreachable_and_all_arrive_once_it_is_back(
    simulators: Simulators, receivers: Receivers
) -> None:
    port = free_port()  # nothing listens here yet: connections are refused
    oss = simulators(f"http://127.0.0.1:{port}", attributeEvents=False)
    oss.post_order("ORD-5/line#1")
    oss.post_order("ORD-5/sim#1")
    eventually(lambda: oss.stats()["totals"]["sent"] >= 6)  # several attempts each, none delivered
    assert oss.stats()["totals"]["acked"] == 0

    receiver = receivers(port=port)
    eventually(oss.settled)

    for external_id in ("ORD-5/line#1", "ORD-5/sim#1"):
        assert [r.state for r in receiver.accepted(external_id)] == [
            "acknowledged",
            "inProgress",
            "completed",
        ]
    assert oss.stats()["totals"]["acked"] == 6


def test_server_errors_408_and_429_are_retried_with_the_same_event_id(
    simulators: Simulators, receivers: Receivers
) -> None:
    receiver = receivers(script=[503, 500, 408, 429])
    oss = simulators(receiver.url, attributeEvents=False)
    oss.post_order("ORD-6/line#1")
    eventually(oss.settled)

    assert receiver.answered[:5] == [503, 500, 408, 429, 201]
    assert [r.state for r in receiver.accepted()] == ["acknowledged", "inProgress", "completed"]
    counts = oss.stats()["byExternalId"]["ORD-6/line#1"]
    assert (counts["sent"], counts["acked"], counts["dropped"]) == (7, 3, 0)


def test_a_callback_refused_with_another_client_error_is_dropped_and_the_next_one_is_sent(
    simulators: Simulators, receivers: Receivers
) -> None:
    receiver = receivers(script=[401])
    oss = simulators(receiver.url, attributeEvents=False)
    oss.post_order("ORD-7/line#1")
    eventually(oss.settled)

    assert [r.state for r in receiver.accepted()] == ["inProgress", "completed"]
    counts = oss.stats()["byExternalId"]["ORD-7/line#1"]
    assert (counts["sent"], counts["acked"], counts["dropped"]) == (3, 2, 1)
    assert [d["outcome"] for d in counts["deliveries"]] == ["dropped", "acked", "acked"]
