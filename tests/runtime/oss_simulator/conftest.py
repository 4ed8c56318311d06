"""Each test gets its own receivers and simulators, closed at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from runtime.oss_simulator.config import SimulatorConfig
from tests.runtime.oss_simulator.harness import INSTANT, OSS_KEY, SECRET, Receiver, RunningSimulator


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def start(**options: Any) -> Receiver:
        started.append(Receiver(**options))
        return started[-1]

    yield start
    for receiver in started:
        receiver.close()


@pytest.fixture
def simulators() -> Iterator[Callable[..., RunningSimulator]]:
    """Start a simulator calling back `callback_url`, instant and well-behaved unless `behaviour` says else."""
    started: list[RunningSimulator] = []

    def start(callback_url: str, **behaviour: Any) -> RunningSimulator:
        config = SimulatorConfig(
            callback_url=callback_url,
            api_key=OSS_KEY,
            secret=SECRET,
            seed=7,
            behaviour=replace(INSTANT, **behaviour),
            retry_base_seconds=0.01,
            retry_cap_seconds=0.05,
            request_timeout_seconds=5.0,
        )
        started.append(RunningSimulator(config))
        return started[-1]

    yield start
    for simulator in started:
        simulator.close()
