"""Delivering the outbox: claim due deliveries, POST them signed, record each outcome, retry with backoff.

At least once: a delivery is claimed under a lease, attempted, then marked; a worker that dies mid-attempt
leaves the lease to expire and the attempt is made again, with the same event id so listeners can drop the
duplicate. Order is not kept, not even per subscription: retries overtake. Isolation: every attempt has a
hard timeout, the process runs at most `concurrency` at once and a subscription at most `per_subscription`,
so a dead or slow listener delays nobody else.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from runtime.db.base import utcnow
from runtime.db.session import Database
from runtime.events import repository
from runtime.events.models import DeliveryState
from runtime.events.policy import DeliveryPolicy
from runtime.events.repository import ClaimedDelivery
from runtime.events.signing import listener_secret, signed_headers

log = logging.getLogger("switchboard.events")


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int | None  # the listener's HTTP status; None when there was no answer
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class Dispatcher:
    def __init__(self, database: Database, signing_secret: str, policy: DeliveryPolicy | None = None) -> None:
        self.database = database
        self.policy = policy or DeliveryPolicy()
        self._signing_secret = signing_secret
        self._client: httpx.AsyncClient | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        """Run in the background, unless the policy leaves dispatching to another process."""
        if self.policy.dispatch and self._task is None:
            self._stopping = asyncio.Event()
            self._task = asyncio.create_task(self._run(), name="switchboard-event-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._stopping.set()
            await self._task
            self._task = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def run_once(self) -> int:
        """Attempt every delivery due now (up to `concurrency`) and wait for them; how many were attempted."""
        claims = await self._claim(self.policy.concurrency)
        await asyncio.gather(*(self._attempt(claim) for claim in claims))
        return len(claims)

    async def _run(self) -> None:
        in_flight: dict[asyncio.Task[None], ClaimedDelivery] = {}
        stopping = asyncio.create_task(self._stopping.wait())
        try:
            while not self._stopping.is_set():
                free = self.policy.concurrency - len(in_flight)
                for claim in await self._claim_logged(free) if free > 0 else []:
                    in_flight[asyncio.create_task(self._attempt(claim))] = claim
                await asyncio.wait(
                    {stopping, *in_flight},
                    timeout=self.policy.poll_seconds,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                for task in [task for task in in_flight if task.done()]:
                    del in_flight[task]
                    _report(task)
        finally:
            stopping.cancel()
            await self._abandon(in_flight)

    async def _claim(self, limit: int) -> list[ClaimedDelivery]:
        now = utcnow()
        lease_until = now + timedelta(seconds=self.policy.lease_seconds)
        async with self.database.unit_of_work() as session:
            return await repository.claim_due(session, now, lease_until, limit, self.policy.per_subscription)

    async def _claim_logged(self, limit: int) -> list[ClaimedDelivery]:
        try:
            return await self._claim(limit)
        except Exception:
            # The database may be down for a while; the loop must outlive it and try again at the next poll.
            log.exception("could not claim event deliveries; retrying")
            return []

    async def _attempt(self, claim: ClaimedDelivery) -> None:
        if claim.attempt > self.policy.max_attempts:
            # Only reachable when earlier claims were lost with their worker: stop trying.
            outcome = Outcome(None, "gave up: attempts interrupted before an outcome was recorded")
        else:
            outcome = await self._post(claim)
        state, values = next_step(self.policy, claim.attempt, outcome, utcnow(), random.random())
        async with self.database.unit_of_work() as session:
            recorded = await repository.finish(session, claim, state, **values)
        _log_outcome(claim, outcome, state, recorded)

    async def _post(self, claim: ClaimedDelivery) -> Outcome:
        body = json.dumps(claim.body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        secret = listener_secret(self._signing_secret, claim.subscription_id)
        headers = signed_headers(secret, claim.event_id, body)
        try:
            # Per-phase httpx timeouts would let a listener that trickles bytes hold the slot forever.
            async with asyncio.timeout(self.policy.timeout_seconds):
                # Streamed and never read: a listener's response body is of no interest, whatever its size.
                async with self._http().stream(
                    "POST", claim.target_url, content=body, headers=headers
                ) as answer:
                    return Outcome(
                        answer.status_code, None if answer.is_success else f"HTTP {answer.status_code}"
                    )
        except TimeoutError:
            return Outcome(None, f"no answer within {self.policy.timeout_seconds:g} s")
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            return Outcome(None, f"{type(error).__name__}: {error}"[:500])

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            # No redirects (a callback must not bounce our signed body elsewhere) and no proxy settings
            # from the environment: callbacks go where they were registered to go.
            self._client = httpx.AsyncClient(follow_redirects=False, trust_env=False)
        return self._client

    async def _abandon(self, in_flight: dict[asyncio.Task[None], ClaimedDelivery]) -> None:
        """On shutdown: stop attempts in progress and make them due again now rather than after the lease."""
        for task in in_flight:
            task.cancel()
        await asyncio.gather(*in_flight, return_exceptions=True)
        interrupted = [claim for task, claim in in_flight.items() if task.cancelled()]
        if not interrupted:
            return
        try:
            async with self.database.unit_of_work() as session:
                for claim in interrupted:
                    await repository.finish(
                        session,
                        claim,
                        DeliveryState.pending,
                        next_attempt_at=utcnow(),
                        last_error="interrupted",
                    )
        except Exception:
            log.exception("could not release interrupted deliveries; they are retried when their lease ends")


def next_step(
    policy: DeliveryPolicy, attempt: int, outcome: Outcome, now: datetime, spread: float
) -> tuple[DeliveryState, dict[str, object]]:
    """The state an attempt leads to, and the columns to record with it."""
    values: dict[str, object] = {"last_status": outcome.status, "last_error": outcome.error}
    if outcome.delivered:
        return DeliveryState.delivered, {**values, "delivered_at": now}
    if attempt >= policy.max_attempts:
        return DeliveryState.dead, values
    delay = timedelta(seconds=policy.retry_delay(attempt, spread))
    return DeliveryState.pending, {**values, "next_attempt_at": now + delay}


def _report(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        # The claim stays leased and is attempted again when the lease ends.
        log.error("an event delivery attempt could not record its outcome", exc_info=error)


def _log_outcome(claim: ClaimedDelivery, outcome: Outcome, state: DeliveryState, recorded: bool) -> None:
    # Ids, attempt and outcome only: never the headers (they carry the signature) nor the body.
    if not recorded:
        log.info("event %s delivery %s: outcome dropped, the claim was lost", claim.event_id, claim.id)
    elif state is DeliveryState.delivered:
        log.info("event %s delivered to subscription %s", claim.event_id, claim.subscription_id)
    else:
        log.warning(
            "event %s to subscription %s, attempt %d failed (%s); now %s",
            claim.event_id,
            claim.subscription_id,
            claim.attempt,
            outcome.error,
            state,
        )
