"""Shared by the qualification and quote tests (no tests here): the published samples, the sample
customers, the converged-home catalog example and request helpers."""

from __future__ import annotations

from typing import Any

from httpx import Response

from runtime.auth.roles import Role
from runtime.customers.sample import seed_sample_customers
from runtime.tmf.contract import assert_conforms
from tests.runtime.catalog.test_tmf620_support import published_samples
from tests.runtime.support import Api

POQ = "/tmf-api/productOfferingQualification/v4/productOfferingQualification"
QUOTE = "/api/v1/quote"

# The facts of the converged-home example "fibre, two mobile lines and TV, in a shop"
# (catalog_specs/2026.2/offerings/bundles/converged-home.yaml).
EXAMPLE_FACTS: dict[str, Any] = {
    "customer": {"segment": "residential", "creditClass": "A", "ageYears": 34},
    "account": {"status": "active", "outstandingBalance": "0.00", "tenureMonths": 18},
    "address": {
        "country": "NL",
        "region": "NL-NH",
        "fibreAvailable": True,
        "maxDownloadMbps": 1000,
        "fiveGCoverage": True,
    },
}
EXAMPLE_DATE = "2026-07-15"


async def ready(api: Api) -> Api:
    """Both sample releases published (clock on 1 August 2026) and the sample customers stored."""
    await published_samples(api)
    async with api.database.unit_of_work() as session:
        await seed_sample_customers(session)
    return api


def customer(customer_id: str) -> list[dict[str, Any]]:
    return [{"id": customer_id, "role": "Customer", "@referredType": "Customer"}]


def item(item_id: str, offering: str, **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "productOffering": {"id": offering}, **extra}


def characteristics(**values: Any) -> dict[str, Any]:
    return {"productCharacteristic": [{"name": name, "value": value} for name, value in values.items()]}


def bundled_by(parent: str) -> list[dict[str, str]]:
    return [{"id": parent, "relationshipType": "bundledBy"}]


def converged_items() -> list[dict[str, Any]]:
    """converged-home with fibre-1000, two mobile-5g-m lines and tv-essential, as the example's cart."""
    return [
        item("1", "converged-home"),
        item(
            "2",
            "fibre-1000",
            product=characteristics(contractTerm=24),
            qualificationItemRelationship=bundled_by("1"),
        ),
        item("3", "mobile-5g-m", qualificationItemRelationship=bundled_by("1")),
        item(
            "4",
            "mobile-5g-m",
            product=characteristics(numberPortIn=True),
            qualificationItemRelationship=bundled_by("1"),
        ),
        item("5", "tv-essential", qualificationItemRelationship=bundled_by("1")),
    ]


def converged_cart() -> list[dict[str, Any]]:
    """The same cart in the quote (engine) shape."""
    return [
        {"id": "1", "productOffering": "converged-home"},
        {
            "id": "2",
            "productOffering": "fibre-1000",
            "parentItemId": "1",
            "characteristic": {"contractTerm": 24},
        },
        {"id": "3", "productOffering": "mobile-5g-m", "parentItemId": "1"},
        {
            "id": "4",
            "productOffering": "mobile-5g-m",
            "parentItemId": "1",
            "characteristic": {"numberPortIn": True},
        },
        {"id": "5", "productOffering": "tv-essential", "parentItemId": "1"},
    ]


async def qualify(api: Api, body: dict[str, Any], role: Role = Role.channel, **params: str) -> Response:
    return await api.client.post(POQ, json=body, headers=api.auth(role), params=params)


async def qualified(api: Api, body: dict[str, Any], **params: str) -> dict[str, Any]:
    """POST a qualification that must be created; its body, checked against TMF679."""
    response = await qualify(api, body, **params)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    assert_conforms("TMF679", "ProductOfferingQualification", result)
    assert response.headers["location"] == result["href"]
    return result


def assert_tmf_error(response: Response, status: int) -> dict[str, Any]:
    """The response is a TMF679 Error with this status; its body."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert_conforms("TMF679", "Error", body)
    assert body["status"] == str(status)
    return body


def by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in result["productOfferingQualificationItem"]}
