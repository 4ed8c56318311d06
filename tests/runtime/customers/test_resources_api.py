"""Creating, reading, patching and deleting customers, parties and billing accounts over the TMF APIs."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from runtime.audit.models import AuditRecord
from runtime.auth.roles import Role
from runtime.events.models import OutboxEvent
from runtime.tmf.contract import assert_conforms
from tests.runtime.customers.builders import (
    ACCOUNTS,
    CUSTOMERS,
    INDIVIDUALS,
    ORGANIZATIONS,
    PRODUCTS,
    assert_tmf_error,
    billing_account,
    created,
    customer,
    individual,
    onboard,
    product,
)
from tests.runtime.support import Api

MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}


async def test_an_onboarded_customer_conforms_to_tmf629_and_links_its_party_and_account(api: Api) -> None:
    onboarded = await onboard(api)
    response = await api.client.get(onboarded.customer["href"], headers=api.auth(Role.channel))
    assert response.status_code == 200
    body = response.json()
    assert_conforms("TMF629", "Customer", body)
    assert body["@type"] == "Customer" and body["href"] == f"{CUSTOMERS}/{body['id']}"
    assert body["status"] == "approved"
    assert body["engagedParty"]["href"] == f"{INDIVIDUALS}/{onboarded.party['id']}"
    assert body["account"] == [
        {
            "id": onboarded.account["id"],
            "name": "Main account",
            "href": f"{ACCOUNTS}/{onboarded.account['id']}",
            "@referredType": "BillingAccount",
        }
    ]
    for ref in (body["engagedParty"], body["account"][0]):
        assert (await api.client.get(ref["href"], headers=api.auth(Role.channel))).status_code == 200


async def test_individuals_and_organizations_conform_to_tmf632(api: Api) -> None:
    person = await created(api, INDIVIDUALS, individual())
    company = await created(api, ORGANIZATIONS, {"tradingName": "Bakkerij Smit", "isLegalEntity": True})
    for resource, definition in ((person, "Individual"), (company, "Organization")):
        response = await api.client.get(resource["href"], headers=api.auth(Role.channel))
        assert response.status_code == 200
        assert_conforms("TMF632", definition, response.json())
        assert response.json()["@type"] == definition and response.json()["status"] == "initialized"
    assert person["birthDate"] == "1991-03-14T00:00:00Z"


async def test_a_billing_account_conforms_to_tmf666_and_keeps_its_balance_exact(api: Api) -> None:
    person = await created(api, INDIVIDUALS, individual())
    raw = json.dumps(billing_account(person)).replace(
        '"relatedParty"', '"creditLimit": {"unit": "EUR", "value": 1234.567}, "relatedParty"'
    )
    response = await api.client.post(
        ACCOUNTS, content=raw, headers={**api.auth(Role.channel), "Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
    assert response.headers["location"] == response.json()["href"]
    fetched = await api.client.get(response.json()["href"], headers=api.auth(Role.channel))
    assert_conforms("TMF666", "BillingAccount", fetched.json())
    assert '"value":1234.567' in fetched.text
    assert fetched.json()["state"] == "active" and fetched.json()["lastModified"]
    assert fetched.json()["relatedParty"][0]["href"] == f"{INDIVIDUALS}/{person['id']}"


async def test_lists_filter_in_sql_and_in_memory_select_fields_and_page(api: Api) -> None:
    person = await created(api, INDIVIDUALS, individual())
    for name, segment in (("Ann", "residential"), ("Bob", "business"), ("Cas", "business")):
        await created(api, CUSTOMERS, {**customer(person, segment=segment), "name": name})
    channel = api.auth(Role.channel)

    by_name = await api.client.get(CUSTOMERS, params={"name": "Bob"}, headers=channel)
    assert [c["name"] for c in by_name.json()] == ["Bob"]
    assert (by_name.headers["x-total-count"], by_name.headers["x-result-count"]) == ("1", "1")

    business = await api.client.get(
        CUSTOMERS, params={"characteristic.value": "business", "status": "approved"}, headers=channel
    )
    assert [c["name"] for c in business.json()] == ["Bob", "Cas"]

    paged = await api.client.get(
        CUSTOMERS, params={"offset": "1", "limit": "1", "fields": "name"}, headers=channel
    )
    assert paged.json() == [
        {"id": paged.json()[0]["id"], "href": paged.json()[0]["href"], "@type": "Customer", "name": "Bob"}
    ]
    assert (paged.headers["x-total-count"], paged.headers["x-result-count"]) == ("3", "1")

    paged_in_memory = await api.client.get(
        CUSTOMERS, params={"characteristic.name": "segment", "offset": "2", "limit": "5"}, headers=channel
    )
    assert [c["name"] for c in paged_in_memory.json()] == ["Cas"]
    assert paged_in_memory.headers["x-total-count"] == "3"

    one = await api.client.get(
        f"{CUSTOMERS}/{by_name.json()[0]['id']}", params={"fields": "status"}, headers=channel
    )
    assert set(one.json()) == {"id", "href", "@type", "status"}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"colour": "red"}, "INVALID_QUERY"),
        ({"fields": "nope"}, "INVALID_QUERY"),
        ({"limit": "0"}, "INVALID_QUERY"),
    ],
)
async def test_bad_list_queries_are_400s(api: Api, params: dict[str, str], code: str) -> None:
    response = await api.client.get(INDIVIDUALS, params=params, headers=api.auth(Role.channel))
    assert_tmf_error(response, 400, code)


@pytest.mark.parametrize("media_type", ["application/merge-patch+json", "application/json"])
async def test_a_merge_patch_changes_removes_and_keeps_attributes(api: Api, media_type: str) -> None:
    onboarded = await onboard(api)
    href = onboarded.customer["href"]
    first = {"status": "validated", "statusReason": "documents checked"}
    headers = {**api.auth(Role.channel), "Content-Type": media_type}
    assert (await api.client.patch(href, content=json.dumps(first), headers=headers)).status_code == 200
    response = await api.client.patch(href, content=json.dumps({"statusReason": None}), headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "validated" and "statusReason" not in body
    assert body["characteristic"] == onboarded.customer["characteristic"]
    assert_conforms("TMF629", "Customer", body)
    assert (await api.client.get(href, headers=api.auth(Role.channel))).json() == body


async def test_patching_the_engaged_party_moves_the_customer_to_it(api: Api) -> None:
    onboarded = await onboard(api)
    company = await created(api, ORGANIZATIONS, {"tradingName": "De Vries Design"})
    change = {
        "engagedParty": {"id": company["id"], "name": "De Vries Design", "@referredType": "Organization"}
    }
    response = await api.client.patch(onboarded.customer["href"], json=change, headers=api.auth(Role.channel))
    assert response.status_code == 200, response.text
    found = await api.client.get(
        CUSTOMERS, params={"engagedParty.id": company["id"]}, headers=api.auth(Role.channel)
    )
    assert [c["id"] for c in found.json()] == [onboarded.customer["id"]]


@pytest.mark.parametrize(
    ("path", "changes"),
    [
        (CUSTOMERS, {"id": "other"}),
        (CUSTOMERS, {"href": "/x"}),
        (ACCOUNTS, {"accountBalance": []}),
        (CUSTOMERS, {"name": None}),
        (CUSTOMERS, {"engagedParty": {"@referredType": None}}),
        (CUSTOMERS, {"favouriteColour": "red"}),
    ],
)
async def test_patches_of_read_only_unknown_or_required_attributes_are_400s(
    api: Api, path: str, changes: dict[str, object]
) -> None:
    onboarded = await onboard(api)
    resource = onboarded.customer if path == CUSTOMERS else onboarded.account
    response = await api.client.patch(resource["href"], json=changes, headers=api.auth(Role.channel))
    assert_tmf_error(response, 400, "INVALID_BODY")


async def test_a_patch_in_another_media_type_is_a_415(api: Api) -> None:
    onboarded = await onboard(api)
    headers = {**api.auth(Role.channel), "Content-Type": "application/json-patch+json"}
    response = await api.client.patch(onboarded.customer["href"], content="[]", headers=headers)
    assert_tmf_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ('{"givenName": "Anna", ', "INVALID_JSON"),
        ('["Anna"]', "INVALID_BODY"),
        ('{"givenName": "Anna", "familyName": "X", "shoeSize": 42}', "INVALID_BODY"),
        ('{"givenName": 7, "familyName": "X"}', "INVALID_BODY"),
        ('{"givenName": "Anna"}', "INVALID_BODY"),
        ('{"givenName": "A", "familyName": "X", "birthDate": "14 March 1991"}', "INVALID_BODY"),
        (
            '{"givenName": "A", "familyName": "X", "contactMedium": [{"mediumType": "email", "colour": 1}]}',
            "INVALID_BODY",
        ),
        (
            '{"givenName": "A", "familyName": "X", "partyCharacteristic": [{"name": "n", "value": NaN}]}',
            "INVALID_JSON",
        ),
        (
            '{"givenName": "A", "familyName": "X", "partyCharacteristic": [{"name": "n", "value": 0.12345678901234567}]}',
            "INVALID_JSON",
        ),
        ('{"givenName": "A", "familyName": "X", "@type": "Customer"}', "INVALID_BODY"),
        ('{"givenName": "A", "familyName": "X", "status": "asleep"}', "INVALID_BODY"),
    ],
)
async def test_malformed_or_nonconforming_bodies_are_400s(api: Api, raw: str, code: str) -> None:
    headers = {**api.auth(Role.channel), "Content-Type": "application/json"}
    response = await api.client.post(INDIVIDUALS, content=raw, headers=headers)
    assert_tmf_error(response, 400, code)


async def test_business_rule_violations_are_422s(api: Api) -> None:
    person = await created(api, INDIVIDUALS, individual())
    account = await created(api, ACCOUNTS, billing_account(person))
    channel = api.auth(Role.channel)
    cases = [
        (
            {**customer(person), "engagedParty": {"id": "nobody", "@referredType": "Individual"}},
            "UNKNOWN_REFERENCE",
        ),
        (
            {**customer(person), "engagedParty": {"id": person["id"], "@referredType": "Customer"}},
            "INVALID_REFERENCE",
        ),
        ({**customer(person), "account": [{"id": "no-such-account", "name": "x"}]}, "UNKNOWN_REFERENCE"),
        (customer(person, [account, account]), "INVALID_REFERENCE"),
        (customer(person, segment="vip"), "INVALID_CHARACTERISTIC"),
        (customer(person, maxDownloadMbps="fast"), "INVALID_CHARACTERISTIC"),
        (customer(person, fibreAvailable="yes"), "INVALID_CHARACTERISTIC"),
        (
            {**customer(person), "characteristic": [{"name": "creditClass", "value": "A"}] * 2},
            "INVALID_CHARACTERISTIC",
        ),
    ]
    for body, code in cases:
        assert_tmf_error(await api.client.post(CUSTOMERS, json=body, headers=channel), 422, code)
    closed = billing_account(person, state="closed")
    assert_tmf_error(await api.client.post(ACCOUNTS, json=closed, headers=channel), 422, "INVALID_STATE")
    assert (await api.client.get(CUSTOMERS, headers=channel)).headers["x-total-count"] == "0"


@pytest.mark.parametrize("path", [CUSTOMERS, INDIVIDUALS, ORGANIZATIONS, ACCOUNTS])
async def test_unknown_ids_are_404s(api: Api, path: str) -> None:
    href = f"{path}/does-not-exist"
    assert_tmf_error(await api.client.get(href, headers=api.auth(Role.channel)), 404, "NOT_FOUND")
    assert_tmf_error(await api.client.patch(href, json={}, headers=api.auth(Role.channel)), 404, "NOT_FOUND")
    assert_tmf_error(await api.client.delete(href, headers=api.auth(Role.admin)), 404, "NOT_FOUND")


@pytest.mark.parametrize("role", [Role.product_manager, Role.oss])
@pytest.mark.parametrize("path", [CUSTOMERS, INDIVIDUALS, ORGANIZATIONS, ACCOUNTS])
async def test_product_managers_and_oss_may_neither_read_nor_write(api: Api, path: str, role: Role) -> None:
    person = await created(api, INDIVIDUALS, individual())
    bodies = {
        CUSTOMERS: customer(person),
        INDIVIDUALS: individual(),
        ORGANIZATIONS: {"tradingName": "X"},
        ACCOUNTS: billing_account(person),
    }
    existing = await created(api, path, bodies[path])
    headers = api.auth(role)
    assert_tmf_error(await api.client.get(path, headers=headers), 403, "FORBIDDEN")
    assert_tmf_error(await api.client.get(existing["href"], headers=headers), 403, "FORBIDDEN")
    assert_tmf_error(await api.client.post(path, json=bodies[path], headers=headers), 403, "FORBIDDEN")
    assert_tmf_error(await api.client.patch(existing["href"], json={}, headers=headers), 403, "FORBIDDEN")
    assert_tmf_error(await api.client.delete(existing["href"], headers=headers), 403, "FORBIDDEN")


async def test_only_admin_deletes_and_nothing_still_referenced_can_go(api: Api) -> None:
    onboarded = await onboard(api)
    admin, channel = api.auth(Role.admin), api.auth(Role.channel)
    customer_href, party_href, account_href = (
        onboarded.customer["href"],
        onboarded.party["href"],
        onboarded.account["href"],
    )
    assert_tmf_error(await api.client.delete(customer_href, headers=channel), 403, "FORBIDDEN")
    await created(api, PRODUCTS, product(onboarded.customer["id"]), Role.admin)
    assert_tmf_error(await api.client.delete(customer_href, headers=admin), 409, "CONFLICT")
    assert_tmf_error(await api.client.delete(party_href, headers=admin), 409, "CONFLICT")
    assert_tmf_error(await api.client.delete(account_href, headers=admin), 409, "CONFLICT")

    other = await onboard(api)
    assert (await api.client.delete(other.customer["href"], headers=admin)).status_code == 204
    assert (await api.client.delete(other.account["href"], headers=admin)).status_code == 204
    assert (await api.client.delete(other.party["href"], headers=admin)).status_code == 204
    for href in (other.customer["href"], other.account["href"], other.party["href"]):
        assert_tmf_error(await api.client.get(href, headers=channel), 404, "NOT_FOUND")


async def test_every_write_is_audited_with_its_actor_and_before_and_after(api: Api) -> None:
    person = await created(api, INDIVIDUALS, individual())
    await api.client.patch(person["href"], json={"status": "validated"}, headers=api.auth(Role.channel))
    await api.client.delete(person["href"], headers=api.auth(Role.admin))
    async with api.database.sessions() as session:
        rows = (
            (
                await session.execute(
                    select(AuditRecord).where(AuditRecord.entity_id == person["id"]).order_by(AuditRecord.id)
                )
            )
            .scalars()
            .all()
        )
    assert [(r.action, r.entity_type, r.actor_role) for r in rows] == [
        ("create", "individual", "channel"),
        ("update", "individual", "channel"),
        ("delete", "individual", "admin"),
    ]
    assert rows[0].before is None and rows[0].after["givenName"] == "Anna"
    assert (rows[1].before["status"], rows[1].after["status"]) == ("initialized", "validated")
    assert rows[2].before["id"] == person["id"] and rows[2].after is None


async def test_writes_publish_create_state_attribute_and_delete_events(api: Api) -> None:
    onboarded = await onboard(api)
    channel = api.auth(Role.channel)
    await api.client.patch(onboarded.customer["href"], json={"status": "validated"}, headers=channel)
    await api.client.patch(onboarded.customer["href"], json={"name": "Anna V."}, headers=channel)
    await api.client.patch(onboarded.account["href"], json={"state": "suspended"}, headers=channel)
    await api.client.delete(onboarded.customer["href"], headers=api.auth(Role.admin))
    async with api.database.sessions() as session:
        events = (await session.execute(select(OutboxEvent).order_by(OutboxEvent.created_at))).scalars().all()
    assert [(e.api, e.event_type) for e in events] == [
        ("party", "IndividualCreateEvent"),
        ("accountManagement", "BillingAccountCreateEvent"),
        ("customerManagement", "CustomerCreateEvent"),
        ("customerManagement", "CustomerStateChangeEvent"),
        ("customerManagement", "CustomerAttributeValueChangeEvent"),
        ("accountManagement", "BillingAccountStateChangeEvent"),
        ("customerManagement", "CustomerDeleteEvent"),
    ]
    assert events[4].body["event"]["customer"]["name"] == "Anna V."
