"""TMF620 writes act on drafts, with ETags; published entities and releases answer 409."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.auth.roles import Role
from runtime.tmf.contract import assert_conforms
from tests.runtime.catalog.test_tmf620_support import BASE, assert_tmf_error, published_samples
from tests.runtime.support import Api

PM = Role.product_manager
NEW_PRICE = {
    "id": "fibre-2000-monthly",
    "name": "Fibre 2000 monthly",
    "@type": "SwitchboardProductOfferingPrice",
    "priceType": "recurring",
    "recurringChargePeriodType": "month",
    "price": {"unit": "EUR", "value": 79.99},
}
MERGE_PATCH = "application/merge-patch+json"


@pytest.fixture
async def catalog(api: Api) -> Api:
    return await published_samples(api)


async def create(api: Api, path: str, body: Any, role: Role = PM) -> Any:
    return await api.client.post(f"{BASE}/{path}", json=body, headers=api.auth(role))


async def change(api: Api, path: str, body: Any, etag: str | None, role: Role = PM) -> Any:
    headers = api.auth(role) | {"Content-Type": MERGE_PATCH} | ({"If-Match": etag} if etag else {})
    return await api.client.patch(f"{BASE}/{path}", json=body, headers=headers)


async def remove(api: Api, path: str, etag: str | None, role: Role = PM) -> Any:
    headers = api.auth(role) | ({"If-Match": etag} if etag else {})
    return await api.client.delete(f"{BASE}/{path}", headers=headers)


async def test_a_draft_is_created_read_patched_and_deleted_with_etags(catalog: Api) -> None:
    created = await create(catalog, "productOfferingPrice", NEW_PRICE)
    assert created.status_code == 201, created.text
    body, etag = created.json(), created.headers["etag"]
    assert_conforms("TMF620", "ProductOfferingPrice", body)
    assert created.headers["location"] == f"{BASE}/productOfferingPrice/fibre-2000-monthly"
    assert (body["version"], body["price"]["value"], body["draft"]["problems"]) == ("1", 79.99, [])

    read = await catalog.client.get(
        f"{BASE}/productOfferingPrice/fibre-2000-monthly",
        params={"releaseId": "drafts"},
        headers=catalog.auth(PM),
    )
    assert (read.json(), read.headers["etag"]) == (body, etag)

    patched = await change(
        catalog, "productOfferingPrice/fibre-2000-monthly", {"price": {"value": 74.99}}, etag
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["price"] == {"unit": "EUR", "value": 74.99}
    assert patched.headers["etag"] != etag
    assert_conforms("TMF620", "ProductOfferingPrice", patched.json())

    stale = await change(catalog, "productOfferingPrice/fibre-2000-monthly", {"name": "late"}, etag)
    assert_tmf_error(stale, 412)
    assert_tmf_error(await remove(catalog, "productOfferingPrice/fibre-2000-monthly", etag), 412)
    deleted = await remove(catalog, "productOfferingPrice/fibre-2000-monthly", patched.headers["etag"])
    assert deleted.status_code == 204

    gone = await catalog.client.get(
        f"{BASE}/productOfferingPrice/fibre-2000-monthly",
        params={"releaseId": "drafts"},
        headers=catalog.auth(PM),
    )
    assert_tmf_error(gone, 404)


async def test_changing_a_draft_needs_if_match(catalog: Api) -> None:
    created = await create(catalog, "productOfferingPrice", NEW_PRICE)
    assert created.status_code == 201
    assert_tmf_error(
        await change(catalog, "productOfferingPrice/fibre-2000-monthly", {"name": "x"}, None), 428
    )
    assert_tmf_error(await remove(catalog, "productOfferingPrice/fibre-2000-monthly", None), 428)


async def test_published_entities_cannot_be_patched_deleted_or_recreated(catalog: Api) -> None:
    published = [
        ("productOffering", "fibre-500"),
        ("productOfferingPrice", "fibre-500-monthly"),
        ("productSpecification", "fibre-access"),
        ("category", "broadband"),
    ]
    for path, entity_id in published:
        patched = await change(catalog, f"{path}/{entity_id}", {"description": "changed"}, '"1-x"')
        assert "POST a draft with the same id" in assert_tmf_error(patched, 409)["message"]
        assert_tmf_error(await remove(catalog, f"{path}/{entity_id}", '"1-x"'), 409)
        recreated = await create(catalog, path, {"id": entity_id, "version": "1", "name": "Same version"})
        assert assert_tmf_error(recreated, 409)["code"] == "PUBLISHED_IMMUTABLE"


async def test_a_draft_of_a_published_entity_is_started_by_posting_its_id(catalog: Api) -> None:
    published = (
        await catalog.client.get(f"{BASE}/productOffering/fibre-500", headers=catalog.auth(PM))
    ).json()
    created = await create(
        catalog, "productOffering", published | {"version": None, "name": "Fibre 500 Plus"}
    )
    assert created.status_code == 201, created.text
    draft = created.json()
    assert (draft["version"], draft["draft"]["basedOnVersion"]) == ("3", "2")
    assert draft["name"] == "Fibre 500 Plus"
    assert draft["productOfferingPrice"] == published["productOfferingPrice"]
    assert draft["draft"]["problems"] == []
    again = await create(catalog, "productOffering", {"id": "fibre-500", "name": "Twice"})
    assert assert_tmf_error(again, 409)["code"] == "DRAFT_EXISTS"


async def test_a_lifecycle_change_follows_the_transition_table(catalog: Api) -> None:
    # A draft without a status is `active`: a launched offering cannot go back to it.
    implicit = await create(catalog, "productOffering", {"id": "fibre-500", "name": "Fibre 500"})
    assert assert_tmf_error(implicit, 409)["code"] == "INVALID_LIFECYCLE_TRANSITION"
    body = {"id": "fibre-500", "name": "Fibre 500", "lifecycleStatus": "launched"}
    created = await create(catalog, "productOffering", body)
    assert created.json()["lifecycleStatus"] == "launched"
    etag = created.headers["etag"]
    backwards = await change(catalog, "productOffering/fibre-500", {"lifecycleStatus": "inStudy"}, etag)
    assert "allowed: retired" in assert_tmf_error(backwards, 409)["message"]
    retired = await change(catalog, "productOffering/fibre-500", {"lifecycleStatus": "retired"}, etag)
    assert retired.json()["lifecycleStatus"] == "retired"


async def test_an_incomplete_draft_is_kept_and_shown_with_its_problems(catalog: Api) -> None:
    created = await create(catalog, "productOfferingPrice", {"id": "half-written", "description": "tbd"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert_conforms("TMF620", "ProductOfferingPrice", body)
    assert body["description"] == "tbd"
    assert body["draft"]["problems"]
    listed = await catalog.client.get(
        f"{BASE}/productOfferingPrice", params={"releaseId": "drafts"}, headers=catalog.auth(PM)
    )
    assert [item["id"] for item in listed.json()] == ["half-written"]


async def test_a_draft_may_refer_to_entities_that_do_not_exist_yet(catalog: Api) -> None:
    body = {"id": "fibre-2000", "name": "Fibre 2000", "productOfferingPrice": [{"id": "fibre-2000-monthly"}]}
    created = await create(catalog, "productOffering", body)
    assert created.status_code == 201, created.text
    assert created.json()["productOfferingPrice"] == [
        {
            "id": "fibre-2000-monthly",
            "href": f"{BASE}/productOfferingPrice/fibre-2000-monthly",
            "@referredType": "ProductOfferingPrice",
        }
    ]


async def test_bodies_the_model_cannot_hold_are_refused(catalog: Api) -> None:
    refused: list[tuple[Any, int, str | None]] = [
        ({"id": "x", "name": "x", "colour": "red"}, 400, "INVALID_BODY"),
        ({"id": "x", "name": "x", "place": []}, 422, "UNSUPPORTED_FIELD"),
        ({"id": "x", "name": "x", "price": {"unit": "EUR", "value": "cheap"}}, 400, "INVALID_BODY"),
        ({"name": "no id"}, 422, "ID_REQUIRED"),
        ([{"id": "x"}], 400, None),
    ]
    for body, status, code in refused:
        error = assert_tmf_error(await create(catalog, "productOfferingPrice", body), status)
        assert code is None or error["code"] == code, body


async def test_malformed_json_is_a_400(catalog: Api) -> None:
    headers = catalog.auth(PM) | {"Content-Type": "application/json"}
    response = await catalog.client.post(f"{BASE}/productOffering", content=b'{"id": ', headers=headers)
    assert_tmf_error(response, 400)


async def test_patch_cannot_rename_a_draft(catalog: Api) -> None:
    etag = (await create(catalog, "productOfferingPrice", NEW_PRICE)).headers["etag"]
    renamed = await change(catalog, "productOfferingPrice/fibre-2000-monthly", {"id": "other"}, etag)
    assert_tmf_error(renamed, 400)


async def test_an_unknown_entity_cannot_be_patched_or_deleted(catalog: Api) -> None:
    assert_tmf_error(await change(catalog, "productOffering/no-such-thing", {"name": "x"}, '"1-x"'), 404)
    assert_tmf_error(await remove(catalog, "productOffering/no-such-thing", '"1-x"'), 404)


async def test_published_releases_cannot_be_changed(catalog: Api) -> None:
    assert_tmf_error(await change(catalog, "catalog/2026.1", {"name": "x"}, None), 409)
    assert_tmf_error(await remove(catalog, "catalog/2026.1", None), 409)
    assert_tmf_error(await remove(catalog, "catalog/1999.1", None), 404)


async def test_only_product_managers_write(catalog: Api) -> None:
    for role in (Role.channel, Role.oss):
        assert_tmf_error(await create(catalog, "productOfferingPrice", NEW_PRICE, role), 403)
        assert_tmf_error(
            await change(catalog, "productOfferingPrice/fibre-500-monthly", {}, '"1-x"', role), 403
        )
        assert_tmf_error(await remove(catalog, "productOfferingPrice/fibre-500-monthly", '"1-x"', role), 403)


async def test_an_admin_writes_too(catalog: Api) -> None:
    created = await create(catalog, "category", {"id": "wearables", "name": "Wearables"}, Role.admin)
    assert created.status_code == 201, created.text
    assert_conforms("TMF620", "Category", created.json())
    assert created.json()["isRoot"] is True
