"""Recorded order histories replay on the current workflow code: a change that would break in-flight
orders (a new activity in the middle, a removed timer, a different order of commands) fails here.

Re-record after an intended, compatible change with `pytest tests/workflows --record-histories`;
an incompatible change needs a workflow version (`workflow.patched`) instead.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from runtime.temporal.worker import RUNNER
from workflows.product_order import ProductOrderWorkflow

HISTORIES = sorted((Path(__file__).resolve().parent / "histories").glob("*.json"))
EXPECTED = {
    "amended",
    "cancelled-before-ponr",
    "completed-converged",
    "failed-by-operator",
    "retried-after-timeout",
}


def test_every_representative_history_is_recorded() -> None:
    assert {path.stem for path in HISTORIES} >= EXPECTED


@pytest.mark.parametrize("path", HISTORIES, ids=[path.stem for path in HISTORIES])
async def test_a_recorded_history_replays_on_the_current_workflow(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    started = json.loads(text)["events"][0]["workflowExecutionStartedEventAttributes"]
    assert started["workflowType"]["name"] == "ProductOrderWorkflow"
    history = WorkflowHistory.from_json(f"replay-{path.stem}", text)
    result = await Replayer(workflows=[ProductOrderWorkflow], workflow_runner=RUNNER).replay_workflow(history)
    assert result.replay_failure is None
