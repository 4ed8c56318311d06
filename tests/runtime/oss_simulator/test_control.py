"""The control API: behaviour changed at run time, refused when out of range, seeded and replayable."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.runtime.oss_simulator.harness import Receiver, RunningSimulator, eventually

Simulators = Callable[..., RunningSimulator]
Receivers = Callable[..., Receiver]


def test_config_changes_apply_to_service_orders_created_afterwards(
    simulators: Simulators, receivers: Receivers
) -> None:
    receiver = receivers()
    oss = simulators(receiver.url)
    oss.post_order("ORD-1/a#1")
    eventually(oss.settled)
    changed = oss.configure(failureRate=1, attributeEvents=False)
    oss.post_order("ORD-1/b#1")
    eventually(oss.settled)

    assert changed["failureRate"] == 1 and changed["attributeEvents"] is False
    assert oss.http.get("/simulator/config").json() == changed
    assert receiver.accepted("ORD-1/a#1")[-1].state == "completed"
    assert receiver.accepted("ORD-1/b#1")[-1].state == "failed"


@pytest.mark.parametrize(
    "patch",
    [
        {"failureRate": 1.5},
        {"duplicateRate": -0.1},
        {"delayMinSeconds": 3, "delayMaxSeconds": 1},
        {"down": "yes"},
        {"outOfOrderRate": "half"},
        {"failureRate": True},
        {"colour": "blue"},
        {"seed": "abc"},
    ],
)
def test_an_invalid_setting_is_a_400_and_changes_nothing(
    simulators: Simulators, receivers: Receivers, patch: dict[str, object]
) -> None:
    oss = simulators(receivers().url)
    before = oss.http.get("/simulator/config").json()
    response = oss.http.put("/simulator/config", json=patch)

    assert response.status_code == 400, response.text
    assert response.json()["code"] == "INVALID_CONFIG"
    assert oss.http.get("/simulator/config").json() == before


def test_the_same_seed_replays_the_same_outcomes(simulators: Simulators, receivers: Receivers) -> None:
    oss = simulators(receivers().url, failureRate=0.5, delayMinSeconds=30, delayMaxSeconds=30)
    external_ids = [f"ORD-2/step-{n}#1" for n in range(12)]

    def outcomes() -> list[str]:
        for external_id in external_ids:
            oss.post_order(external_id)
        stats = oss.stats()["byExternalId"]
        return [stats[external_id]["scenario"]["final"] for external_id in external_ids]

    oss.configure(seed=42)
    first = outcomes()
    oss.http.post("/simulator/reset")
    second = outcomes()

    assert first == second
    assert set(first) == {"completed", "failed"}  # 12 draws at 0.5: both outcomes occur with this seed
    assert oss.stats()["seed"] == 42


def test_reset_forgets_service_orders_and_statistics(simulators: Simulators, receivers: Receivers) -> None:
    oss = simulators(receivers().url, delayMinSeconds=30, delayMaxSeconds=30)
    oss.post_order("ORD-3/a#1")
    assert oss.stats()["playing"] == 1

    after = oss.http.post("/simulator/reset").json()

    assert after["byExternalId"] == {} and after["playing"] == 0
    assert oss.http.get("/tmf-api/serviceOrdering/v4/serviceOrder").json() == []
    assert oss.post_order("ORD-3/a#1").status_code == 201


def test_a_slow_specification_gets_its_fixed_delay_and_others_keep_the_range() -> None:
    import random

    from runtime.oss_simulator.config import Behaviour
    from runtime.oss_simulator.scenario import Scenario

    behaviour = Behaviour(delayMinSeconds=0.0, delayMaxSeconds=0.1, slowSpecifications={"rfs-olt-port": 5})
    assert behaviour.delay_for(["rfs-cpe", "rfs-olt-port"]) == 5
    assert behaviour.delay_for(["rfs-cpe"]) is None
    slow = Scenario.draw(random.Random(1), behaviour, behaviour.delay_for(["rfs-olt-port"]))
    assert slow.delays == (5, 5, 5)
    quick = Scenario.draw(random.Random(1), behaviour, None)
    assert all(d <= 0.1 for d in quick.delays)


def test_a_slow_specification_out_of_range_is_refused() -> None:
    import pytest

    from runtime.oss_simulator.config import Behaviour, InvalidConfig

    with pytest.raises(InvalidConfig):
        Behaviour().changed({"slowSpecifications": {"rfs-olt-port": -1}})
    with pytest.raises(InvalidConfig):
        Behaviour().changed({"slowSpecifications": ["rfs-olt-port"]})
