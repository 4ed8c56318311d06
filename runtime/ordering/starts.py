"""Starting order workflows from the outbox, so an acknowledged order always gets its workflow.

Capture writes the order and its start intent (an `OrderStartRow` with the OrderInput) in one transaction.
After the commit, the request starts the workflow itself (`start_now`) and marks the row. Should that fail
(the workflow engine is down, the process dies), the relay running in the background (`run_once` every
`poll_seconds`) starts it later. The request has `hold_seconds` to start its own order before the relay
may, and relays claim a row with a compare-and-set, so two relays do not start one order together; a start
that is repeated anyway is harmless, because the workflow id is the order's (`workflows.contracts.
workflow_id`) and the orchestrator treats an existing workflow as started. A relay whose process has no
workflow engine (`NoOrchestrator`) leaves the rows alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from datetime import timedelta
from typing import Any

from runtime.db.base import utcnow
from runtime.db.session import Database
from runtime.ordering import repository
from runtime.ordering.no_orchestrator import NoOrchestrator
from runtime.ordering.orchestrator import OrderOrchestrator
from workflows.contracts import OrderInput, OrderItemInput

log = logging.getLogger("switchboard.ordering")

HOLD_SECONDS = 10.0  # the capturing request's own turn before the relay may start its order
LEASE_SECONDS = 60.0  # a claimed row is left alone this long while its start is attempted
BATCH = 50


def order_input_json(order: OrderInput) -> dict[str, Any]:
    return dataclasses.asdict(order)


def order_input_of(data: dict[str, Any]) -> OrderInput:
    items = [OrderItemInput(**item) for item in data["items"]]
    return OrderInput(**{**data, "items": items})


class OrderStarts:
    def __init__(
        self, database: Database, orchestrator: OrderOrchestrator, poll_seconds: float = 1.0
    ) -> None:
        self.database = database
        self.orchestrator = orchestrator
        self.poll_seconds = poll_seconds
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def start_now(self, order: OrderInput) -> bool:
        """Start the order's workflow right after its capture committed; False leaves it to the relay."""
        try:
            await self.orchestrator.start(order)
        except Exception as error:  # whatever failed, the relay retries it
            log.warning("order %s: workflow start failed, the relay retries it: %r", order.orderId, error)
            async with self.database.unit_of_work() as session:
                await repository.retry_start_at(session, order.orderId, utcnow(), repr(error))
            return False
        async with self.database.unit_of_work() as session:
            await repository.mark_started(session, order.orderId, utcnow())
        return True

    async def run_once(self) -> int:
        """Start every due order whose start is pending; how many were started."""
        if isinstance(self.orchestrator, NoOrchestrator):
            return 0  # nothing can start them from here; a process with a workflow engine will
        now = utcnow()
        async with self.database.sessions() as session:  # a read first: no write lock while idle
            due = [
                (row.order_id, row.attempts, row.order_input)
                for row in await repository.due_starts(session, now, BATCH)
            ]
        started = 0
        for order_id, attempts, data in due:
            if not await self._claim(order_id, attempts):
                continue
            started += await self._attempt(order_input_of(data), attempts + 1)
        return started

    async def _claim(self, order_id: str, attempts: int) -> bool:
        until = utcnow() + timedelta(seconds=LEASE_SECONDS)
        async with self.database.unit_of_work() as session:
            return await repository.claim_start(session, order_id, attempts, until)

    async def _attempt(self, order: OrderInput, attempt: int) -> int:
        try:
            await self.orchestrator.start(order)
        except Exception as error:  # retried at the next attempt
            retry = utcnow() + timedelta(seconds=min(attempt, 10) * self.poll_seconds)
            log.warning("order %s: workflow start attempt %d failed: %r", order.orderId, attempt, error)
            async with self.database.unit_of_work() as session:
                await repository.retry_start_at(session, order.orderId, retry, repr(error))
            return 0
        async with self.database.unit_of_work() as session:
            await repository.mark_started(session, order.orderId, utcnow())
        log.info("order %s: workflow started by the relay (attempt %d)", order.orderId, attempt)
        return 1

    async def start(self) -> None:
        if self._task is None:
            self._stopping = asyncio.Event()
            self._task = asyncio.create_task(self._run(), name="switchboard-order-starts")

    async def stop(self) -> None:
        if self._task is not None:
            self._stopping.set()
            await self._task
            self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.run_once()
            except Exception:
                # The database may be down for a while; the loop must outlive it.
                log.exception("could not relay pending workflow starts; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.poll_seconds)
