"""GET productOrder and productOrder/{id}: a channel key sees the orders it placed; admin sees all."""

from __future__ import annotations

from runtime.auth.roles import Role
from runtime.ordering.repository import in_flight_order_count
from runtime.tmf.contract import assert_conforms
from tests.runtime.ordering.support import (
    ORDERS,
    another_key,
    assert_tmf_error,
    order_body,
    order_item,
    placed,
    tv_order,
)
from tests.runtime.support import Api


async def test_a_channel_key_lists_and_reads_only_its_own_orders(ordering: Api) -> None:
    mine = await placed(ordering, tv_order(externalId="a"))
    other_shop = await another_key(ordering)
    response = await ordering.client.post(ORDERS, json=tv_order(externalId="b"), headers=other_shop)
    theirs = response.json()
    listed = await ordering.client.get(ORDERS, headers=ordering.auth(Role.channel))
    assert [order["id"] for order in listed.json()] == [mine["id"]]
    assert listed.headers["X-Total-Count"] == "1"
    for order in listed.json():
        assert_conforms("TMF622", "ProductOrder", order)
    hidden = await ordering.client.get(f"{ORDERS}/{theirs['id']}", headers=ordering.auth(Role.channel))
    assert_tmf_error(hidden, 404, "NOT_FOUND")
    everything = await ordering.client.get(ORDERS, headers=ordering.auth(Role.admin))
    assert {order["id"] for order in everything.json()} == {mine["id"], theirs["id"]}
    admin_read = await ordering.client.get(f"{ORDERS}/{theirs['id']}", headers=ordering.auth(Role.admin))
    assert admin_read.json() == theirs


async def test_orders_filter_by_state_and_external_id(ordering: Api) -> None:
    accepted = await placed(ordering, tv_order(externalId="ok"))
    rejected = await placed(ordering, order_body([order_item("1", "teleporter")], externalId="ko"))
    channel = ordering.auth(Role.channel)
    by_state = await ordering.client.get(ORDERS, params={"state": "rejected"}, headers=channel)
    assert [order["id"] for order in by_state.json()] == [rejected["id"]]
    by_external = await ordering.client.get(ORDERS, params={"externalId": "ok"}, headers=channel)
    assert [order["id"] for order in by_external.json()] == [accepted["id"]]
    by_item = await ordering.client.get(
        ORDERS,
        params={"productOrderItem.productOffering.id": "teleporter", "fields": "state"},
        headers=channel,
    )
    assert by_item.json() == [
        {"id": rejected["id"], "href": rejected["href"], "@type": rejected["@type"], "state": "rejected"}
    ]


async def test_a_bad_filter_or_an_unknown_order_is_a_4xx(ordering: Api) -> None:
    channel = ordering.auth(Role.channel)
    assert_tmf_error(await ordering.client.get(ORDERS, params={"shoeSize": "44"}, headers=channel), 400)
    assert_tmf_error(await ordering.client.get(f"{ORDERS}/nope", headers=channel), 404)


async def test_in_flight_orders_are_counted_by_offering(ordering: Api) -> None:
    await placed(ordering, tv_order())
    await placed(ordering, tv_order())
    await placed(ordering, order_body([order_item("1", "teleporter")]))  # rejected: not in flight
    async with ordering.database.sessions() as session:
        assert await in_flight_order_count(session, ["tv-essential"]) == 2
        assert await in_flight_order_count(session, ["tv-essential", "fibre-500"]) == 2
        assert await in_flight_order_count(session, ["teleporter"]) == 0
        assert await in_flight_order_count(session, []) == 0
