"""The TMF641 face of the simulator: idempotent creation on externalId, reads, bad input, a down OSS."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from runtime.tmf.contract import assert_conforms
from tests.runtime.oss_simulator.harness import Receiver, RunningSimulator, eventually

PATH = "/tmf-api/serviceOrdering/v4/serviceOrder"
Simulators = Callable[..., RunningSimulator]
Receivers = Callable[..., Receiver]


def test_a_second_post_with_the_same_external_id_returns_the_first_service_order(
    simulators: Simulators, receivers: Receivers
) -> None:
    oss = simulators(receivers().url)
    first = oss.post_order("ORD-1/fibre-access#1")
    again = oss.post_order("ORD-1/fibre-access#1")
    other = oss.post_order("ORD-1/tv-activation#1")

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json()["id"] == first.json()["id"] != other.json()["id"]
    assert first.json()["state"] == "acknowledged"
    assert_conforms("TMF641", "ServiceOrder", first.json())
    counts = oss.stats()["byExternalId"]["ORD-1/fibre-access#1"]
    assert (counts["postsReceived"], counts["serviceOrdersCreated"]) == (2, 1)
    assert oss.stats()["totals"]["serviceOrdersCreated"] == 2


def test_service_orders_are_read_by_id_and_listed_by_external_id(
    simulators: Simulators, receivers: Receivers
) -> None:
    oss = simulators(receivers().url)
    created = oss.post_order("ORD-2/line#1", priority="1").json()
    oss.post_order("ORD-2/sim#1")

    one = oss.http.get(f"{PATH}/{created['id']}")
    listed = oss.http.get(PATH, params={"externalId": "ORD-2/line#1"})

    assert one.status_code == 200 and one.json()["externalId"] == "ORD-2/line#1"
    assert one.json()["priority"] == "1"
    assert [order["id"] for order in listed.json()] == [created["id"]]
    assert listed.headers["X-Total-Count"] == "1"
    assert len(oss.http.get(PATH).json()) == 2


def test_an_unknown_service_order_or_filter_is_a_tmf_error(
    simulators: Simulators, receivers: Receivers
) -> None:
    oss = simulators(receivers().url)
    missing = oss.http.get(f"{PATH}/so-nothing")
    bad_filter = oss.http.get(PATH, params={"colour": "blue"})

    assert missing.status_code == 404 and missing.json()["code"] == "NOT_FOUND"
    assert bad_filter.status_code == 400 and bad_filter.json()["@type"] == "Error"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"{not json", "not JSON"),
        (b"[]", "JSON object"),
        (b'{"serviceOrderItem": [{"id": "1", "action": "add", "service": {}}]}', "externalId"),
        (b'{"externalId": "x"}', "serviceOrderItem"),
        (b'{"externalId": "x", "serviceOrderItem": []}', "non-empty"),
        (b'{"externalId": "x", "serviceOrderItem": [{"id": "1", "service": {}}]}', "action"),
        (b'{"externalId": "x", "serviceOrderItem": [{"id": "1", "action": "fly", "service": {}}]}', "fly"),
        (
            b'{"externalId": "x", "serviceOrderItem": [{"id": "1", "action": "add", "service": {}},'
            b' {"id": "1", "action": "add", "service": {}}]}',
            "unique",
        ),
    ],
)
def test_a_bad_service_order_is_a_400_and_creates_nothing(
    simulators: Simulators, receivers: Receivers, body: bytes, fragment: str
) -> None:
    oss = simulators(receivers().url)
    response = oss.http.post(PATH, content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 400, response.text
    assert response.json()["@type"] == "Error" and response.json()["status"] == "400"
    assert fragment in response.json()["message"]
    assert oss.stats()["totals"]["postsReceived"] == 0


def test_a_down_oss_answers_503_to_tmf641_but_its_control_api_still_works(
    simulators: Simulators, receivers: Receivers
) -> None:
    receiver = receivers()
    oss = simulators(receiver.url)
    created = oss.post_order("ORD-3/line#1").json()
    eventually(oss.settled)
    oss.configure(down=True)

    refused = oss.post_order("ORD-3/sim#1")
    read = oss.http.get(f"{PATH}/{created['id']}")

    assert (refused.status_code, read.status_code) == (503, 503)
    assert refused.json()["code"] == "OSS_DOWN"
    assert oss.stats()["postsRefusedWhileDown"] == 2
    assert "ORD-3/sim#1" not in oss.stats()["byExternalId"]
    oss.configure(down=False)
    assert oss.post_order("ORD-3/sim#1").status_code == 201


def test_a_down_oss_sends_no_callback_until_it_is_up_again(
    simulators: Simulators, receivers: Receivers
) -> None:
    receiver = receivers()
    oss = simulators(receiver.url, delayMinSeconds=0.4, delayMaxSeconds=0.4, attributeEvents=False)
    oss.post_order("ORD-4/line#1")
    oss.configure(down=True)

    # Up, the three delays of 0.4 s would have played the whole scenario by now; down, it is stuck.
    time.sleep(1.5)
    held = [r.state for r in receiver.accepted()]
    assert "completed" not in held and len(held) <= 1  # at most an acknowledged already in flight
    assert oss.stats()["playing"] == 1
    oss.configure(down=False)

    eventually(oss.settled)
    assert [r.state for r in receiver.accepted()] == ["acknowledged", "inProgress", "completed"]
