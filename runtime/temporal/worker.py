"""The order worker: ProductOrderWorkflow and its activities on the orders task queue.

It needs the database and the catalog (planning, progress, inventory, billing) and the OSS; the event
outbox is delivered by the API process (`Services.start` is not called here, so the worker neither
migrates nor dispatches).
"""

from __future__ import annotations

import asyncio
import logging

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from runtime.bootstrap import Services, build_services
from runtime.config import Settings
from runtime.fulfilment.oss_client import OssClient
from runtime.temporal.client import connect_when_ready, temporal_address
from workflows.activities import OrderActivities
from workflows.contracts import TASK_QUEUE
from workflows.product_order import ProductOrderWorkflow

log = logging.getLogger("switchboard.worker")


# The sandbox re-imports every module a workflow imports for each new workflow run, compiling its source
# again: at tens of orders a second that was the worker's biggest cost. Our workflow modules and the engine
# are pure and keep no module state, so they are imported once, outside it ("passed through").
RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules("workflows", "engine")
)


def build_worker(client: Client, services: Services, oss: OssClient, task_queue: str = TASK_QUEUE) -> Worker:
    activities = OrderActivities(services, oss)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[ProductOrderWorkflow],
        activities=activities.all,
        workflow_runner=RUNNER,
    )


async def run_worker(settings: Settings, stop: asyncio.Event, task_queue: str = TASK_QUEUE) -> None:
    """Poll until `stop` is set, then finish the running tasks and close everything."""
    services = build_services(settings)
    oss = OssClient(settings.oss_url, settings.oss_callback_secret)
    try:
        address = temporal_address(settings)
        client = await connect_when_ready(address, settings.temporal_namespace)
        worker = build_worker(client, services, oss, task_queue)
        log.info("worker polling", extra={"address": address, "task_queue": task_queue})
        async with worker:
            await stop.wait()
        log.info("worker stopped")
    finally:
        await oss.close()
        services.catalog.close()
        await services.database.dispose()
