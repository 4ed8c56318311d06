"""What happens to one service order, drawn once from the seeded RNG when it is created.

Every draw happens at creation, in a fixed order, so a seed replays the same outcomes for the same sequence
of service orders whatever the timing of callbacks and retries.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from runtime.oss_simulator.config import Behaviour
from runtime.oss_simulator.orders import ServiceOrderState

# The callbacks a service order may send, in the order a well-behaved OSS sends them.
ACKNOWLEDGED, IN_PROGRESS, ATTRIBUTES, FINAL = range(4)


@dataclass(frozen=True, slots=True)
class Scenario:
    final: ServiceOrderState  # completed or failed
    delays: tuple[float, float, float]  # seconds before acknowledged, inProgress, the final state
    outOfOrder: bool  # inProgress is held back and delivered after the final state
    duplicated: tuple[bool, bool, bool, bool]  # per callback (ACKNOWLEDGED ... FINAL): sent twice
    attributeEvent: bool

    @classmethod
    def draw(cls, rng: random.Random, behaviour: Behaviour, fixed_delay: float | None = None) -> Scenario:
        fails = rng.random() < behaviour.failureRate
        out_of_order = rng.random() < behaviour.outOfOrderRate
        low, high = behaviour.delayMinSeconds, behaviour.delayMaxSeconds
        delays = (rng.uniform(low, high), rng.uniform(low, high), rng.uniform(low, high))
        if fixed_delay is not None:  # drawn all the same, so a seed replays the other orders unchanged
            delays = (fixed_delay, fixed_delay, fixed_delay)
        duplicated = tuple(rng.random() < behaviour.duplicateRate for _ in range(4))
        return cls(
            final=ServiceOrderState.failed if fails else ServiceOrderState.completed,
            delays=delays,
            outOfOrder=out_of_order,
            duplicated=(duplicated[0], duplicated[1], duplicated[2], duplicated[3]),
            attributeEvent=behaviour.attributeEvents and not fails,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "final": self.final.value,
            "delaysSeconds": list(self.delays),
            "outOfOrder": self.outOfOrder,
            "duplicated": list(self.duplicated),
            "attributeEvent": self.attributeEvent,
        }
