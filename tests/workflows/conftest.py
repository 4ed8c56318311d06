"""The workflow tests run against a real Temporal dev server.

`pytest tests/workflows --record-histories` re-records the histories the replay test runs
(tests/workflows/histories/*.json) from the scenario tests that keep one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import WorkflowHandle

from tests.workflows.temporal_fixtures import client, temporal_server

__all__ = ["client", "keep_history", "temporal_server"]

HISTORIES = Path(__file__).resolve().parent / "histories"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--record-histories",
        action="store_true",
        help="write the histories of the scenario tests to tests/workflows/histories/",
    )


@pytest.fixture
def keep_history(
    request: pytest.FixtureRequest,
) -> Callable[[WorkflowHandle[Any, Any], str], Awaitable[None]]:
    """`await keep_history(handle, name)`: with --record-histories, store the workflow's history as name.json."""
    recording = bool(request.config.getoption("--record-histories"))

    async def keep(handle: WorkflowHandle[Any, Any], name: str) -> None:
        if recording:
            history = await handle.fetch_history()
            (HISTORIES / f"{name}.json").write_text(history.to_json(), encoding="utf-8")

    return keep
