"""Child processes of `switchboard up` (and of the system tests): start, wait until serving, stop in reverse.

Each part of Switchboard is its own process (the Temporal dev server, the OSS simulator, the worker), as in
the scale-out setup, so a crash of one is visible and a restart of one is the same command it was started
with.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO


class ChildFailed(RuntimeError):
    """A child exited, or did not start serving, in time."""


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)
    port: int | None = None  # when set, the child is ready once 127.0.0.1:port accepts connections
    log: Path | None = None  # stdout and stderr go here; None: inherit the parent's
    process: subprocess.Popen[bytes] | None = None
    _log_handle: IO[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            self._log_handle = self.log.open("ab")
        self.process = subprocess.Popen(
            list(self.argv),
            env={**os.environ, **self.env},
            stdout=self._log_handle,
            stderr=subprocess.STDOUT if self._log_handle else None,
            start_new_session=True,  # a Ctrl-C in the terminal reaches `up`, which stops children in order
        )
        if self.port is not None:
            self.wait_serving(timeout)

    def wait_serving(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ChildFailed(f"{self.name} exited with {self.process.returncode}{self._log_hint()}")
            if port_open(self.port or 0):
                return
            time.sleep(0.1)
        raise ChildFailed(f"{self.name} did not serve on 127.0.0.1:{self.port} in {timeout:.0f} s")

    def _log_hint(self) -> str:
        return f" (see {self.log})" if self.log else ""

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, grace: float = 10.0) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None

    def kill(self) -> None:
        """SIGKILL: the crash the reliability tests inflict; nothing gets to clean up."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@dataclass
class ProcessGroup:
    children: list[Child] = field(default_factory=list)

    def start(self, child: Child, timeout: float = 30.0) -> Child:
        self.children.append(child)
        child.start(timeout)
        return child

    def stop(self) -> None:
        for child in reversed(self.children):
            child.stop()

    def failed(self) -> list[Child]:
        return [c for c in self.children if not c.running]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def switchboard_command(*args: str) -> list[str]:
    """The `switchboard` CLI of this very interpreter, so children run the same code and venv."""
    return [sys.executable, "-m", "runtime.cli", *args]
