"""The embedded dev server keeps workflows across restarts; `switchboard worker` runs as its own process."""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from runtime.temporal.client import connect_when_ready
from runtime.temporal.devserver import EmbeddedTemporal, free_port_block
from runtime.temporal.logs import OrderLogFormatter
from tests.workflows.harness import order_input
from workflows.contracts import WORKFLOW_TYPE, workflow_id

SWITCHBOARD = Path(sys.executable).parent / "switchboard"


async def test_a_persistent_dev_server_keeps_its_workflows_across_a_restart(tmp_path: Path) -> None:
    server = EmbeddedTemporal(tmp_path, port=free_port_block())
    order = order_input(("1", "mobile-5g-m", "add"))
    with server:
        client = await connect_when_ready(server.address)
        await client.start_workflow(WORKFLOW_TYPE, order, id=workflow_id(order.orderId), task_queue="nobody")
    assert not server.running and (tmp_path / "temporal.db").exists()
    with server:
        client = await connect_when_ready(server.address)
        description = await client.get_workflow_handle(workflow_id(order.orderId)).describe()
    assert description.workflow_type == WORKFLOW_TYPE
    assert "--sqlite-pragma" in server.command() and "127.0.0.1" in server.command()


def test_the_worker_runs_as_a_process_and_stops_cleanly_on_sigterm(
    temporal_server: EmbeddedTemporal, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "SWITCHBOARD_DATA_DIR": str(tmp_path),
        "SWITCHBOARD_TEMPORAL_PORT": str(temporal_server.port),
        "SWITCHBOARD_SIGNING_SECRET": "s",
        "SWITCHBOARD_OSS_SECRET": "o",
    }
    env.pop("TEMPORAL_ADDRESS", None)
    worker = subprocess.Popen(
        [str(SWITCHBOARD), "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines: list[dict[str, object]] = []
    try:
        assert worker.stderr is not None
        deadline = time.monotonic() + 30
        while not any(line.get("message") == "worker polling" for line in lines):
            assert time.monotonic() < deadline and worker.poll() is None, "the worker did not start"
            readable, _, _ = select.select([worker.stderr], [], [], 1.0)
            text = worker.stderr.readline() if readable else ""
            if text.startswith("{"):  # the SDK core may print its own plain lines
                lines.append(json.loads(text))
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(30)
    assert code == 0
    polling = next(line for line in lines if line.get("message") == "worker polling")
    assert polling["address"] == temporal_server.address and polling["task_queue"] == "switchboard-orders"


def test_every_workflow_log_line_names_the_order_and_its_workflow() -> None:
    record = logging.LogRecord("temporalio.workflow", logging.INFO, "", 0, "step completed", None, None)
    record.temporal_workflow = {"workflow_id": "ProductOrder-ORD-1", "workflow_type": WORKFLOW_TYPE}
    record.step = "1/prepare-sim"
    line = json.loads(OrderLogFormatter().format(record))
    assert (line["order_id"], line["workflow_id"], line["step"]) == (
        "ORD-1",
        "ProductOrder-ORD-1",
        "1/prepare-sim",
    )
    activity = logging.LogRecord("temporalio.activity", logging.INFO, "", 0, "service order sent", None, None)
    activity.temporal_activity = {
        "workflow_id": "ProductOrder-ORD-2",
        "activity_type": "submit_service_order",
    }
    line = json.loads(OrderLogFormatter().format(activity))
    assert (line["order_id"], line["activity"]) == ("ORD-2", "submit_service_order")
