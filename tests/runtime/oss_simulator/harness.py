"""Real HTTP both ways: the simulator under uvicorn on a free 127.0.0.1 port, and a receiver standing in for
the Switchboard API's TMF641 listener, which checks every callback's signature and bearer key.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import uvicorn

from runtime.events.signing import EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from runtime.oss_simulator.app import create_app
from runtime.oss_simulator.config import Behaviour, SimulatorConfig

SECRET = "test-oss-secret"
OSS_KEY = "sbk_testoss_0123456789abcdef"
INSTANT = Behaviour(delayMinSeconds=0.0, delayMaxSeconds=0.0)


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    signed: bool  # the HMAC over timestamp + body verifies with the shared secret
    authorised: bool  # it carried the oss API key as a bearer token

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def state(self) -> str:
        return str(self.json["event"]["serviceOrder"]["state"])

    @property
    def event_type(self) -> str:
        return str(self.json["eventType"])


class Receiver:
    """Answers each callback with the next status of `script`, then `then`; records what it was sent."""

    def __init__(self, script: list[int] | None = None, then: int = 201, port: int = 0) -> None:
        self.script = list(script or [])
        self.then = then
        self.received: list[Received] = []
        self.answered: list[int] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> int:
        received = Received(
            path=path,
            headers=headers,
            body=body,
            signed=verify(
                SECRET, headers.get(TIMESTAMP_HEADER.lower()), body, headers.get(SIGNATURE_HEADER.lower())
            ),
            authorised=headers.get("authorization") == f"Bearer {OSS_KEY}",
        )
        with self._lock:
            status = self.script.pop(0) if self.script else self.then
            self.answered.append(status)
            if 200 <= status < 300:
                self.received.append(received)
        return status

    def accepted(self, external_id: str | None = None) -> list[Received]:
        """The callbacks answered 2xx, in arrival order (for one externalId when given)."""
        with self._lock:
            return [
                r
                for r in self.received
                if external_id is None or r.json["event"]["serviceOrder"]["externalId"] == external_id
            ]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status = receiver.answer(self.path, headers, body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    return Handler


class RunningSimulator:
    """The simulator's real ASGI app served by uvicorn in a thread, and an HTTP client to it."""

    def __init__(self, config: SimulatorConfig) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self._server = uvicorn.Server(
            uvicorn.Config(create_app(config), log_level="warning", access_log=False, lifespan="on")
        )
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the simulator did not start")
            time.sleep(0.01)
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10, trust_env=False)

    def close(self) -> None:
        self.http.close()
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    def post_order(self, external_id: str, **extra: Any) -> httpx.Response:
        return self.http.post(
            "/tmf-api/serviceOrdering/v4/serviceOrder", json=service_order(external_id, **extra)
        )

    def stats(self) -> dict[str, Any]:
        body: dict[str, Any] = self.http.get("/simulator/stats").json()
        return body

    def configure(self, **settings: Any) -> dict[str, Any]:
        response = self.http.put("/simulator/config", json=settings)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def settled(self) -> bool:
        """Every scenario has played to its end (all callbacks acked or dropped)."""
        return bool(self.stats()["playing"] == 0)


def service_order(external_id: str, **extra: Any) -> dict[str, Any]:
    """A TMF641 ServiceOrder_Create as Switchboard's order workflow sends it: one step, one item."""
    return {
        "externalId": external_id,
        "category": "broadband",
        "description": "activate the fibre access",
        "serviceOrderItem": [
            {
                "id": "1",
                "action": "add",
                "service": {
                    "serviceSpecification": {"id": "fibre-access"},
                    "serviceCharacteristic": [{"name": "downloadMbps", "value": 1000}],
                },
            }
        ],
        **extra,
    }


def eventually(check: Callable[[], bool], seconds: float = 15.0) -> None:
    """Poll `check` until it holds; fail after `seconds` (a deadline, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {seconds} s")
        time.sleep(0.02)


def event_id(received: Received) -> str:
    return received.headers[EVENT_ID_HEADER.lower()]
