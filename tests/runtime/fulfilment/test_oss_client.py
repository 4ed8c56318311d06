"""The OSS client against the real OSS simulator over HTTP: one service order per externalId."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace

import pytest

from runtime.fulfilment.oss_client import OssClient, OssRefused, OssUnavailable, service_order_body
from runtime.oss_simulator.config import SimulatorConfig
from runtime.supervisor import free_port
from runtime.tmf.contract import assert_conforms
from tests.runtime.oss_simulator.harness import (
    INSTANT,
    OSS_KEY,
    SECRET,
    Receiver,
    RunningSimulator,
)
from workflows.plan_view import ServiceOrderRequest

REQUEST = ServiceOrderRequest(
    orderId="ORD-1",
    stepId="2/reserve-olt-port",
    externalId="ORD-1/2/reserve-olt-port#1",
    action="add",
    serviceSpecification="rfs-olt-port",
    description="Reserve a port on the area OLT",
    characteristics={"downloadMbps": 1000, "contractTerm": 24},
)


@pytest.fixture
def simulator() -> Iterator[RunningSimulator]:
    receiver = Receiver()
    config = SimulatorConfig(
        callback_url=receiver.url, api_key=OSS_KEY, secret=SECRET, seed=7, behaviour=replace(INSTANT)
    )
    running = RunningSimulator(config)
    yield running
    running.close()
    receiver.close()


@pytest.fixture
async def oss(simulator: RunningSimulator) -> AsyncIterator[OssClient]:
    client = OssClient(f"http://127.0.0.1:{simulator.port}/tmf-api/serviceOrdering/v4", SECRET)
    yield client
    await client.close()


def _stats(simulator: RunningSimulator, external_id: str) -> Callable[[str], int]:
    return lambda name: int(simulator.stats()["byExternalId"][external_id][name])


def test_the_service_order_is_a_tmf641_service_order_create_with_one_item() -> None:
    body = service_order_body(replace(REQUEST, productId="P-1"))
    assert_conforms("TMF641", "ServiceOrder_Create", body)
    item = body["serviceOrderItem"][0]
    assert (body["externalId"], item["action"], item["service"]["serviceSpecification"]["id"]) == (
        REQUEST.externalId,
        "add",
        "rfs-olt-port",
    )
    assert item["service"]["serviceCharacteristic"] == [
        {"name": "contractTerm", "value": 24},
        {"name": "downloadMbps", "value": 1000},
    ]


async def test_a_resent_service_order_is_the_same_one(oss: OssClient, simulator: RunningSimulator) -> None:
    first = await oss.submit(REQUEST)
    again = await oss.submit(REQUEST)
    looked_up = await oss.submit(REQUEST, look_first=True)
    assert first == again == looked_up
    stats = _stats(simulator, REQUEST.externalId)
    assert (stats("postsReceived"), stats("serviceOrdersCreated")) == (2, 1)  # the look-up did not post
    assert await oss.find("ORD-1/2/reserve-olt-port#2") is None


async def test_a_down_oss_is_unavailable_and_a_refusal_is_final(
    oss: OssClient, simulator: RunningSimulator
) -> None:
    simulator.configure(down=True)
    with pytest.raises(OssUnavailable, match="503"):
        await oss.submit(REQUEST)
    simulator.configure(down=False)
    with pytest.raises(OssRefused, match="400"):
        await oss.submit(replace(REQUEST, action="replace"))


async def test_an_unreachable_oss_is_unavailable() -> None:
    client = OssClient(f"http://127.0.0.1:{free_port()}/tmf-api/serviceOrdering/v4", SECRET, timeout=2)
    try:
        with pytest.raises(OssUnavailable, match="ConnectError"):
            await client.submit(REQUEST)
    finally:
        await client.close()
