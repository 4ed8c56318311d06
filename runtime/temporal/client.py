"""Connecting to Temporal: the configured cluster (`TEMPORAL_ADDRESS`) or the embedded dev server."""

from __future__ import annotations

import asyncio
import time

from temporalio.client import Client
from temporalio.service import RetryConfig

from runtime.config import Settings
from runtime.temporal.devserver import HOST

# Fail fast enough for the API to answer 503 (the outbox retries the start), yet ride out a blip.
RPC_RETRY = RetryConfig(initial_interval_millis=100, max_interval_millis=1000, max_retries=4)


def temporal_address(settings: Settings) -> str:
    """`TEMPORAL_ADDRESS` when set, else the embedded dev server's gRPC port on 127.0.0.1."""
    return settings.temporal_address or f"{HOST}:{settings.temporal_port}"


async def connect(settings: Settings, *, lazy: bool = False, address: str | None = None) -> Client:
    """A client for the order workflows' namespace; `lazy` connects on first use, so the API may start
    before Temporal does."""
    return await Client.connect(
        address or temporal_address(settings),
        namespace=settings.temporal_namespace,
        lazy=lazy,
        retry_config=RPC_RETRY,
    )


async def connect_when_ready(address: str, namespace: str = "default", timeout: float = 30.0) -> Client:
    """Connect, waiting while a server that has just started reports "Frontend is not healthy yet"."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await Client.connect(address, namespace=namespace, retry_config=RPC_RETRY)
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)
