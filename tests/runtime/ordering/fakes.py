"""An in-memory OrderOrchestrator: the port is ours, so API tests that are not about Temporal use this one.

It records every call, answers updates with the outcome a test sets, and can be told to be unavailable
(the workflow engine down) for the next N calls of `start`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from runtime.ordering.orchestrator import OrchestratorUnavailable, UnknownOrderWorkflow
from workflows.contracts import (
    AmendRequest,
    CancelRequest,
    FalloutDecision,
    OrderInput,
    OssCallback,
    UpdateOutcome,
)

ACCEPTED = UpdateOutcome(accepted=True)


@dataclass
class FakeOrchestrator:
    started: dict[str, OrderInput] = field(default_factory=dict)
    start_calls: list[str] = field(default_factory=list)
    callbacks: list[tuple[str, OssCallback]] = field(default_factory=list)
    cancels: list[tuple[str, CancelRequest]] = field(default_factory=list)
    amends: list[tuple[str, AmendRequest]] = field(default_factory=list)
    decisions: list[tuple[str, FalloutDecision]] = field(default_factory=list)
    outcome: UpdateOutcome = ACCEPTED  # the answer to cancel, amend and fallout_decision
    unavailable_starts: int = 0  # the next N starts fail as if Temporal were down
    unavailable: bool = False  # every other call fails so
    closed: set[str] = field(default_factory=set)  # orders whose workflow has ended

    async def start(self, order: OrderInput) -> None:
        self.start_calls.append(order.orderId)
        if self.unavailable_starts > 0:
            self.unavailable_starts -= 1
            raise OrchestratorUnavailable("fake: the workflow engine is down")
        self.started.setdefault(order.orderId, order)  # the workflow id dedups: a second start is no run

    async def oss_callback(self, order_id: str, callback: OssCallback) -> None:
        self._check(order_id)
        self.callbacks.append((order_id, callback))

    async def cancel(self, order_id: str, request: CancelRequest) -> UpdateOutcome:
        self._check(order_id)
        self.cancels.append((order_id, request))
        return self.outcome

    async def amend(self, order_id: str, request: AmendRequest) -> UpdateOutcome:
        self._check(order_id)
        self.amends.append((order_id, request))
        return self.outcome

    async def fallout_decision(self, order_id: str, decision: FalloutDecision) -> UpdateOutcome:
        self._check(order_id)
        self.decisions.append((order_id, decision))
        return self.outcome

    def _check(self, order_id: str) -> None:
        if self.unavailable:
            raise OrchestratorUnavailable("fake: the workflow engine is down")
        if order_id in self.closed or order_id not in self.started:
            raise UnknownOrderWorkflow(order_id)
