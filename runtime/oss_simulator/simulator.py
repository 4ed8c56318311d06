"""The simulated OSS: takes service orders once per externalId and plays each one's scenario of callbacks.

All state is in memory and lives on the server's one event loop, so handlers need no locks.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
import uuid
from collections.abc import Coroutine
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from runtime.api.errors import ApiError, NotFound
from runtime.oss_simulator.config import SimulatorConfig
from runtime.oss_simulator.delivery import (
    ATTRIBUTE_VALUE_CHANGE,
    STATE_CHANGE,
    Callback,
    CallbackSender,
    DeliveryCounters,
)
from runtime.oss_simulator.orders import ServiceOrder, ServiceOrderState, now_iso, validated_request
from runtime.oss_simulator.scenario import ACKNOWLEDGED, ATTRIBUTES, FINAL, IN_PROGRESS, Scenario

log = logging.getLogger("switchboard.oss_simulator")


class OssDown(ApiError):
    status, code = 503, "OSS_DOWN"


@dataclass
class ExternalIdStats(DeliveryCounters):
    postsReceived: int = 0
    serviceOrdersCreated: int = 0
    serviceOrderId: str | None = None
    # Each callback as it went out: eventType, state, eventId, outcome (acked | dropped).
    deliveries: list[dict[str, str]] = field(default_factory=list)


class Simulator:
    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.behaviour = config.behaviour
        self.seed = config.seed if config.seed is not None else secrets.randbits(32)
        self._rng = random.Random(self.seed)
        self._orders: dict[str, ServiceOrder] = {}
        self._by_external_id: dict[str, str] = {}
        self._scenarios: dict[str, Scenario] = {}
        self._stats: dict[str, ExternalIdStats] = {}
        self._refused_while_down = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._up = asyncio.Event()
        self._client: httpx.AsyncClient | None = None
        self._sender: CallbackSender | None = None
        self._apply_down()

    async def start(self) -> None:
        # No proxy from the environment: the API is a neighbour (loopback or the compose network).
        self._client = httpx.AsyncClient(
            timeout=self.config.request_timeout_seconds, follow_redirects=False, trust_env=False
        )
        self._sender = CallbackSender(
            self._client,
            self.config.callback_url,
            self.config.secret,
            self.config.oss_key,
            self.config.retry_base_seconds,
            self.config.retry_cap_seconds,
        )

    async def stop(self) -> None:
        await self._cancel_all()
        if self._client is not None:
            await self._client.aclose()

    # --- TMF641 -------------------------------------------------------------------------------------------

    def submit(self, body: Any) -> tuple[dict[str, Any], bool]:
        """The service order for this body's externalId, and whether this call created it."""
        request = validated_request(body)
        external_id: str = request["externalId"]
        stats = self._stats.setdefault(external_id, ExternalIdStats())
        stats.postsReceived += 1
        existing = self._by_external_id.get(external_id)
        if existing is not None:
            return self._orders[existing].tmf(), False
        order = ServiceOrder.create(request)
        order.move_to(ServiceOrderState.acknowledged)
        specifications = [
            item.get("service", {}).get("serviceSpecification", {}).get("id", "")
            for item in request.get("serviceOrderItem", [])
        ]
        scenario = Scenario.draw(self._rng, self.behaviour, self.behaviour.delay_for(specifications))
        self._orders[order.id] = order
        self._by_external_id[external_id] = order.id
        self._scenarios[order.id] = scenario
        stats.serviceOrdersCreated += 1
        stats.serviceOrderId = order.id
        log.info("service order %s created for %s; will end %s", order.id, external_id, scenario.final)
        self._spawn(self._play(order, scenario, stats))
        return order.tmf(), True

    def service_order(self, order_id: str) -> dict[str, Any]:
        order = self._orders.get(order_id)
        if order is None:
            raise NotFound(f"no service order {order_id}")
        return order.tmf()

    def service_orders(self) -> list[dict[str, Any]]:
        return [order.tmf() for order in self._orders.values()]

    def refuse_when_down(self) -> None:
        """Every TMF641 request checks this first (the API's guard): a down OSS answers 503, control works."""
        if self.behaviour.down:
            self._refused_while_down += 1
            raise OssDown("the OSS is down (simulated); retry later")

    # --- control ------------------------------------------------------------------------------------------

    def config_json(self) -> dict[str, Any]:
        return {**self.behaviour.to_json(), "seed": self.seed}

    def reconfigure(self, patch: dict[str, Any]) -> dict[str, Any]:
        """Change the behaviour (and, with `seed`, restart the RNG) for service orders created from now on."""
        patch = dict(patch)
        seed = patch.pop("seed", None)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ApiError("seed must be an integer", code="INVALID_CONFIG")
        self.behaviour = self.behaviour.changed(patch)
        if seed is not None:
            self.seed = seed
            self._rng = random.Random(seed)
        self._apply_down()
        log.info("behaviour now %s", self.config_json())
        return self.config_json()

    async def reset(self) -> None:
        """Forget every service order and statistic and restart the RNG from the seed; keep the behaviour."""
        await self._cancel_all()
        self._orders.clear()
        self._by_external_id.clear()
        self._scenarios.clear()
        self._stats.clear()
        self._refused_while_down = 0
        self._rng = random.Random(self.seed)

    def stats(self) -> dict[str, Any]:
        by_external_id = {key: asdict(value) for key, value in self._stats.items()}
        for entry in by_external_id.values():
            scenario = self._scenarios.get(entry["serviceOrderId"] or "")
            entry["scenario"] = scenario.to_json() if scenario else None
        totals = {
            name: sum(int(entry[name]) for entry in by_external_id.values())
            for name in ("postsReceived", "serviceOrdersCreated", "sent", "acked", "dropped")
        }
        return {
            "seed": self.seed,
            "down": self.behaviour.down,
            "playing": len(self._tasks),  # service orders whose callbacks are not all delivered yet
            "postsRefusedWhileDown": self._refused_while_down,
            "totals": totals,
            "byExternalId": by_external_id,
        }

    # --- playing a scenario ---------------------------------------------------------------------------------

    async def _play(self, order: ServiceOrder, scenario: Scenario, stats: ExternalIdStats) -> None:
        twice = scenario.duplicated
        await self._pause(scenario.delays[0])
        await self._send(self._event(STATE_CHANGE, order), stats, twice[ACKNOWLEDGED])
        await self._pause(scenario.delays[1])
        order.move_to(ServiceOrderState.inProgress)
        in_progress = self._event(STATE_CHANGE, order)
        if not scenario.outOfOrder:
            await self._send(in_progress, stats, twice[IN_PROGRESS])
        await self._pause(scenario.delays[2])
        if scenario.final is ServiceOrderState.completed:
            order.assign_services()
            if scenario.attributeEvent:
                await self._send(self._event(ATTRIBUTE_VALUE_CHANGE, order), stats, twice[ATTRIBUTES])
        else:
            order.errorReason = "simulated network failure"
        order.move_to(scenario.final)
        await self._send(self._event(STATE_CHANGE, order), stats, twice[FINAL])
        if scenario.outOfOrder:  # the stale inProgress, still carrying its original eventTime
            await self._send(in_progress, stats, twice[IN_PROGRESS])

    async def _pause(self, seconds: float) -> None:
        if seconds > 0:
            await asyncio.sleep(seconds)
        await self._up.wait()  # a down OSS sends nothing; it resumes where it stopped

    async def _send(self, callback: Callback, stats: ExternalIdStats, twice: bool) -> None:
        assert self._sender is not None, "start() the simulator before it takes service orders"
        for _ in range(2 if twice else 1):
            outcome = await self._sender.deliver(callback, stats)
            state = callback.body["event"]["serviceOrder"]["state"]
            stats.deliveries.append(
                {
                    "eventType": callback.event_type,
                    "state": state,
                    "eventId": callback.event_id,
                    "outcome": outcome.value,
                }
            )

    @staticmethod
    def _event(event_type: str, order: ServiceOrder) -> Callback:
        body: dict[str, Any] = {
            "eventId": str(uuid.uuid4()),
            "eventTime": now_iso(),
            "eventType": event_type,
            "event": {"serviceOrder": order.tmf()},
        }
        if event_type == ATTRIBUTE_VALUE_CHANGE:
            body["fieldPath"] = "serviceOrderItem.service.id"
        return Callback(order.externalId, body)

    # --- tasks ----------------------------------------------------------------------------------------------

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a service order scenario stopped", exc_info=task.exception())

    async def _cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _apply_down(self) -> None:
        if self.behaviour.down:
            self._up.clear()
        else:
            self._up.set()
