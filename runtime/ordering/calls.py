"""Calling the order workflow through the orchestrator port, with its failures as API errors."""

from __future__ import annotations

from collections.abc import Awaitable

from runtime.api.errors import ApiError, Conflict
from runtime.ordering.orchestrator import OrchestratorUnavailable, UnknownOrderWorkflow
from workflows.contracts import UpdateOutcome


class WorkflowUnavailable(ApiError):
    status, code = 503, "ORCHESTRATOR_UNAVAILABLE"


async def ask(update: Awaitable[UpdateOutcome], refused_code: str) -> UpdateOutcome:
    """The workflow's answer to an update; a 409 naming its reason when it refused, a 503 when it cannot be
    reached, a 409 when no workflow runs for the order."""
    try:
        outcome = await update
    except OrchestratorUnavailable as error:
        raise WorkflowUnavailable(
            f"the order workflow cannot be reached now; retry later ({error})"
        ) from None
    except UnknownOrderWorkflow:
        raise Conflict(
            "no workflow runs for this order: it has not started yet or has ended", code="ORDER_NOT_RUNNING"
        ) from None
    if not outcome.accepted:
        raise Conflict(outcome.reason or "the order workflow refused the request", code=refused_code)
    return outcome
