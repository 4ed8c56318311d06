"""Bad input is a TMF Error with a 4xx status, never a 500: malformed JSON, wrong types, unknown fields, an
oversized body, a wrong media type, an unknown method, a bad filter or `fields=` expression."""

from __future__ import annotations

import pytest

from runtime.auth.roles import Role
from tests.runtime.catalog.test_tmf620_support import BASE, assert_tmf_error, published_samples
from tests.runtime.support import Api

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
OFFERINGS = f"{BASE}/productOffering"
JSON = {"Content-Type": "application/json"}


async def test_malformed_json_is_400(api: Api) -> None:
    for path in (CUSTOMERS, OFFERINGS, "/api/v1/releases", "/tmf-api/party/v4/hub"):
        response = await api.client.post(path, content=b'{"name": ', headers=api.auth(Role.admin) | JSON)
        assert_tmf_error(response, 400)


async def test_a_body_that_is_not_an_object_is_400(api: Api) -> None:
    for path in (CUSTOMERS, OFFERINGS):
        response = await api.client.post(path, content=b"[1, 2]", headers=api.auth(Role.admin) | JSON)
        assert_tmf_error(response, 400)


async def test_an_oversized_body_is_413(api: Api) -> None:
    limit = api.client.app.state.services.settings.max_body_bytes
    body = b'{"name": "' + b"x" * limit + b'"}'
    for path in (CUSTOMERS, OFFERINGS, "/api/v1/releases"):
        response = await api.client.post(path, content=body, headers=api.auth(Role.admin) | JSON)
        assert_tmf_error(response, 413)


async def test_a_wrong_media_type_is_415(api: Api) -> None:
    headers = api.auth(Role.admin) | {"Content-Type": "text/plain"}
    for path in (CUSTOMERS, "/tmf-api/productInventory/v4/product"):
        response = await api.client.post(path, content=b'{"name": "x"}', headers=headers)
        assert_tmf_error(response, 415)
    response = await api.client.patch(f"{CUSTOMERS}/CUST-1", content=b"{}", headers=headers)
    assert_tmf_error(response, 415)


async def test_an_unknown_method_is_405(api: Api) -> None:
    for method, path in (("PUT", "/health"), ("PATCH", CUSTOMERS), ("POST", f"{CUSTOMERS}/CUST-1")):
        response = await api.client.request(method, path, headers=api.auth(Role.admin))
        body = assert_tmf_error(response, 405)
        assert body["code"] == "METHOD_NOT_ALLOWED"


async def test_an_unknown_path_is_404(api: Api) -> None:
    response = await api.client.get("/tmf-api/nothing/v4/here", headers=api.auth(Role.admin))
    assert_tmf_error(response, 404)


async def test_wrong_types_are_400_or_422(api: Api) -> None:
    admin = api.auth(Role.admin)
    cases = [
        ("/api/v1/releases", {"documents": "not a list"}),
        ("/api/v1/drafts/publish", {"releaseId": 7, "name": [], "effectiveDate": "yesterday"}),
        ("/tmf-api/party/v4/hub", {"callback": 12}),
        (CUSTOMERS, {"name": 12, "engagedParty": "nobody"}),
        (OFFERINGS, {"name": {"not": "a string"}, "isBundle": "yes"}),
    ]
    for path, body in cases:
        response = await api.client.post(path, json=body, headers=admin)
        assert response.status_code in (400, 422), f"{path}: {response.status_code} {response.text}"
        assert_tmf_error(response, response.status_code)


async def test_unknown_fields_are_refused(api: Api) -> None:
    admin = api.auth(Role.admin)
    body = {"name": "Test", "engagedParty": {"id": "IND-1", "@referredType": "Individual"}, "shoeSize": 44}
    response = await api.client.post(CUSTOMERS, json=body, headers=admin)
    assert response.status_code in (400, 422), response.text
    assert "shoeSize" in assert_tmf_error(response, response.status_code)["message"]
    response = await api.client.post(
        "/tmf-api/party/v4/hub", json={"callback": "https://x.example", "x": 1}, headers=admin
    )
    assert response.status_code in (201, 400, 422), response.text  # msgspec ignores unknown fields by default
    if response.status_code != 201:
        assert_tmf_error(response, response.status_code)


@pytest.mark.parametrize(
    "query",
    [
        "noSuchAttribute=1",
        "fields=noSuchAttribute",
        "fields=,,",
        "offset=-1",
        "offset=99999999999999999999",
        "limit=0",
        "limit=abc",
    ],
)
async def test_a_bad_filter_or_fields_expression_is_400(api: Api, query: str) -> None:
    await published_samples(api)
    admin = api.auth(Role.admin)
    for path in (CUSTOMERS, OFFERINGS, "/api/v1/releases", "/tmf-api/productInventory/v4/product"):
        response = await api.client.get(f"{path}?{query}", headers=admin)
        assert_tmf_error(response, 400)
    response = await api.client.get(f"/admin/event-deliveries?{query}", headers=admin)
    if query.startswith(("offset", "limit")):
        assert_tmf_error(response, 400)
    else:
        assert response.status_code == 200, response.text  # this operator view takes no attribute filters


async def test_a_release_id_with_a_nul_is_422(api: Api) -> None:
    # Found by the fuzzer: PostgreSQL refused the NUL in the query and the API answered 500.
    body = {"releaseId": "2026.9\u0000", "name": "x", "effectiveDate": "2026-09-01T00:00:00Z"}
    response = await api.client.post("/api/v1/drafts/publish", json=body, headers=api.auth(Role.admin))
    assert_tmf_error(response, 422)


async def test_a_nul_character_the_database_cannot_store_is_a_422_not_a_500(api: Api) -> None:
    body = {"name": "Nul\u0000Corp", "tradingName": "x"}
    response = await api.client.post(
        "/tmf-api/party/v4/organization", json=body, headers=api.auth(Role.admin)
    )
    assert response.status_code in {201, 400, 422}, response.text
    assert response.status_code != 500
