"""A real HTTP listener on 127.0.0.1 for delivery tests: records every request, answers from a script."""

from __future__ import annotations

import asyncio
import inspect
import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def event_id(self) -> str:
        return self.headers["X-Switchboard-Event-Id"]


class Listener:
    """Answers each request with the next status of `script`, then `then` for every later one."""

    def __init__(self, script: list[int] | None = None, then: int = 204, hold: bool = False) -> None:
        self.script = list(script or [])
        self.then = then
        self.received: list[Received] = []
        self.holding = 0  # requests waiting for release()
        self._released = threading.Event()
        if not hold:
            self._released.set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def release(self) -> None:
        self._released.set()

    def close(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()

    def answer(self, received: Received) -> int:
        with self._lock:
            self.received.append(received)
            self.holding += 0 if self._released.is_set() else 1
            status = self.script.pop(0) if self.script else self.then
        self._released.wait()
        return status

    def event_ids(self) -> list[str]:
        with self._lock:
            return [r.event_id for r in self.received]


def _handler(listener: Listener) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = listener.answer(Received(self.path, dict(self.headers.items()), body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:  # keep test output quiet
            pass

    return Handler


def closed_port_url() -> str:
    """A URL nothing listens on: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def eventually(check: Callable[[], bool | Awaitable[bool]], seconds: float = 15.0) -> None:
    """Poll `check` until it holds; fail after `seconds` (a deadline, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {seconds} s")
        await asyncio.sleep(0.02)
