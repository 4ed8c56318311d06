"""The orchestrator of a process that has no workflow engine wired: every call is `OrchestratorUnavailable`.

Orders are still captured; their starts wait in the outbox until a process with a real orchestrator (see
`runtime.bootstrap.build_services(orchestrator=...)`) relays them.
"""

from __future__ import annotations

from runtime.ordering.orchestrator import OrchestratorUnavailable
from workflows.contracts import (
    AmendRequest,
    CancelRequest,
    FalloutDecision,
    OrderInput,
    OssCallback,
    UpdateOutcome,
)

MESSAGE = "no workflow engine is configured in this process"


class NoOrchestrator:
    async def start(self, order: OrderInput) -> None:
        raise OrchestratorUnavailable(MESSAGE)

    async def oss_callback(self, order_id: str, callback: OssCallback) -> None:
        raise OrchestratorUnavailable(MESSAGE)

    async def cancel(self, order_id: str, request: CancelRequest) -> UpdateOutcome:
        raise OrchestratorUnavailable(MESSAGE)

    async def amend(self, order_id: str, request: AmendRequest) -> UpdateOutcome:
        raise OrchestratorUnavailable(MESSAGE)

    async def fallout_decision(self, order_id: str, decision: FalloutDecision) -> UpdateOutcome:
        raise OrchestratorUnavailable(MESSAGE)
