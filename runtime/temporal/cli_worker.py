"""`switchboard worker`: run the order worker as its own process, configured by the environment."""

from __future__ import annotations

import argparse
import asyncio
import signal
from typing import Any

from runtime.config import Settings
from runtime.temporal import logs
from workflows.contracts import TASK_QUEUE


def register(commands: Any) -> None:
    worker = commands.add_parser(
        "worker",
        help="run the order workflow worker (TEMPORAL_ADDRESS, or the embedded server's port on 127.0.0.1)",
    )
    worker.add_argument("--task-queue", default=TASK_QUEUE, help=f"default {TASK_QUEUE}")
    worker.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    logs.configure()
    asyncio.run(_main(Settings.from_env(), args.task_queue))
    return 0


async def _main(settings: Settings, task_queue: str) -> None:
    # Imported here: the rest of the CLI should not pay for loading Temporal and the workflows.
    from runtime.temporal.worker import run_worker

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    await run_worker(settings, stop, task_queue)
