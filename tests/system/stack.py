"""The whole of Switchboard as separate processes, as `switchboard up` runs it, for the reliability tests.

A persistent Temporal dev server (SQLite under the test's data dir), the API (`switchboard up --no-worker
--no-simulator`, which publishes the sample catalog and writes the keys), the order worker, and the OSS
simulator, each its own process on a free 127.0.0.1 port, so a test can kill -9 and restart any of them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from runtime.supervisor import Child, free_port, switchboard_command
from runtime.temporal.devserver import EmbeddedTemporal, free_port_block

ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder"
CANCELS = "/tmf-api/productOrderingManagement/v4/cancelProductOrder"
INVENTORY = "/tmf-api/productInventory/v4/product"
FINAL_STATES = frozenset({"completed", "failed", "cancelled", "rejected"})


def keys(path: Path) -> dict[str, str]:
    return dict(re.findall(r"^export SB_(\w+)_KEY=(\S+)$", path.read_text(encoding="utf-8"), re.M))


@dataclass
class Stack:
    data_dir: Path
    database_url: str | None = None  # None: SQLite in the data dir
    time_scale: float = 1.0
    simulator_args: tuple[str, ...] = ("--delay", "0.05:0.2", "--seed", "7")
    api_port: int = field(default_factory=free_port)
    oss_port: int = field(default_factory=free_port)
    temporal: EmbeddedTemporal | None = None
    api: Child | None = None
    worker: Child | None = None
    simulator: Child | None = None
    keys: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        assert self.temporal is not None
        env = {
            "SWITCHBOARD_DATA_DIR": str(self.data_dir),
            "TEMPORAL_ADDRESS": self.temporal.address,
            "SWITCHBOARD_OSS_URL": f"http://127.0.0.1:{self.oss_port}/tmf-api/serviceOrdering/v4",
            "SWITCHBOARD_ORDER_TIME_SCALE": str(self.time_scale),
            "SWITCHBOARD_PORT": str(self.api_port),
        }
        if self.database_url:
            env["SWITCHBOARD_DATABASE_URL"] = self.database_url
        return env

    def start(self) -> Stack:
        self.temporal = EmbeddedTemporal(self.data_dir / "temporal", port=free_port_block())
        self.temporal.start()
        self.api = self._child("api", "up", "--no-worker", "--no-simulator", port=self.api_port)
        self.api.start(timeout=90)
        self.keys = keys(self.data_dir / "api-keys.env")
        self.worker = self._child("worker", "worker")
        self.worker.start()
        self.simulator = self._child(
            "oss-simulator",
            "oss-simulator",
            "--port",
            str(self.oss_port),
            "--callback-url",
            f"http://127.0.0.1:{self.api_port}",
            *self.simulator_args,
            port=self.oss_port,
        )
        self.simulator.start()
        return self

    def _child(self, name: str, *args: str, port: int | None = None) -> Child:
        log = self.data_dir / "logs" / f"{name}.log"
        return Child(name, switchboard_command(*args), self.env, port=port, log=log)

    def stop(self) -> None:
        for child in (self.simulator, self.worker, self.api):
            if child is not None:
                child.stop()
        if self.temporal is not None:
            self.temporal.stop()

    def logs(self) -> str:
        """Every child's log, for a failing test's report."""
        parts = []
        for path in sorted((self.data_dir / "logs").glob("*.log")):
            parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-6000:]}")
        return "\n".join(parts)

    # HTTP, as a channel or the operator would call it.
    def client(self, role: str = "CHANNEL") -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.keys[role]}"}
        return httpx.Client(base_url=f"http://127.0.0.1:{self.api_port}", headers=headers, timeout=30)

    def oss(self) -> httpx.Client:
        return httpx.Client(base_url=f"http://127.0.0.1:{self.oss_port}", timeout=30)

    def place(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.client() as client:
            response = client.post(ORDERS, json=body)
        assert response.status_code == 201, response.text
        order: dict[str, Any] = response.json()
        assert order["state"] == "acknowledged", order
        return order

    def order(self, order_id: str) -> dict[str, Any]:
        with self.client("ADMIN") as client:
            response = client.get(f"{ORDERS}/{order_id}")
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    def wait_order(
        self, order_id: str, done: Callable[[dict[str, Any]], bool], timeout: float = 60.0
    ) -> dict[str, Any]:
        """Poll the order over the API until `done` holds; fail with the last state and the logs."""
        deadline = time.monotonic() + timeout
        order: dict[str, Any] = {}
        while time.monotonic() < deadline:
            try:
                order = self.order(order_id)
            except httpx.TransportError:
                order = {}  # the API is being restarted by the test
            if order and done(order):
                return order
            time.sleep(0.2)
        raise AssertionError(f"order {order_id} stuck in {order.get('state')}: {order}\n{self.logs()}")

    def wait_state(self, order_id: str, *states: str, timeout: float = 60.0) -> dict[str, Any]:
        return self.wait_order(order_id, lambda o: o["state"] in states, timeout)

    def stats(self) -> dict[str, Any]:
        with self.oss() as oss:
            response = oss.get("/simulator/stats")
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    def configure_oss(self, **config: Any) -> None:
        with self.oss() as oss:
            response = oss.put("/simulator/config", json=config)
        assert response.status_code == 200, response.text
