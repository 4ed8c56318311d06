"""The designer's browser tests: the whole system as processes, the designer in prod mode, real Chromium.

One stack per session (API with the sample catalog, Temporal, worker, OSS simulator: tests/system/stack.py),
then `switchboard designer` against it on a free port, and Debian's Chromium driven by Playwright.
Screenshots go to tests/designer/artifacts/ (git-ignored); the timings are printed at the end of the run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from runtime.supervisor import free_port, switchboard_command
from tests.system.stack import Stack

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMINGS: dict[str, float] = {}


@dataclass
class Designer:
    url: str
    stack: Stack
    process: subprocess.Popen[bytes]
    log: Path

    def page(self, browser: Browser) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page


def _serve_designer(stack: Stack, log: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    port = free_port()
    env = {**os.environ, "SWITCHBOARD_DATA_DIR": str(stack.data_dir)}
    env.pop("SWITCHBOARD_DESIGNER_KEY", None)  # the key comes from the data dir's api-keys.env
    command = switchboard_command(
        "designer", "--port", str(port), "--api-url", f"http://127.0.0.1:{stack.api_port}"
    )
    started = time.monotonic()
    with log.open("ab") as handle:
        process = subprocess.Popen(
            command, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    deadline = started + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"switchboard designer exited with {process.returncode}:\n{log.read_text()[-4000:]}"
            )
        try:
            if httpx.get(url + "/", timeout=2).status_code == 200:
                return process, url, time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the designer did not serve within 600 s:\n{log.read_text()[-4000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the designer's own process group (Reflex and its server workers), by its id."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


# Module scope: the browser tests are one module, and a sync Playwright left running would keep its event
# loop on the main thread for the tests that follow (asyncio.run() then refuses to run).
@pytest.fixture(scope="module")
def designer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Designer]:
    ARTIFACTS.mkdir(exist_ok=True)
    stack = Stack(tmp_path_factory.mktemp("designer-stack")).start()
    log = stack.data_dir / "logs" / "designer.log"
    try:
        process, url, cold_start = _serve_designer(stack, log)
        TIMINGS["designer cold start (process start to first page served), s"] = cold_start
        yield Designer(url, stack, process, log)
        _stop(process)
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def shoot(page: Page, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TIMINGS:
        terminalreporter.section("designer timings")
        for name, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{name}: {seconds:.1f}")
