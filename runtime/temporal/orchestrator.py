"""`OrderOrchestrator` on Temporal: one workflow per order, its id the order's idempotency key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from runtime.config import Settings
from runtime.ordering.orchestrator import OrchestratorUnavailable, UnknownOrderWorkflow
from runtime.temporal.client import connect
from workflows.contracts import (
    SIGNAL_OSS_CALLBACK,
    TASK_QUEUE,
    UPDATE_AMEND,
    UPDATE_CANCEL,
    UPDATE_FALLOUT_DECISION,
    UPDATE_REFUSED,
    WORKFLOW_TYPE,
    AmendRequest,
    CancelRequest,
    FalloutDecision,
    OrderInput,
    OssCallback,
    UpdateOutcome,
    workflow_id,
)

# The server (or the network to it) is away: the caller may try again later.
_UNAVAILABLE = frozenset(
    {RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.RESOURCE_EXHAUSTED}
)


class TemporalOrchestrator:
    def __init__(self, client: Client, task_queue: str = TASK_QUEUE) -> None:
        self.client = client
        self.task_queue = task_queue

    async def start(self, order: OrderInput) -> None:
        """Start the workflow; one that exists, running or closed, is success (never a second run)."""
        async with _mapped_errors(order.orderId):
            try:
                await self.client.start_workflow(
                    WORKFLOW_TYPE,
                    order,
                    id=workflow_id(order.orderId),
                    task_queue=self.task_queue,
                    id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                    id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
                )
            except WorkflowAlreadyStartedError:
                return

    async def oss_callback(self, order_id: str, callback: OssCallback) -> None:
        async with _mapped_errors(order_id):
            await self._handle(order_id).signal(SIGNAL_OSS_CALLBACK, callback)

    async def cancel(self, order_id: str, request: CancelRequest) -> UpdateOutcome:
        return await self._update(order_id, UPDATE_CANCEL, request)

    async def amend(self, order_id: str, request: AmendRequest) -> UpdateOutcome:
        return await self._update(order_id, UPDATE_AMEND, request)

    async def fallout_decision(self, order_id: str, decision: FalloutDecision) -> UpdateOutcome:
        return await self._update(order_id, UPDATE_FALLOUT_DECISION, decision)

    async def _update(
        self, order_id: str, name: str, request: CancelRequest | AmendRequest | FalloutDecision
    ) -> UpdateOutcome:
        async with _mapped_errors(order_id):
            try:
                outcome: UpdateOutcome = await self._handle(order_id).execute_update(
                    name, request, result_type=UpdateOutcome
                )
                return outcome
            except WorkflowUpdateFailedError as failed:
                cause = failed.cause
                if isinstance(cause, ApplicationError) and cause.type == UPDATE_REFUSED:
                    return UpdateOutcome(accepted=False, reason=cause.message)
                raise

    def _handle(self, order_id: str) -> WorkflowHandle[object, object]:
        return self.client.get_workflow_handle(workflow_id(order_id))


@asynccontextmanager
async def _mapped_errors(order_id: str) -> AsyncIterator[None]:
    """Temporal's errors in the port's words: unreachable, or no running workflow for this order."""
    try:
        yield
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise UnknownOrderWorkflow(f"no running workflow for order {order_id}") from error
        if error.status in _UNAVAILABLE:
            raise OrchestratorUnavailable(f"Temporal is unavailable: {error.message}") from error
        raise
    except RuntimeError as error:
        # A lazy client that cannot make its first connection raises a plain RuntimeError.
        if "connect" in str(error).lower():
            raise OrchestratorUnavailable(f"Temporal is unavailable: {error}") from error
        raise


async def connect_orchestrator(settings: Settings) -> TemporalOrchestrator:
    """The orchestrator of an API process: the client connects on first use, so the API may start first."""
    return TemporalOrchestrator(await connect(settings, lazy=True))
