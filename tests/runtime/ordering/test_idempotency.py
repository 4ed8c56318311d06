"""A POST of an order is idempotent per API key: by Idempotency-Key header or by externalId."""

from __future__ import annotations

import asyncio

from runtime.auth.roles import Role
from tests.runtime.ordering.fakes import FakeOrchestrator
from tests.runtime.ordering.support import (
    ORDERS,
    another_key,
    assert_tmf_error,
    events,
    order_body,
    order_count,
    order_item,
    post_order,
    tv_order,
)
from tests.runtime.support import Api

KEY = {"Idempotency-Key": "9f1c2a4e-retry-me"}


async def test_the_same_idempotency_key_returns_the_first_order(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    first = await post_order(ordering, tv_order(), headers=KEY)
    second = await post_order(ordering, tv_order(), headers=KEY)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await order_count(ordering) == 1
    assert orchestrator.start_calls == [first.json()["id"]]
    assert len(await events(ordering, "ProductOrderCreateEvent")) == 1


async def test_the_same_external_id_returns_the_first_order(ordering: Api) -> None:
    first = await post_order(ordering, tv_order(externalId="basket-7"))
    second = await post_order(ordering, tv_order(externalId="basket-7", description="clicked twice"))
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert await order_count(ordering) == 1


async def test_a_rejected_order_is_replayed_as_rejected(ordering: Api) -> None:
    body = order_body([order_item("1", "teleporter")], externalId="basket-8")
    first = await post_order(ordering, body)
    second = await post_order(ordering, body)
    assert first.json()["state"] == "rejected"
    assert second.json() == first.json() and second.status_code == 201


async def test_the_replay_is_the_first_answer_even_after_the_order_moved_on(ordering: Api) -> None:
    first = (await post_order(ordering, tv_order(), headers=KEY)).json()
    patched = await ordering.client.patch(
        f"{ORDERS}/{first['id']}", json={"description": "changed"}, headers=ordering.auth(Role.channel)
    )
    assert patched.status_code == 200
    again = await post_order(ordering, tv_order(), headers=KEY)
    assert again.json() == first


async def test_keys_are_per_api_key(ordering: Api) -> None:
    first = await post_order(ordering, tv_order(externalId="basket-9"), headers=KEY)
    other = await ordering.client.post(
        ORDERS, json=tv_order(externalId="basket-9"), headers=(await another_key(ordering)) | KEY
    )
    assert other.status_code == 201
    assert other.json()["id"] != first.json()["id"]
    assert "Idempotent-Replayed" not in other.headers
    assert await order_count(ordering) == 2


async def test_different_requests_without_keys_make_different_orders(ordering: Api) -> None:
    await post_order(ordering, tv_order())
    await post_order(ordering, tv_order())
    assert await order_count(ordering) == 2


async def test_concurrent_duplicates_make_one_order(ordering: Api, orchestrator: FakeOrchestrator) -> None:
    responses = await asyncio.gather(*(post_order(ordering, tv_order(), headers=KEY) for _ in range(6)))
    assert {response.status_code for response in responses} == {201}
    assert len({response.json()["id"] for response in responses}) == 1
    assert sum(response.headers.get("Idempotent-Replayed") == "true" for response in responses) == 5
    assert await order_count(ordering) == 1
    assert len(orchestrator.start_calls) == 1


async def test_concurrent_duplicates_by_external_id_make_one_order(ordering: Api) -> None:
    body = tv_order(externalId="basket-10")
    responses = await asyncio.gather(*(post_order(ordering, body) for _ in range(6)))
    assert len({response.json()["id"] for response in responses}) == 1
    assert await order_count(ordering) == 1


async def test_an_overlong_idempotency_key_is_400(ordering: Api) -> None:
    response = await post_order(ordering, tv_order(), headers={"Idempotency-Key": "k" * 201})
    assert_tmf_error(response, 400, "INVALID_HEADER")
