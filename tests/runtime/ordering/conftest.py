"""The ordering API with the sample catalog and customers, and a fake orchestrator at the port."""

from __future__ import annotations

import pytest

from tests.runtime.ordering.fakes import FakeOrchestrator
from tests.runtime.qualification.support import ready
from tests.runtime.support import Api


@pytest.fixture
def orchestrator() -> FakeOrchestrator:
    return FakeOrchestrator()


@pytest.fixture
async def ordering(api: Api, orchestrator: FakeOrchestrator) -> Api:
    """`api` with both sample releases (clock on 1 August 2026), the sample customers and the fake."""
    await ready(api)
    services = api.client.app.state.services
    services.orchestrator = orchestrator
    services.order_starts.orchestrator = orchestrator
    return api
