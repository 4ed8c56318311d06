"""ProductOrderWorkflow: one TMF622 product order, carried from its plan to activated inventory.

Deterministic: every I/O is an activity, time is `workflow.now()`, the plan comes from an activity and is
then interpreted in memory. Steps run as workflow tasks, as soon as their predecessors are done; each
sends a TMF641 service order and waits for the OSS callbacks (signals) that complete it, or for its
timeout (jeopardy, then fallout: the order is held until an operator decides). An order has a handful of
steps and a bounded number of callbacks, so its history stays small: no continue-as-new.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from workflows.contracts import (
        QUERY_STATUS,
        SIGNAL_OSS_CALLBACK,
        UPDATE_AMEND,
        UPDATE_CANCEL,
        UPDATE_FALLOUT_DECISION,
        UPDATE_REFUSED,
        WORKFLOW_TYPE,
        AmendRequest,
        CancelRequest,
        FalloutDecision,
        Milestone,
        OrderInput,
        OrderProgress,
        OssCallback,
        UpdateOutcome,
        service_order_external_id,
    )
    from workflows.order_state import OssBook, StepRun, checked_move, item_progress
    from workflows.plan_view import (
        ACTIVITY_AMEND_PLAN,
        ACTIVITY_BILLING,
        ACTIVITY_INVENTORY,
        ACTIVITY_PLAN,
        ACTIVITY_PROGRESS,
        ACTIVITY_SUBMIT,
        AmendPlanRequest,
        AmendView,
        BillingRequest,
        InventoryRequest,
        InventoryResult,
        PlanStep,
        PlanView,
        ServiceOrderRequest,
    )

# The OSS may be down for long: the submit retries without end; the step's timeout raises the jeopardy.
SUBMIT_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), backoff_coefficient=2.0, maximum_interval=timedelta(seconds=15)
)
# Our own database: short, unbounded retries (a PostgreSQL restart must not fail an order).
LOCAL_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=10),
)
# Planning refusals are business errors (an unknown offering, a cycle): retrying cannot help.
PLAN_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    maximum_interval=timedelta(seconds=10),
    non_retryable_error_types=["PlanRefused"],
)
ACTIVITY_TIMEOUT = timedelta(seconds=30)
DECISIONS = ("retry", "skip", "fail")
MIN_STEP_TIMEOUT = 0.5  # seconds; a wait_condition timeout of 0 would throw at once


def _refused(reason: str) -> ApplicationError:
    return ApplicationError(reason, type=UPDATE_REFUSED, non_retryable=True)


def _cause(error: BaseException) -> str:
    cause = error.__cause__
    return str(cause) if cause is not None else str(error)


@workflow.defn(name=WORKFLOW_TYPE)
class ProductOrderWorkflow:
    @workflow.init
    def __init__(self, order: OrderInput) -> None:
        self._order = order
        self._items = list(order.items)
        self._state = "acknowledged"
        self._phase = "planning"  # planning | running | cancelling | failing | completing | done
        self._steps: dict[str, StepRun] = {}
        self._retired: list[StepRun] = []
        self._removal_queue: list[StepRun] = []  # done steps an amendment removed, to undo
        self._oss = OssBook()
        self._attempts: dict[str, int] = {}  # per service-order key: the last attempt used
        self._milestones: list[Milestone] = []
        self._products: dict[str, str] = {}
        self._revision = 0  # of the newest view
        self._recorded = 0  # the newest revision the store has
        self._ponr_step: str | None = None
        self._amending = False
        self._cancel: CancelRequest | None = None
        self._fail: FalloutDecision | None = None
        self._completion_date: str | None = None
        self._note: str | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._submits: dict[str, asyncio.Task[None]] = {}  # by externalId

    # The main line

    @workflow.run
    async def run(self, order: OrderInput) -> OrderProgress:
        self._spawn(self._record_progress())
        try:
            plan = await workflow.execute_activity(
                ACTIVITY_PLAN,
                order,
                result_type=PlanView,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=PLAN_RETRY,
            )
        except ActivityError as error:
            self._note = f"the order cannot be planned: {_cause(error)}"
            self._log("planning refused", reason=self._note)
            if self._cancel is None:
                self._move("failed")
                self._publish()
                return await self._finish()
        else:
            self._install(plan.steps)
        if self._cancel is None:
            self._phase = "running"
            self._move("inProgress")
            self._publish()
        while True:
            self._start_ready()
            await workflow.wait_condition(self._main_has_work)
            if self._cancel is not None:
                await self._cancellation()
                break
            if self._fail is not None:
                await self._failure()
                break
            if self._removal_queue:
                await self._undo_removed()
                continue
            if self._all_done():
                await self._completion()
                break
        return await self._finish()

    def _main_has_work(self) -> bool:
        return (
            self._cancel is not None
            or self._fail is not None
            or bool(self._removal_queue)
            or self._all_done()
            or bool(self._ready())
        )

    def _ready(self) -> list[StepRun]:
        if self._phase != "running" or self._amending or self._removal_queue:
            return []
        return [
            s
            for s in self._steps.values()
            if s.state == "pending" and all(self._steps[p].done for p in s.plan.predecessors)
        ]

    def _all_done(self) -> bool:
        settled = all(s.state != "inProgress" for s in self._retired)
        steps_done = all(s.done for s in self._steps.values())
        return self._phase == "running" and not self._amending and settled and steps_done

    def _start_ready(self) -> None:
        for step in self._ready():
            # Marked before the task runs: a cancel or amend that arrives in the same activation sees the
            # point of no return already passed, even though the POST has not gone out yet.
            step.state = "inProgress"
            if step.plan.pointOfNoReturn and self._ponr_step is None:
                self._ponr_step = step.plan.id
                self._milestone(
                    "pointOfNoReturn", "reached", f"step {step.plan.id} is sent to the OSS", step.plan.id
                )
            self._spawn(self._run_step(step))

    async def _finish(self) -> OrderProgress:
        for submit in self._submits.values():
            submit.cancel()  # e.g. still retrying against an OSS that is down, for a step given up
        await workflow.wait_condition(lambda: self._recorded >= self._revision)
        self._phase = "done"
        await workflow.wait_condition(lambda: all(t.done() for t in self._tasks))
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._view()

    # One step: submit, wait, and fallout until an operator decides

    async def _run_step(self, step: StepRun) -> None:
        plan = step.plan
        while True:
            step.state, step.serviceOrderId = "inProgress", None
            outcome = await self._service_order(step, plan.id, plan.action, plan.serviceSpecification)
            if step.retired or self._phase != "running":
                self._settle_abandoned(step, outcome)
                return
            if outcome == "completed":
                step.state = "completed"
                self._log("step completed", step=step.plan.id)
                self._publish()
                return
            decision = await self._fallout(step, outcome, lambda: step.retired or self._phase != "running")
            if decision == "retry":
                continue
            step.state = {"completed": "completed", "skip": "skipped", "fail": "failed"}.get(
                decision, "cancelled"
            )
            self._publish()
            return

    def _settle_abandoned(self, step: StepRun, outcome: str) -> None:
        """A step that finished after its order was cancelled or amended away: only undo what was done."""
        step.state = "completed" if outcome == "completed" else "cancelled"
        if step.retired and step.state == "completed" and step.plan.compensable:
            self._removal_queue.append(step)
        self._publish()

    async def _service_order(self, step: StepRun, key: str, action: str, specification: str) -> str:
        """Send one service order and wait: its terminal OSS state, "refused" (submit refused) or "timeout"."""
        attempt = self._attempts.get(key, 0) + 1
        self._attempts[key] = attempt
        if key == step.plan.id:
            step.attempt = attempt
        external_id = service_order_external_id(self._order.orderId, key, attempt)
        step.externalId = external_id
        self._oss.expect(external_id)
        self._publish()
        refused: list[str] = []
        request = ServiceOrderRequest(
            orderId=self._order.orderId,
            stepId=step.plan.id,
            externalId=external_id,
            action=action,
            serviceSpecification=specification,
            description=step.plan.name,
            characteristics=self._characteristics(step.plan.itemId),
            productId=self._product_of(step.plan.itemId),
        )
        self._submits[external_id] = self._spawn(self._submit(step, request, refused))
        timeout = max(MIN_STEP_TIMEOUT, step.plan.timeoutSeconds * self._order.timeScale)
        try:
            await workflow.wait_condition(
                lambda: self._oss.terminal(external_id) is not None or bool(refused), timeout=timeout
            )
        except TimeoutError:
            return "timeout"
        finally:
            known = self._oss.orders.get(external_id)
            if step.serviceOrderId is None and known is not None:
                step.serviceOrderId = known.serviceOrderId
        return self._oss.terminal(external_id) or "refused"

    async def _submit(self, step: StepRun, request: ServiceOrderRequest, refused: list[str]) -> None:
        try:
            service_order_id = await workflow.execute_activity(
                ACTIVITY_SUBMIT,
                request,
                result_type=str,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=SUBMIT_RETRY,
            )
        except ActivityError as error:
            refused.append(_cause(error))
            self._log("service order refused", step=request.stepId, reason=_cause(error))
            return
        except asyncio.CancelledError:
            self._log("service order submit abandoned", step=request.stepId, externalId=request.externalId)
            return
        if step.externalId == request.externalId and step.serviceOrderId is None:
            step.serviceOrderId = service_order_id

    async def _fallout(self, step: StepRun, outcome: str, abandoned: Callable[[], bool]) -> str:
        """Hold the order until the operator decides: retry | skip | fail, or completed (late), abandoned."""
        external_id = step.externalId or ""
        step_id = step.plan.id
        if outcome == "timeout":
            self._milestone(
                "jeopardy", "raised", f"step {step_id}: no completion from the OSS in time", step_id
            )
        reason = "timed out" if outcome == "timeout" else f"the OSS answered {outcome}"
        step.in_fallout, step.state, step.decision = True, "failed", None
        self._milestone("fallout", "raised", f"step {step_id} {reason}; waiting for an operator", step_id)
        self._settle_order_state()
        self._publish()
        await workflow.wait_condition(
            lambda: step.decision is not None or abandoned() or self._oss.terminal(external_id) == "completed"
        )
        step.in_fallout = False
        late = step.decision is None and self._oss.terminal(external_id) == "completed"
        decision = "completed" if late else step.decision or "abandoned"
        submit = self._submits.get(external_id)
        if decision != "completed" and submit is not None and not submit.done():
            submit.cancel()  # this attempt is given up: its POST must not reach a recovered OSS later
        if outcome == "timeout":
            self._milestone("jeopardy", "cleared", f"step {step_id}: {decision}", step_id)
        self._milestone("fallout", "cleared", f"step {step_id}: {decision}", step_id)
        self._log("fallout decided", step=step_id, decision=decision)
        self._settle_order_state()
        return decision

    # Ending: cancellation, failure, compensation, completion

    async def _cancellation(self) -> None:
        self._phase = "cancelling"
        await workflow.wait_condition(self._nothing_in_flight)
        self._move("pendingCancellation")
        self._publish()
        await self._compensate(self._done_compensable() + self._take_removal_queue())
        self._abandon_pending()
        self._move("cancelled")
        reason = self._cancel.reason if self._cancel is not None else None
        self._milestone("cancelled", "reached", reason or "cancelled by the customer")
        self._publish()

    async def _failure(self) -> None:
        self._phase = "failing"
        await workflow.wait_condition(self._nothing_in_flight)
        await self._compensate(self._done_compensable() + self._take_removal_queue())
        self._abandon_pending()
        self._move("failed")
        decided = self._fail
        self._note = f"failed by an operator at step {decided.stepId}" if decided else "failed"
        if decided is not None and decided.note:
            self._note += f": {decided.note}"
        self._publish()

    async def _undo_removed(self) -> None:
        await self._compensate(self._take_removal_queue())

    def _take_removal_queue(self) -> list[StepRun]:
        taken, self._removal_queue = self._removal_queue, []
        return taken

    def _nothing_in_flight(self) -> bool:
        # A step in fallout wakes up when the order ends (abandoned, or completed late): wait for that too.
        return not any(s.state == "inProgress" or s.in_fallout for s in self._all_steps())

    def _done_compensable(self) -> list[StepRun]:
        return [s for s in self._steps.values() if s.state == "completed" and s.plan.compensable]

    def _abandon_pending(self) -> None:
        for step in self._all_steps():
            if step.state in ("pending", "inProgress"):
                step.state = "cancelled"

    async def _compensate(self, steps: list[StepRun]) -> None:
        """Undo done steps one at a time, dependants first (reverse plan order)."""
        for step in sorted(steps, key=lambda s: s.position, reverse=True):
            plan = step.plan
            while True:
                key = f"{plan.id}/compensation"
                outcome = await self._service_order(
                    step,
                    key,
                    plan.compensationAction or "delete",
                    plan.compensationServiceSpecification or "",
                )
                if outcome == "completed":
                    step.state = "compensated"
                    break
                decision = await self._fallout(step, outcome, lambda: False)
                if decision != "retry":
                    step.state = "compensated" if decision in ("completed", "skip") else "completed"
                    break
            self._log("step compensated", step=plan.id, state=step.state)
            self._publish()

    async def _completion(self) -> None:
        self._phase = "completing"
        now = workflow.now().isoformat()
        try:
            inventory = await workflow.execute_activity(
                ACTIVITY_INVENTORY,
                InventoryRequest(self._order, self._items, now),
                result_type=InventoryResult,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=PLAN_RETRY,
            )
        except ActivityError as error:
            self._note = f"the inventory refused the order: {_cause(error)}"
            self._move("failed")
            self._publish()
            return
        self._products.update({p.itemId: p.productId for p in inventory.products})
        await workflow.execute_activity(
            ACTIVITY_BILLING,
            BillingRequest(self._order.orderId, self._order.releaseId, inventory.products, now),
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=LOCAL_RETRY,
        )
        self._completion_date = now
        self._move("completed")
        self._milestone("completed", "reached", "every step is done; inventory and billing started")
        self._publish()

    # Signals, updates, query

    @workflow.signal(name=SIGNAL_OSS_CALLBACK)
    def oss_callback(self, callback: OssCallback) -> None:
        verdict = self._oss.record(callback)
        if verdict != "applied":
            self._log(f"callback ignored: {verdict}", externalId=callback.externalId, event=callback.eventId)

    @workflow.query(name=QUERY_STATUS)
    def status(self) -> OrderProgress:
        return self._view()

    @workflow.update(name=UPDATE_CANCEL)
    def cancel(self, request: CancelRequest) -> UpdateOutcome:
        refusal = self._refusal("cancelled")
        if refusal is not None:
            return UpdateOutcome(False, refusal)
        self._cancel = request
        if self._phase == "running":
            self._phase = "cancelling"
        undo = [s.plan.id for s in sorted(self._done_compensable(), key=lambda s: -s.position)]
        self._move("assessingCancellation")
        self._publish()
        return UpdateOutcome(True, detail={"compensations": undo})

    @cancel.validator
    def _validate_cancel(self, request: CancelRequest) -> None:
        self._raise_refusal("cancelled")

    @workflow.update(name=UPDATE_AMEND)
    async def amend(self, request: AmendRequest) -> UpdateOutcome:
        refusal = self._refusal("amended")
        if refusal is not None:
            return UpdateOutcome(False, refusal)
        self._amending = True  # no step starts while the new plan is made
        try:
            await workflow.wait_condition(lambda: self._phase != "planning")
            diff = await workflow.execute_activity(
                ACTIVITY_AMEND_PLAN,
                AmendPlanRequest(self._order, self._items, list(request.items)),
                result_type=AmendView,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=PLAN_RETRY,
            )
            refusal = self._refusal("amended", amending=False)
            if refusal is not None:
                return UpdateOutcome(False, refusal)
            undo = self._apply_amendment(diff)
            self._items = list(request.items)
        except ActivityError as error:
            return UpdateOutcome(False, f"the amendment cannot be planned: {_cause(error)}")
        finally:
            self._amending = False
        self._milestone("amended", "reached", f"amendment {request.amendId}: +{diff.added} -{diff.removed}")
        self._publish()
        detail: dict[str, Any] = {
            "added": diff.added,
            "removed": diff.removed,
            "unchanged": diff.unchanged,
            "compensations": undo,
        }
        return UpdateOutcome(True, detail=detail)

    @amend.validator
    def _validate_amend(self, request: AmendRequest) -> None:
        self._raise_refusal("amended")

    @workflow.update(name=UPDATE_FALLOUT_DECISION)
    def fallout_decision(self, decision: FalloutDecision) -> UpdateOutcome:
        step = self._fallout_step(decision.stepId)
        if step is None or decision.decision not in DECISIONS:
            return UpdateOutcome(False, self._decision_refusal(decision))
        step.decision = decision.decision
        if decision.decision == "fail" and self._phase == "running":
            self._fail = decision
        attempt = step.attempt + 1 if decision.decision == "retry" else step.attempt
        return UpdateOutcome(
            True, detail={"stepId": step.plan.id, "decision": decision.decision, "attempt": attempt}
        )

    @fallout_decision.validator
    def _validate_fallout_decision(self, decision: FalloutDecision) -> None:
        if decision.decision not in DECISIONS or self._fallout_step(decision.stepId) is None:
            raise _refused(self._decision_refusal(decision))

    # Update helpers

    def _refusal(self, verb: str, *, amending: bool = True) -> str | None:
        if self._ponr_step is not None:
            return f"the order passed its point of no return at step {self._ponr_step}: it can no longer be {verb}"
        if self._cancel is not None:
            return f"the order is being cancelled: it can no longer be {verb}"
        if self._phase not in ("planning", "running"):
            return f"the order is {self._state} ({self._phase}): it can no longer be {verb}"
        if amending and self._amending:
            return f"an amendment is being planned: the order cannot be {verb} now, try again"
        return None

    def _raise_refusal(self, verb: str) -> None:
        refusal = self._refusal(verb)
        if refusal is not None:
            raise _refused(refusal)

    def _fallout_step(self, step_id: str) -> StepRun | None:
        return next((s for s in self._all_steps() if s.plan.id == step_id and s.in_fallout), None)

    @staticmethod
    def _decision_refusal(decision: FalloutDecision) -> str:
        if decision.decision not in DECISIONS:
            return f"decision must be one of {', '.join(DECISIONS)}, not {decision.decision!r}"
        return f"step {decision.stepId} is not in fallout"

    def _apply_amendment(self, diff: AmendView) -> list[str]:
        """Swap in the new plan: removed steps retire (done ones are undone), added ones start pending."""
        undo: list[str] = []
        for step_id in diff.removed:
            step = self._steps.pop(step_id)
            step.retired = True
            self._retired.append(step)
            if step.state == "completed" and step.plan.compensable:
                self._removal_queue.append(step)
                undo.append(step_id)
            elif step.state in ("pending", "skipped"):
                step.state = "cancelled"
        kept = self._steps
        self._steps = {}
        for position, plan in enumerate(diff.steps):
            step = kept.get(plan.id) or StepRun(plan, position)
            step.plan, step.position = plan, position
            self._steps[plan.id] = step
        return undo

    # State, progress and logs

    def _install(self, steps: list[PlanStep]) -> None:
        self._steps = {plan.id: StepRun(plan, position) for position, plan in enumerate(steps)}

    def _all_steps(self) -> list[StepRun]:
        return [*self._steps.values(), *self._retired]

    def _move(self, target: str) -> None:
        if target != self._state:
            self._log("order state", previous=self._state, state=target)
        self._state = checked_move(self._state, target)

    def _settle_order_state(self) -> None:
        """Held while a step waits for an operator, in progress otherwise (only while the order runs)."""
        if self._phase not in ("running", "failing") or self._state not in ("inProgress", "held"):
            return
        held = any(s.in_fallout for s in self._all_steps())
        self._move("held" if held else "inProgress")

    def _milestone(self, name: str, status: str, message: str, step_id: str | None = None) -> None:
        number = len(self._milestones) + 1
        when = workflow.now().isoformat()
        self._milestones.append(Milestone(f"{number}", name, status, message, when, step_id))
        self._log(f"milestone {name} {status}", step=step_id, detail=message)

    def _characteristics(self, item_id: str) -> dict[str, Any]:
        return next((dict(i.characteristics) for i in self._items if i.itemId == item_id), {})

    def _product_of(self, item_id: str) -> str | None:
        return next((i.productId for i in self._items if i.itemId == item_id), None)

    def _view(self) -> OrderProgress:
        current = list(self._steps.values())
        shown = {s.plan.id for s in current}
        # A retired step whose id came back with the amendment shows only as the new step.
        retired = [s for s in self._retired if s.plan.id not in shown]
        return OrderProgress(
            orderId=self._order.orderId,
            revision=self._revision,
            state=self._state,
            items=item_progress(self._items, current, self._state, self._products),
            steps=[s.progress() for s in [*current, *retired]],
            milestones=list(self._milestones),
            pointOfNoReturn=self._ponr_step is not None,
            completionDate=self._completion_date,
            cancellationReason=self._cancel.reason if self._cancel is not None else None,
            note=self._note,
        )

    def _publish(self) -> None:
        """A new view exists; `_record_progress` sends the newest one (the store keeps the highest revision)."""
        self._revision += 1

    async def _record_progress(self) -> None:
        """One progress activity at a time, always with the newest view: the store sees the order's states
        in order, and a burst of changes costs one write."""
        while True:
            await workflow.wait_condition(lambda: self._recorded < self._revision or self._phase == "done")
            if self._recorded >= self._revision:
                return
            view = self._view()
            try:
                await workflow.execute_activity(
                    ACTIVITY_PROGRESS, view, start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=LOCAL_RETRY
                )
            except ActivityError as error:
                # Only a refusal ends the retries (the store found the move illegal): a bug, for the logs.
                reason = _cause(error)
                workflow.logger.error(
                    "progress refused",
                    extra={"order_id": self._order.orderId, "revision": view.revision, "reason": reason},
                )
            self._recorded = view.revision

    def _spawn(self, work: Any) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.create_task(work)
        self._tasks.append(task)
        return task

    def _log(self, message: str, **fields: Any) -> None:
        workflow.logger.info(message, extra={"order_id": self._order.orderId, **fields})
