"""The port through which the ordering API drives order workflows.

`runtime.temporal.orchestrator.TemporalOrchestrator` is the real adapter; API tests that are not about
Temporal may use an in-memory one, because this port is ours.
"""

from __future__ import annotations

from typing import Protocol

from workflows.contracts import (
    AmendRequest,
    CancelRequest,
    FalloutDecision,
    OrderInput,
    OssCallback,
    UpdateOutcome,
)


class OrchestratorUnavailable(Exception):
    """The workflow engine cannot be reached now; the caller answers 503 and the outbox retries."""


class UnknownOrderWorkflow(Exception):
    """No workflow runs for this order (never started, or already closed)."""


class OrderOrchestrator(Protocol):
    async def start(self, order: OrderInput) -> None:
        """Start the order's workflow; starting one that exists already is success, never a second run."""

    async def oss_callback(self, order_id: str, callback: OssCallback) -> None: ...

    async def cancel(self, order_id: str, request: CancelRequest) -> UpdateOutcome: ...

    async def amend(self, order_id: str, request: AmendRequest) -> UpdateOutcome: ...

    async def fallout_decision(self, order_id: str, decision: FalloutDecision) -> UpdateOutcome: ...
