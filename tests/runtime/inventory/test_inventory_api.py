"""The TMF637 product inventory API: reads for channel and oss, seeding for admin."""

from __future__ import annotations

import pytest

from runtime.auth.roles import Role
from runtime.tmf.contract import assert_conforms
from tests.runtime.customers.builders import PRODUCTS, assert_tmf_error, created, onboard, product
from tests.runtime.support import Api


async def test_admin_seeds_a_product_that_conforms_to_tmf637_and_channel_and_oss_read_it(api: Api) -> None:
    onboarded = await onboard(api)
    body = product(
        onboarded.customer["id"],
        name="Fibre 500",
        billingAccount={"id": onboarded.account["id"]},
        productCharacteristic=[
            {"name": "contractTerm", "value": 24},
            {"name": "installationType", "value": "engineer"},
        ],
        productOrderItem=[{"productOrderId": "PO-1", "orderItemId": "1", "orderItemAction": "add"}],
        startDate="2026-02-01T00:00:00Z",
    )
    seeded = await created(api, PRODUCTS, body, Role.admin)
    for role in (Role.channel, Role.oss):
        response = await api.client.get(seeded["href"], headers=api.auth(role))
        assert response.status_code == 200
        assert response.json() == seeded
    assert_conforms("TMF637", "Product", seeded)
    assert seeded["@type"] == "Product" and seeded["href"] == f"{PRODUCTS}/{seeded['id']}"
    assert seeded["productCharacteristic"] == [
        {"name": "contractTerm", "valueType": "integer", "value": 24},
        {"name": "installationType", "valueType": "string", "value": "engineer"},
    ]
    assert seeded["relatedParty"][0]["href"] == onboarded.customer["href"]
    assert seeded["billingAccount"]["href"] == onboarded.account["href"]
    assert seeded["startDate"].startswith("2026-02-01T00:00:00")


async def test_lists_filter_by_customer_offering_and_status_with_fields_and_paging(api: Api) -> None:
    first, second = await onboard(api), await onboard(api)
    for owner, offering, name in (
        (first, "fibre-500", "Fibre"),
        (first, "mobile-5g-m", "Mobile one"),
        (first, "mobile-5g-m", "Mobile two"),
        (second, "mobile-5g-m", "Mobile three"),
    ):
        await created(api, PRODUCTS, product(owner.customer["id"], offering, name=name), Role.admin)
    await created(api, PRODUCTS, product(second.customer["id"], "fibre-100", status="created"), Role.admin)
    channel = api.auth(Role.channel)

    mine = await api.client.get(
        PRODUCTS,
        params={"relatedParty.id": first.customer["id"], "productOffering.id": "mobile-5g-m"},
        headers=channel,
    )
    assert [p["name"] for p in mine.json()] == ["Mobile one", "Mobile two"]
    pending = await api.client.get(PRODUCTS, params={"status": "created"}, headers=channel)
    assert [p["productOffering"]["id"] for p in pending.json()] == ["fibre-100"]
    by_name = await api.client.get(
        PRODUCTS, params={"name": "Mobile three", "fields": "status"}, headers=channel
    )
    assert [set(p) for p in by_name.json()] == [{"id", "href", "@type", "status"}]
    paged = await api.client.get(PRODUCTS, params={"offset": "3", "limit": "10"}, headers=channel)
    assert (paged.headers["x-total-count"], paged.headers["x-result-count"]) == ("5", "2")
    assert_tmf_error(
        await api.client.get(PRODUCTS, params={"colour": "red"}, headers=channel), 400, "INVALID_QUERY"
    )


@pytest.mark.parametrize("role", [Role.channel, Role.oss, Role.product_manager])
async def test_only_admin_may_seed_products(api: Api, role: Role) -> None:
    onboarded = await onboard(api)
    response = await api.client.post(PRODUCTS, json=product(onboarded.customer["id"]), headers=api.auth(role))
    assert_tmf_error(response, 403, "FORBIDDEN")


async def test_product_managers_cannot_read_the_inventory(api: Api) -> None:
    onboarded = await onboard(api)
    seeded = await created(api, PRODUCTS, product(onboarded.customer["id"]), Role.admin)
    headers = api.auth(Role.product_manager)
    assert_tmf_error(await api.client.get(PRODUCTS, headers=headers), 403, "FORBIDDEN")
    assert_tmf_error(await api.client.get(seeded["href"], headers=headers), 403, "FORBIDDEN")


async def test_bad_seed_requests_are_refused_with_tmf_errors(api: Api) -> None:
    onboarded = await onboard(api)
    customer_id, admin = onboarded.customer["id"], api.auth(Role.admin)
    base = product(customer_id)
    two_parties = [*base["relatedParty"], {"id": "x", "@referredType": "Individual"}]
    cases = [
        ({**base, "colour": "red"}, 400, "INVALID_BODY"),
        ({**base, "status": "dormant"}, 400, "INVALID_BODY"),
        ({**base, "productPrice": []}, 400, "INVALID_BODY"),
        ({**base, "@type": "Service"}, 400, "INVALID_BODY"),
        (product("nobody"), 422, "UNKNOWN_REFERENCE"),
        ({**base, "billingAccount": {"id": "nothing"}}, 422, "UNKNOWN_REFERENCE"),
        ({**base, "relatedParty": two_parties}, 422, "INVALID_REFERENCE"),
        ({key: value for key, value in base.items() if key != "productOffering"}, 422, "INVALID_REFERENCE"),
        (
            {**base, "productCharacteristic": [{"name": "x", "value": {"nested": 1}}]},
            422,
            "INVALID_CHARACTERISTIC",
        ),
        (
            {**base, "productCharacteristic": [{"name": "x", "value": 1}, {"name": "x", "value": 2}]},
            422,
            "INVALID_CHARACTERISTIC",
        ),
        (product(customer_id, status="terminated"), 409, "INVALID_STATE_TRANSITION"),
    ]
    for body, status, code in cases:
        assert_tmf_error(await api.client.post(PRODUCTS, json=body, headers=admin), status, code)
    assert (await api.client.get(PRODUCTS, headers=admin)).headers["x-total-count"] == "0"


async def test_an_unknown_product_is_a_404(api: Api) -> None:
    response = await api.client.get(f"{PRODUCTS}/nothing", headers=api.auth(Role.channel))
    assert_tmf_error(response, 404, "NOT_FOUND")
