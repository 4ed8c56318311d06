"""Orders through the whole system (API → Temporal → worker → OSS simulator → callbacks), with crashes.

Real processes, real HTTP, a real Temporal dev server: each test kills or disturbs one part and checks that
the order still ends right, that the OSS received each service order exactly once, and that nothing is lost.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from runtime.supervisor import Child, free_port, switchboard_command
from tests.system.stack import CANCELS, INVENTORY, ORDERS, Stack

pytestmark = pytest.mark.system


def item(item_id: str, offering: str, action: str = "add", **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "action": action, "productOffering": {"id": offering}, **extra}


def bundled_by(parent: str) -> list[dict[str, str]]:
    return [{"id": parent, "relationshipType": "bundledBy"}]


def term(months: int) -> dict[str, Any]:
    return {"productCharacteristic": [{"name": "contractTerm", "value": months}]}


def order_body(
    items: list[dict[str, Any]], customer: str = "CUST-1001", channel: str = "retail"
) -> dict[str, Any]:
    return {
        "channel": [{"id": channel, "role": "salesChannel"}],
        "relatedParty": [{"id": customer, "role": "Customer", "@referredType": "Customer"}],
        "productOrderItem": items,
    }


def converged_order() -> dict[str, Any]:
    """Anna moves to Home & Mobile: fibre 1000, a 5G line and TV in one bundle; her Fibre 500 goes."""
    return order_body(
        [
            item("1", "converged-home"),
            item("2", "fibre-1000", product=term(24), productOrderItemRelationship=bundled_by("1")),
            item("3", "mobile-5g-m", productOrderItemRelationship=bundled_by("1")),
            item("4", "tv-essential", productOrderItemRelationship=bundled_by("1")),
            item("5", "fibre-500", "delete", product={"id": "PRD-1001"}),
        ]
    )


def fibre_order() -> dict[str, Any]:
    """Noordzee Logistics (CUST-3001) orders business fibre: its one point of no return is the ONT visit."""
    return order_body([item("1", "fibre-business-1000", product=term(24))], customer="CUST-3001")


@pytest.fixture
def stack(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Stack]:
    options: dict[str, Any] = getattr(request, "param", {})
    running = Stack(tmp_path, **options).start()
    try:
        yield running
    finally:
        running.stop()


def by_external_id(stack: Stack, order_id: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = stack.stats()["byExternalId"]
    return {key: value for key, value in found.items() if key.startswith(f"{order_id}/")}


def assert_each_service_order_created_once(stack: Stack, order_id: str) -> dict[str, dict[str, Any]]:
    sent = by_external_id(stack, order_id)
    assert sent, "the OSS received no service order"
    assert {key: value["serviceOrdersCreated"] for key, value in sent.items()} == dict.fromkeys(sent, 1)
    return sent


def inventory_states(stack: Stack, order: dict[str, Any]) -> dict[str, str]:
    states = {}
    with stack.client() as client:
        for order_item in order["productOrderItem"]:
            product_id = order_item.get("product", {}).get("id")
            if product_id:
                response = client.get(f"{INVENTORY}/{product_id}")
                assert response.status_code == 200, response.text
                states[order_item["id"]] = response.json()["status"]
    return states


def test_a_converged_order_completes_with_active_inventory_and_hub_events(stack: Stack) -> None:
    # A channel developer's view: `switchboard listen` registers on the order and inventory hubs and prints
    # every event whose signature verifies.
    port = free_port()
    log = stack.data_dir / "logs" / "listen.log"
    listen = Child(
        "listen",
        switchboard_command(
            "listen", "--api-url", f"http://127.0.0.1:{stack.api_port}", "--port", str(port), "--json"
        ),
        {**stack.env, "SWITCHBOARD_API_KEY": stack.keys["CHANNEL"]},
        log=log,
    )
    listen.start()
    try:
        _wait_for(lambda: log.read_text().count("listening to") == 2, "the listener registered")
        order = stack.place(converged_order())
        done = stack.wait_state(order["id"], *("completed", "failed", "held"), timeout=90)
        assert done["state"] == "completed", done
        assert inventory_states(stack, done) == {
            "1": "active",
            "2": "active",
            "3": "active",
            "4": "active",
            "5": "terminated",
        }
        sent = assert_each_service_order_created_once(stack, order["id"])
        assert any("/4/activate-iptv#" in key for key in sent)
        products = {i["product"]["id"] for i in done["productOrderItem"]}

        def events() -> list[dict[str, Any]]:
            return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]

        def inventory_events() -> set[str]:
            return {e["event"]["product"]["id"] for e in events() if "product" in e["event"]}

        _wait_for(
            lambda: products <= inventory_events(), "every product's inventory event reached the listener"
        )
        # Hub delivery is at least once and unordered (a retry overtakes): a listener orders by eventTime.
        states = [
            e["event"]["productOrder"]["state"]
            for e in sorted(events(), key=lambda e: e["eventTime"])
            if e["eventType"] in {"ProductOrderCreateEvent", "ProductOrderStateChangeEvent"}
        ]
        assert states[0] == "acknowledged" and states[-1] == "completed" and "inProgress" in states, states
    finally:
        listen.stop()


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting until {what}")


@pytest.mark.parametrize("stack", [{"simulator_args": ("--delay", "0.6:1.0", "--seed", "3")}], indirect=True)
def test_killing_the_worker_mid_order_loses_nothing_and_duplicates_no_service_order(stack: Stack) -> None:
    order = stack.place(converged_order())
    stack.wait_order(
        order["id"], lambda o: len(by_external_id(stack, o["id"])) >= 2 and o["state"] == "inProgress"
    )
    assert stack.worker is not None
    stack.worker.kill()
    time.sleep(2.0)  # callbacks keep arriving; the API signals Temporal, which keeps them for the worker
    stack.worker.start()
    done = stack.wait_state(order["id"], "completed", "failed", "held", timeout=120)
    assert done["state"] == "completed", done
    assert_each_service_order_created_once(stack, order["id"])


@pytest.mark.parametrize(
    "stack",
    [
        {
            "simulator_args": (
                "--delay",
                "0.05:0.2",
                "--duplicate-rate",
                "1",
                "--out-of-order-rate",
                "1",
                "--seed",
                "5",
            )
        }
    ],
    indirect=True,
)
def test_duplicated_and_out_of_order_callbacks_leave_the_order_correct(stack: Stack) -> None:
    order = stack.place(converged_order())
    done = stack.wait_state(order["id"], "completed", "failed", "held", timeout=90)
    assert done["state"] == "completed", done
    sent = assert_each_service_order_created_once(stack, order["id"])
    # The simulator did send each state twice and a stale inProgress last; the order took none of it back.
    assert all(value["scenario"]["outOfOrder"] for value in sent.values())
    assert all(item["state"] == "completed" for item in done["productOrderItem"])
    assert set(inventory_states(stack, done).values()) <= {"active", "terminated"}


@pytest.mark.parametrize("stack", [{"time_scale": 0.001}], indirect=True)
def test_oss_down_raises_a_jeopardy_and_the_order_recovers_when_it_is_back(stack: Stack) -> None:
    # PT1H steps time out after 3.6 s at this scale: long enough to retry, short enough to see the jeopardy.
    stack.configure_oss(down=True)
    order = stack.place(fibre_order())
    held = stack.wait_state(order["id"], "held", timeout=60)
    jeopardies = [m for m in held.get("milestone", []) if m["name"] == "jeopardy"]
    assert jeopardies, held
    stack.configure_oss(down=False)
    done = stack.wait_state(order["id"], "completed", "failed", timeout=120)
    assert done["state"] == "completed", done
    assert_each_service_order_created_once(stack, order["id"])


@pytest.mark.parametrize("stack", [{"simulator_args": ("--delay", "0.5:1.0", "--seed", "11")}], indirect=True)
def test_restarting_the_api_mid_flow_loses_nothing(stack: Stack) -> None:
    order = stack.place(converged_order())
    stack.wait_order(order["id"], lambda o: o["state"] == "inProgress")
    assert stack.api is not None
    stack.api.kill()
    time.sleep(2.0)  # the simulator's callbacks fail meanwhile; it retries them until the API is back
    stack.api.start(timeout=90)
    done = stack.wait_state(order["id"], "completed", "failed", "held", timeout=120)
    assert done["state"] == "completed", done
    sent = assert_each_service_order_created_once(stack, order["id"])
    assert all(value["dropped"] == 0 for value in sent.values())


def test_cancel_before_the_point_of_no_return_runs_the_compensations(stack: Stack) -> None:
    stack.configure_oss(slowSpecifications={"rfs-olt-port": 6})  # the ONT (the PONR) waits for the OLT port
    order = stack.place(fibre_order())
    # The router ships quickly; the OLT port reservation is slow, so the order is before its PONR.
    stack.wait_order(
        order["id"],
        lambda o: any(
            k.endswith("/ship-router#1") and v["acked"] >= 3
            for k, v in by_external_id(stack, o["id"]).items()
        ),
    )
    with stack.client() as client:
        response = client.post(
            CANCELS, json={"productOrder": {"id": order["id"]}, "cancellationReason": "customer changed mind"}
        )
    assert response.status_code == 201, response.text
    done = stack.wait_state(order["id"], "cancelled", "failed", timeout=90)
    assert done["state"] == "cancelled", done
    sent = by_external_id(stack, order["id"])
    assert not any("/install-ont#" in key for key in sent), "the point-of-no-return step was sent"
    compensations = [
        key for key in sent if "ship-router" in key and key not in {f"{order['id']}/1/ship-router#1"}
    ]
    assert compensations, f"no compensation for the shipped router: {sorted(sent)}"


def test_cancel_after_the_point_of_no_return_is_refused_with_the_reason(stack: Stack) -> None:
    order = stack.place(order_body([item("1", "tv-essential")]))
    stack.wait_order(order["id"], lambda o: any("ship-stb" in k for k in by_external_id(stack, o["id"])))
    with stack.client() as client:
        response = client.post(CANCELS, json={"productOrder": {"id": order["id"]}})
    assert response.status_code == 409, response.text
    assert "ship-stb" in response.json()["message"] or "point of no return" in response.json()["message"]
    done = stack.wait_state(order["id"], "completed", "failed", "held", timeout=90)
    assert done["state"] == "completed"


def test_amend_before_the_point_of_no_return_replans_only_the_changed_part(stack: Stack) -> None:
    stack.configure_oss(slowSpecifications={"rfs-olt-port": 3})
    order = stack.place(fibre_order())
    stack.wait_order(
        order["id"], lambda o: any("reserve-olt-port" in k for k in by_external_id(stack, o["id"]))
    )
    items = [*fibre_order()["productOrderItem"], item("3", "mobile-5g-business-m")]
    with stack.client() as client:
        response = client.patch(
            f"{ORDERS}/{order['id']}",
            json={"productOrderItem": items},
            headers={"Content-Type": "application/merge-patch+json"},
        )
    assert response.status_code == 200, response.text
    done = stack.wait_state(order["id"], "completed", "failed", "held", timeout=120)
    assert done["state"] == "completed", done
    sent = assert_each_service_order_created_once(stack, order["id"])
    fibre_steps = [key for key in sent if key.startswith(f"{order['id']}/1/")]
    assert all(key.endswith("#1") for key in fibre_steps), "an unchanged step was sent again"
    assert any(key.startswith(f"{order['id']}/3/") for key in sent), "the added line was not planned"
