"""TemporalOrchestrator against a real dev server: one workflow per order, errors in the port's words."""

from __future__ import annotations

import pytest
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from runtime.config import Settings
from runtime.ordering.orchestrator import OrchestratorUnavailable, UnknownOrderWorkflow
from runtime.temporal.client import connect
from runtime.temporal.devserver import free_port_block, temporal_binary
from runtime.temporal.orchestrator import TemporalOrchestrator
from tests.workflows.harness import FakeFulfilment, order_input, order_worker
from workflows.contracts import CancelRequest, FalloutDecision, OrderProgress, OssCallback, workflow_id

MOBILE = ("1", "mobile-5g-m", "add")
CALLBACK = OssCallback(
    "E-1", "ServiceOrderStateChangeEvent", "2026-07-15T10:00:00Z", "SO-1", "x#1", "completed"
)


async def test_starting_an_order_twice_runs_one_workflow_even_after_it_closed(client: Client) -> None:
    fake = FakeFulfilment(client)
    order = order_input(MOBILE)
    async with order_worker(client, fake) as queue:
        orchestrator = TemporalOrchestrator(client, queue)
        await orchestrator.start(order)
        await orchestrator.start(order)
        handle = client.get_workflow_handle(workflow_id(order.orderId), result_type=OrderProgress)
        first_run = (await handle.describe()).run_id
        assert (await handle.result()).state == "completed"
        await orchestrator.start(order)  # closed: refused as a duplicate, still success, still one run
    description = await handle.describe()
    assert (description.run_id, description.status) == (first_run, WorkflowExecutionStatus.COMPLETED)
    assert len(fake.inventory) == 1


async def test_a_closed_or_unknown_order_workflow_is_unknown(client: Client) -> None:
    fake = FakeFulfilment(client)
    order = order_input(MOBILE)
    async with order_worker(client, fake) as queue:
        orchestrator = TemporalOrchestrator(client, queue)
        await orchestrator.start(order)
        await client.get_workflow_handle(workflow_id(order.orderId)).result()
        with pytest.raises(UnknownOrderWorkflow):
            await orchestrator.cancel(order.orderId, CancelRequest("CAN-1"))
        with pytest.raises(UnknownOrderWorkflow):
            await orchestrator.oss_callback(order.orderId, CALLBACK)
        with pytest.raises(UnknownOrderWorkflow):
            await orchestrator.fallout_decision("ORD-never-made", FalloutDecision("1/x", "retry"))


async def test_a_refused_update_is_an_outcome_not_an_error(client: Client) -> None:
    fake = FakeFulfilment(client)
    fake.auto = lambda _: None  # the OSS never answers: the order waits on its first steps
    order = order_input(MOBILE, time_scale=1.0)
    async with order_worker(client, fake) as queue:
        orchestrator = TemporalOrchestrator(client, queue)
        await orchestrator.start(order)
        outcome = await orchestrator.fallout_decision(
            order.orderId, FalloutDecision("1/reserve-msisdn", "redo")
        )
        assert not outcome.accepted and "retry, skip, fail" in (outcome.reason or "")
        cancel = await orchestrator.cancel(order.orderId, CancelRequest("CAN-1"))
        assert cancel.accepted
        await client.get_workflow_handle(workflow_id(order.orderId)).terminate("test over")


async def test_a_server_that_is_down_makes_the_orchestrator_unavailable(tmp_path: object) -> None:
    port = free_port_block()
    environment = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(temporal_binary()),
        port=port,
        ui=False,
        dev_server_extra_args=["--http-port", str(port + 12), "--metrics-port", str(port + 11)],
    )
    settings = Settings(data_dir=tmp_path, database_url="sqlite://", temporal_port=port)  # type: ignore[arg-type]
    orchestrator = TemporalOrchestrator(await connect(settings))
    await environment.shutdown()
    with pytest.raises(OrchestratorUnavailable):
        await orchestrator.start(order_input(MOBILE))
    with pytest.raises(OrchestratorUnavailable):
        await orchestrator.cancel("ORD-1", CancelRequest("CAN-1"))
    never_up = TemporalOrchestrator(await connect(settings, lazy=True))
    with pytest.raises(OrchestratorUnavailable):
        await never_up.oss_callback("ORD-1", CALLBACK)
