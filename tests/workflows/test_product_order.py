"""ProductOrderWorkflow on a real Temporal dev server, with fake activities and an OSS driven by the test."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from temporalio.client import Client, WorkflowHandle

from runtime.temporal.orchestrator import TemporalOrchestrator
from tests.workflows.harness import (
    COMPLETE,
    CONVERGED,
    FakeFulfilment,
    order_input,
    order_worker,
    start_order,
    status,
    until,
    wait_state,
)
from workflows.contracts import (
    AmendRequest,
    CancelRequest,
    FalloutDecision,
    OrderInput,
    OrderItemInput,
    OrderProgress,
)
from workflows.plan_view import ServiceOrderRequest

Keep = Callable[[WorkflowHandle[Any, Any], str], Awaitable[None]]


async def test_converged_order_runs_its_dag_fibre_before_tv_and_completes(
    client: Client, keep_history: Keep
) -> None:
    fake = FakeFulfilment(client)
    order = order_input(*CONVERGED)
    async with order_worker(client, fake) as queue:
        handle = await start_order(client, queue, order)
        result = await handle.result()
        await keep_history(handle, "completed-converged")
    assert result.state == "completed"
    keys = fake.keys(order.orderId)
    assert set(keys) == {
        "2/reserve-olt-port#1",
        "2/ship-router#1",
        "2/install-ont#1",
        "2/activate-access#1",
        "5/create-middleware-account#1",
        "5/ship-stb#1",
        "5/activate-iptv#1",
    }
    # The TV activation waits for the fibre access of the same order.
    assert keys.index("2/activate-access#1") < keys.index("5/activate-iptv#1")
    assert keys.index("2/install-ont#1") < keys.index("2/activate-access#1")
    assert all(s.state == "completed" for s in result.steps)
    assert [i.productId for i in result.items] == ["P-1", "P-2", "P-5"]
    assert all(i.state == "completed" for i in result.items)
    assert result.pointOfNoReturn and result.completionDate is not None
    assert len(fake.inventory) == 1 and len(fake.billing) == 1
    # One progress write at a time, newest view each time: revisions only grow, the last is the result.
    revisions = [p.revision for p in fake.progress]
    assert revisions == sorted(set(revisions)) and fake.progress[-1] == result
    assert fake.progress[0].state == "inProgress"


MOBILE = (("1", "mobile-5g-m", "add"),)


def answering_except(*held: str) -> Callable[[ServiceOrderRequest], Sequence[str] | None]:
    """The OSS completes every service order but those whose externalId ends with one of `held`."""
    return lambda request: None if request.externalId.endswith(held) else COMPLETE


async def test_duplicate_stale_and_unknown_callbacks_leave_the_order_correct(client: Client) -> None:
    fake = FakeFulfilment(client)
    # Every service order: completed, then an older inProgress and acknowledged arrive late.
    fake.auto = lambda _: ("inProgress", "completed", "inProgress", "acknowledged")
    order = order_input(*MOBILE)
    async with order_worker(client, fake) as queue:
        handle = await start_order(client, queue, order)
        first = await fake.wait_posted(order.orderId, "1/reserve-msisdn")
        # A duplicate of one event id, and callbacks for an unknown order and a never-made attempt.
        await fake.answer(first.externalId, "failed", event_id=fake.events[0].eventId)
        await fake.answer(f"{order.orderId}/1/unknown-step#1", "failed")
        await fake.answer(f"{order.orderId}/1/prepare-sim#7", "failed")
        result = await handle.result()
    assert result.state == "completed"
    assert [s.state for s in result.steps] == ["completed"] * 4
    assert not [m for m in result.milestones if m.name in ("jeopardy", "fallout")]
    assert sorted(fake.keys(order.orderId)) == sorted(
        ["1/reserve-msisdn#1", "1/prepare-sim#1", "1/create-subscriber#1", "1/activate-line#1"]
    )
    assert len(fake.posts) == 4  # exactly one service order per step


async def test_a_callback_that_arrives_before_the_submit_returns_is_not_lost(client: Client) -> None:
    fake = FakeFulfilment(client)
    fake.answer_before_returning = True
    order = order_input(*MOBILE)
    async with order_worker(client, fake) as queue:
        result = await (await start_order(client, queue, order)).result()
    assert result.state == "completed"
    assert all(s.serviceOrderId == f"SO-{order.orderId}/{s.stepId}#1" for s in result.steps)


async def _held_on(
    client: Client, fake: FakeFulfilment, step: str
) -> tuple[OrderInput, WorkflowHandle[Any, Any], OrderProgress]:
    fake.auto = answering_except(f"{step}#1")
    order = order_input(*MOBILE)
    handle = await start_order(client, fake.queue, order)
    view = await wait_state(handle, "held")
    return order, handle, view


async def test_a_timed_out_step_raises_jeopardy_holds_the_order_and_retry_makes_a_new_attempt(
    client: Client, keep_history: Keep
) -> None:
    fake = FakeFulfilment(client)
    async with order_worker(client, fake) as queue:
        fake.queue = queue
        order, handle, held = await _held_on(client, fake, "1/prepare-sim")
        assert [(m.name, m.status, m.stepId) for m in held.milestones if m.name != "pointOfNoReturn"] == [
            ("jeopardy", "raised", "1/prepare-sim"),
            ("fallout", "raised", "1/prepare-sim"),
        ]
        assert {s.stepId: s.state for s in held.steps}["1/prepare-sim"] == "failed"
        assert held.items[0].state == "held"
        orchestrator = TemporalOrchestrator(client, queue)
        refused = await orchestrator.fallout_decision(
            order.orderId, FalloutDecision("1/reserve-msisdn", "retry")
        )
        assert not refused.accepted and "not in fallout" in (refused.reason or "")
        outcome = await orchestrator.fallout_decision(
            order.orderId, FalloutDecision("1/prepare-sim", "retry")
        )
        assert outcome.accepted and outcome.detail["attempt"] == 2
        result = await handle.result()
        await keep_history(handle, "retried-after-timeout")
    assert result.state == "completed"
    assert fake.posted(order.orderId, "1/prepare-sim", 2)
    prepare = next(s for s in result.steps if s.stepId == "1/prepare-sim")
    assert (prepare.state, prepare.attempt) == ("completed", 2)
    assert ("jeopardy", "cleared") in [(m.name, m.status) for m in result.milestones]
    assert [p.state for p in sorted(fake.progress, key=lambda p: p.revision)].count("held") >= 1


async def test_skip_counts_the_step_as_done(client: Client) -> None:
    fake = FakeFulfilment(client)
    async with order_worker(client, fake) as queue:
        fake.queue = queue
        order, handle, _ = await _held_on(client, fake, "1/prepare-sim")
        outcome = await TemporalOrchestrator(client, queue).fallout_decision(
            order.orderId, FalloutDecision("1/prepare-sim", "skip", note="done by hand")
        )
        assert outcome.accepted
        result = await handle.result()
    assert result.state == "completed"
    assert {s.stepId: s.state for s in result.steps}["1/prepare-sim"] == "skipped"
    assert not fake.posted(order.orderId, "1/prepare-sim", 2)
    assert fake.posted(order.orderId, "1/create-subscriber")


async def test_fail_fails_the_order_and_undoes_the_done_steps(client: Client, keep_history: Keep) -> None:
    fake = FakeFulfilment(client)
    async with order_worker(client, fake) as queue:
        fake.queue = queue
        order, handle, _ = await _held_on(client, fake, "1/prepare-sim")
        outcome = await TemporalOrchestrator(client, queue).fallout_decision(
            order.orderId, FalloutDecision("1/prepare-sim", "fail", note="no SIM stock")
        )
        assert outcome.accepted
        result = await handle.result()
        await keep_history(handle, "failed-by-operator")
    assert result.state == "failed" and "no SIM stock" in (result.note or "")
    undo = fake.posted(order.orderId, "1/reserve-msisdn/compensation")
    assert [(u.action, u.serviceSpecification) for u in undo] == [("delete", "rfs-msisdn")]
    states = {s.stepId: s.state for s in result.steps}
    assert states == {
        "1/reserve-msisdn": "compensated",
        "1/prepare-sim": "failed",
        "1/create-subscriber": "cancelled",
        "1/activate-line": "cancelled",
    }
    assert not fake.inventory and not fake.billing


async def test_a_late_completion_clears_the_jeopardy_and_the_order_resumes(client: Client) -> None:
    fake = FakeFulfilment(client)
    async with order_worker(client, fake) as queue:
        fake.queue = queue
        order, handle, _ = await _held_on(client, fake, "1/prepare-sim")
        await fake.answer(f"{order.orderId}/1/prepare-sim#1", "completed")
        result = await handle.result()
    assert result.state == "completed"
    assert [(m.name, m.status) for m in result.milestones if m.name in ("jeopardy", "fallout")] == [
        ("jeopardy", "raised"),
        ("fallout", "raised"),
        ("jeopardy", "cleared"),
        ("fallout", "cleared"),
    ]
    assert not fake.posted(order.orderId, "1/prepare-sim", 2)


async def test_cancel_before_the_point_of_no_return_undoes_done_steps_in_reverse_order(
    client: Client, keep_history: Keep
) -> None:
    fake = FakeFulfilment(client)
    fake.auto = answering_except("1/create-subscriber#1")
    order = order_input(*MOBILE, time_scale=0.01)
    async with order_worker(client, fake) as queue:
        handle = await start_order(client, queue, order)
        in_flight = await fake.wait_posted(order.orderId, "1/create-subscriber")
        orchestrator = TemporalOrchestrator(client, queue)
        outcome = await orchestrator.cancel(order.orderId, CancelRequest("CAN-1", "changed my mind"))
        assert outcome.accepted
        again = await orchestrator.cancel(order.orderId, CancelRequest("CAN-2"))
        assert not again.accepted and "being cancelled" in (again.reason or "")
        assert (await status(handle)).state == "assessingCancellation"
        await fake.answer(in_flight.externalId, "completed")  # the in-flight step settles, then is undone
        result = await handle.result()
        await keep_history(handle, "cancelled-before-ponr")
    assert result.state == "cancelled" and result.cancellationReason == "changed my mind"
    undone = [k for k in fake.keys(order.orderId) if "/compensation" in k]
    assert undone == [
        "1/create-subscriber/compensation#1",
        "1/prepare-sim/compensation#1",
        "1/reserve-msisdn/compensation#1",
    ]
    assert not fake.posted(order.orderId, "1/activate-line")
    assert {s.stepId: s.state for s in result.steps}["1/activate-line"] == "cancelled"
    assert [p.state for p in sorted(fake.progress, key=lambda p: p.revision)][-1] == "cancelled"
    assert "assessingCancellation" in {p.state for p in fake.progress}


async def test_cancel_and_amend_after_the_point_of_no_return_are_refused(client: Client) -> None:
    fake = FakeFulfilment(client)
    fake.auto = answering_except("1/activate-line#1")
    order = order_input(*MOBILE, time_scale=0.01)
    async with order_worker(client, fake) as queue:
        handle = await start_order(client, queue, order)
        ponr = await fake.wait_posted(order.orderId, "1/activate-line")
        orchestrator = TemporalOrchestrator(client, queue)
        cancel = await orchestrator.cancel(order.orderId, CancelRequest("CAN-1"))
        assert not cancel.accepted and "1/activate-line" in (cancel.reason or "")
        amend = await orchestrator.amend(
            order.orderId, AmendRequest("AM-1", [OrderItemInput("1", "mobile-5g-l", "add")])
        )
        assert not amend.accepted and "point of no return" in (amend.reason or "")
        await fake.answer(ponr.externalId, "completed")
        result = await handle.result()
    assert result.state == "completed"
    assert not [k for k in fake.keys(order.orderId) if "/compensation" in k]


async def test_amend_before_the_point_of_no_return_replans_only_the_changed_item(
    client: Client, keep_history: Keep
) -> None:
    fake = FakeFulfilment(client)
    fake.auto = answering_except("2/reserve-olt-port#1", "3/create-subscriber#1")
    items = (("2", "fibre-1000", "add"), ("3", "mobile-5g-m", "add"))
    order = order_input(*items, time_scale=0.01)
    async with order_worker(client, fake) as queue:
        handle = await start_order(client, queue, order)
        fibre = await fake.wait_posted(order.orderId, "2/reserve-olt-port")
        mobile = await fake.wait_posted(order.orderId, "3/create-subscriber")
        await until(lambda: len(fake.posts) == 5, what="the five first service orders")
        new_items = [OrderItemInput("2", "fibre-1000", "add"), OrderItemInput("3", "mobile-5g-l", "add")]
        outcome = await TemporalOrchestrator(client, queue).amend(
            order.orderId, AmendRequest("AM-1", new_items)
        )
        assert outcome.accepted, outcome.reason
        steps_of_3 = ["3/reserve-msisdn", "3/prepare-sim", "3/create-subscriber", "3/activate-line"]
        assert outcome.detail["removed"] == steps_of_3 and outcome.detail["added"] == steps_of_3
        assert outcome.detail["unchanged"] == [
            "2/reserve-olt-port",
            "2/ship-router",
            "2/install-ont",
            "2/activate-access",
        ]
        assert outcome.detail["compensations"] == ["3/reserve-msisdn", "3/prepare-sim"]
        await fake.answer(mobile.externalId, "completed")  # in flight when removed: undone once done
        await fake.answer(fibre.externalId, "completed")
        result = await handle.result()
        await keep_history(handle, "amended")
    assert result.state == "completed"
    keys = fake.keys(order.orderId)
    assert [k for k in keys if k.startswith("2/")] == [
        "2/reserve-olt-port#1",
        "2/ship-router#1",
        "2/install-ont#1",
        "2/activate-access#1",
    ]
    assert sorted(k for k in keys if "/compensation" in k) == [
        "3/create-subscriber/compensation#1",
        "3/prepare-sim/compensation#1",
        "3/reserve-msisdn/compensation#1",
    ]
    # The new mobile steps are new service orders (the next attempt of a step id already sent), made after
    # the undo; the old activate-line was never sent, so the new one is its first.
    assert sorted(k for k in keys if k.startswith("3/") and "/compensation" not in k) == [
        "3/activate-line#1",
        "3/create-subscriber#1",
        "3/create-subscriber#2",
        "3/prepare-sim#1",
        "3/prepare-sim#2",
        "3/reserve-msisdn#1",
        "3/reserve-msisdn#2",
    ]
    assert keys.index("3/reserve-msisdn/compensation#1") < keys.index("3/reserve-msisdn#2")
    assert [i.productOffering for i in fake.inventory[0].items] == ["fibre-1000", "mobile-5g-l"]
    assert ("amended", "reached") in [(m.name, m.status) for m in result.milestones]
    assert {s.stepId: s.attempt for s in result.steps}["3/reserve-msisdn"] == 2


async def test_an_oss_that_is_down_brings_jeopardy_and_the_order_recovers_when_it_is_back(
    client: Client,
) -> None:
    fake = FakeFulfilment(client)
    fake.oss_down = True
    order = order_input(*MOBILE)
    async with order_worker(client, fake) as queue:
        handle = await start_order(client, queue, order)
        held = await wait_state(handle, "held")
        assert ("jeopardy", "raised", "1/reserve-msisdn") in [
            (m.name, m.status, m.stepId) for m in held.milestones
        ]
        await until(lambda: fake.refused_while_down >= 3, what="the submit to keep retrying")
        fake.oss_down = False  # the still-retrying submits get through; the OSS completes them late
        result = await handle.result()
    assert result.state == "completed"
    raised = [m.stepId or "" for m in result.milestones if (m.name, m.status) == ("jeopardy", "raised")]
    cleared = [m.stepId or "" for m in result.milestones if (m.name, m.status) == ("jeopardy", "cleared")]
    assert "1/reserve-msisdn" in raised and sorted(raised) == sorted(cleared)
    assert len(fake.posts) == len({p.externalId for p in fake.posts}) == 4  # nothing sent twice, nothing lost
