"""TMF679 productOfferingQualification: who may qualify, and every bad request answered with a TMF Error."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.auth.roles import Role
from tests.runtime.qualification.support import (
    EXAMPLE_FACTS,
    POQ,
    assert_tmf_error,
    customer,
    item,
    qualify,
    ready,
)
from tests.runtime.support import Api


def prospect(**changes: Any) -> dict[str, Any]:
    body = {
        "channel": {"id": "web"},
        "switchboardFacts": EXAMPLE_FACTS,
        "productOfferingQualificationItem": [item("1", "fibre-1000")],
    }
    return {**body, **changes}


@pytest.mark.parametrize("role", [Role.product_manager, Role.oss])
async def test_only_channels_and_admins_qualify_and_read_qualifications(api: Api, role: Role) -> None:
    await ready(api)
    assert_tmf_error(await qualify(api, prospect(), role), 403)
    assert_tmf_error(await api.client.get(POQ, headers=api.auth(role)), 403)
    response = await qualify(api, prospect(), Role.admin)
    assert response.status_code == 201
    assert_tmf_error(await api.client.get(response.json()["href"], headers=api.auth(role)), 403)


async def test_a_missing_fact_is_a_422_naming_its_path(api: Api) -> None:
    await ready(api)
    address = {k: v for k, v in EXAMPLE_FACTS["address"].items() if k != "fibreAvailable"}
    body = prospect(switchboardFacts={**EXAMPLE_FACTS, "address": address})
    error = assert_tmf_error(await qualify(api, body), 422)
    assert error["code"] == "INVALID_FACT"
    assert "address.fibreAvailable" in error["message"]


async def test_an_ill_typed_inline_fact_is_located_in_the_body(api: Api) -> None:
    await ready(api)
    body = prospect(switchboardFacts={**EXAMPLE_FACTS, "customer": {"ageYears": "old"}})
    error = assert_tmf_error(await qualify(api, body), 422)
    assert error["message"].endswith("(at $.switchboardFacts.customer.ageYears)")


async def test_a_bad_characteristic_is_located_in_its_item(api: Api) -> None:
    await ready(api)
    bad = item("1", "fibre-1000", product={"productCharacteristic": [{"name": "contractTerm", "value": [1]}]})
    error = assert_tmf_error(await qualify(api, prospect(productOfferingQualificationItem=[bad])), 422)
    assert (
        "$.productOfferingQualificationItem[0].product.productCharacteristic.name=contractTerm"
        in (error["message"])
    )


async def test_the_channel_is_required(api: Api) -> None:
    await ready(api)
    body = prospect()
    del body["channel"]
    error = assert_tmf_error(await qualify(api, body), 422)
    assert "channel" in error["message"]


async def test_an_offering_the_release_lacks_is_a_404(api: Api) -> None:
    await ready(api)
    body = prospect(productOfferingQualificationItem=[item("1", "fibre-9000")])
    error = assert_tmf_error(await qualify(api, body), 404)
    assert error["code"] == "UNKNOWN_ENTITY"
    assert "$.productOfferingQualificationItem[0].productOffering.id" in error["message"]


async def test_an_unknown_customer_is_a_404(api: Api) -> None:
    await ready(api)
    body = prospect(relatedParty=customer("CUST-9999"))
    del body["switchboardFacts"]
    assert_tmf_error(await qualify(api, body), 404)


async def test_a_customer_and_inline_facts_together_are_refused(api: Api) -> None:
    await ready(api)
    error = assert_tmf_error(await qualify(api, prospect(relatedParty=customer("CUST-1001"))), 422)
    assert error["code"] == "FACTS_CONFLICT"


@pytest.mark.parametrize(
    "changes",
    [
        {"qualificationResult": "qualified"},  # read-only
        {"category": {"id": "broadband"}},  # category qualification is not supported
        {"channel": {"id": "web", "colour": "blue"}},  # unknown attribute, nested
        {"channel": "web"},  # wrong type
        {"productOfferingQualificationItem": [{"id": 1, "productOffering": {"id": "fibre-1000"}}]},
        {"productOfferingQualificationItem": [item("1", "fibre-1000", qualificationItemResult="qualified")]},
        {"effectiveQualificationDate": "15 July 2026"},
        {"effectiveQualificationDate": "2026-07-15T10:00:00"},  # no offset
        {"switchboardFacts": ["residential"]},
        {"effectiveQualificationDate": "9999-12-31T23:00:00-05:00"},  # past the last representable UTC
        {"description": "a\u0000b"},  # PostgreSQL cannot store a NUL in JSON
    ],
)
async def test_a_body_tmf679_refuses_is_a_400(api: Api, changes: dict[str, Any]) -> None:
    await ready(api)
    assert_tmf_error(await qualify(api, prospect(**changes)), 400)


@pytest.mark.parametrize(
    "changes",
    [
        {"productOfferingQualificationItem": []},
        {"productOfferingQualificationItem": [{"id": "1"}]},
        {
            "productOfferingQualificationItem": [
                item(
                    "1",
                    "fibre-1000",
                    qualificationItemRelationship=[{"id": "2", "relationshipType": "reliesOn"}],
                )
            ]
        },
        {"switchboardFacts": {"cart": []}},
        {"productOfferingQualificationItem": [item(str(n), "mobile-5g-m") for n in range(201)]},
    ],
)
async def test_a_request_switchboard_cannot_evaluate_is_a_422(api: Api, changes: dict[str, Any]) -> None:
    await ready(api)
    assert_tmf_error(await qualify(api, prospect(**changes)), 422)


async def test_malformed_json_is_a_400(api: Api) -> None:
    await ready(api)
    headers = {**api.auth(Role.channel), "Content-Type": "application/json"}
    for raw in (b'{"channel": ', b"[1, 2]", b'{"a": NaN}'):
        response = await api.client.post(POQ, content=raw, headers=headers)
        assert_tmf_error(response, 400)


async def test_an_oversized_body_is_a_413(api: Api) -> None:
    await ready(api)
    body = prospect(description="x" * 1_100_000)
    assert_tmf_error(await qualify(api, body), 413)


async def test_an_unknown_qualification_is_a_404(api: Api) -> None:
    await ready(api)
    assert_tmf_error(await api.client.get(f"{POQ}/nope", headers=api.auth(Role.channel)), 404)


async def test_an_unknown_list_filter_is_a_400(api: Api) -> None:
    await ready(api)
    response = await api.client.get(POQ, params={"colour": "blue"}, headers=api.auth(Role.channel))
    assert_tmf_error(response, 400)
