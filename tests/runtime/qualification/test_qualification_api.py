"""TMF679 productOfferingQualification: stored customers, prospects, bundles, reading back, the event."""

from __future__ import annotations

from sqlalchemy import select

from runtime.auth.roles import Role
from runtime.events.models import OutboxEvent
from runtime.tmf.contract import assert_conforms
from tests.runtime.qualification.support import (
    EXAMPLE_DATE,
    EXAMPLE_FACTS,
    POQ,
    by_id,
    characteristics,
    converged_items,
    customer,
    item,
    qualified,
    ready,
)
from tests.runtime.support import Api


async def test_a_stored_customer_upgrading_to_fibre_1000_qualifies_with_a_trace(api: Api) -> None:
    await ready(api)
    result = await qualified(
        api,
        {
            "channel": {"id": "web"},
            "relatedParty": customer("CUST-1001"),
            "productOfferingQualificationItem": [
                item("1", "fibre-1000"),
                item("2", "fibre-500", action="delete"),
            ],
        },
    )
    assert result["state"] == "done" and result["qualificationResult"] == "qualified"
    assert result["effectiveQualificationDate"] == "2026-08-01T00:00:00Z"  # the fixed clock
    assert result["catalogRelease"]["id"] == "2026.2"
    assert result["channel"] == {"id": "web"}
    assert result["relatedParty"][0]["href"] == "/tmf-api/customerManagement/v4/customer/CUST-1001"
    fibre = by_id(result)["1"]
    assert fibre["qualificationItemResult"] == "qualified" and fibre["state"] == "done"
    assert fibre["productOffering"]["name"] == "Fibre 1000"
    assert fibre["eligibilityUnavailabilityReason"] == []
    assert "fibre-1000-serviceability/fibre-at-address: met" in fibre["eligibilityTrace"]
    assert by_id(result)["2"]["action"] == "delete"


async def test_the_customers_inventory_counts_fibre_1000_beside_the_held_fibre_500_is_refused(
    api: Api,
) -> None:
    await ready(api)
    result = await qualified(
        api,
        {
            "channel": {"id": "web"},
            "relatedParty": customer("CUST-1001"),
            "productOfferingQualificationItem": [item("1", "fibre-1000")],
        },
    )
    assert result["qualificationResult"] == "unqualified"
    [reason] = by_id(result)["1"]["eligibilityUnavailabilityReason"]
    assert reason["code"] == "EXCLUSIVITY_GROUP" and reason["source"] == "catalog"


async def test_a_customer_without_fibre_is_offered_home_5g_instead(api: Api) -> None:
    await ready(api)
    result = await qualified(
        api,
        {
            "channel": {"id": "web"},
            "relatedParty": customer("CUST-1002"),
            "productOfferingQualificationItem": [item("1", "fibre-1000")],
        },
    )
    assert result["qualificationResult"] == "alternate"
    fibre = by_id(result)["1"]
    assert fibre["qualificationItemResult"] == "alternate"
    assert [r["code"] for r in fibre["eligibilityUnavailabilityReason"]] == ["FIBRE_NOT_AVAILABLE"]
    [proposal] = fibre["alternateProductOfferingProposal"]
    assert proposal["alternateProductOffering"]["id"] == "home-5g-internet"
    assert proposal["alternateProductOffering"]["name"] == "5G Home Internet"
    assert "alternate home-5g-internet: qualifies in place of fibre-1000" in fibre["eligibilityTrace"]


async def test_a_prospect_without_a_customer_record_qualifies_on_inline_facts(api: Api) -> None:
    await ready(api)
    no_fibre = {**EXAMPLE_FACTS, "address": {**EXAMPLE_FACTS["address"], "fibreAvailable": False}}
    body = {
        "channel": {"id": "retail"},
        "switchboardFacts": no_fibre,
        "productOfferingQualificationItem": [item("1", "fibre-500"), item("2", "mobile-5g-m")],
    }
    result = await qualified(api, body)
    assert "relatedParty" not in result
    assert by_id(result)["1"]["qualificationItemResult"] == "alternate"
    assert by_id(result)["2"]["qualificationItemResult"] == "qualified"
    assert result["qualificationResult"] == "alternate"


async def test_the_converged_bundle_of_the_catalog_example_qualifies(api: Api) -> None:
    await ready(api)
    result = await qualified(
        api,
        {
            "channel": {"id": "retail"},
            "effectiveQualificationDate": EXAMPLE_DATE,
            "switchboardFacts": EXAMPLE_FACTS,
            "productOfferingQualificationItem": converged_items(),
        },
    )
    assert result["qualificationResult"] == "qualified"
    assert result["effectiveQualificationDate"] == "2026-07-15T00:00:00Z"
    assert [i["qualificationItemResult"] for i in result["productOfferingQualificationItem"]] == [
        "qualified"
    ] * 5
    assert by_id(result)["2"]["product"]["productCharacteristic"] == [{"name": "contractTerm", "value": 24}]


async def test_a_bundle_item_may_name_its_components_instead(api: Api) -> None:
    await ready(api)
    body = {
        "channel": {"id": "retail"},
        "switchboardFacts": EXAMPLE_FACTS,
        "productOfferingQualificationItem": [
            item(
                "1",
                "converged-home",
                qualificationItemRelationship=[{"id": "2", "relationshipType": "bundles"}],
            ),
            item("2", "fibre-1000"),
        ],
    }
    result = await qualified(api, body)
    # Linked as a component, the fibre alone breaks the bundle's mobile cardinality; unlinked it would not.
    codes = [r["code"] for r in by_id(result)["1"]["eligibilityUnavailabilityReason"]]
    assert codes == ["BUNDLE_CARDINALITY"]


async def test_a_qualification_reads_back_the_same_and_lists_with_paging_headers(api: Api) -> None:
    await ready(api)
    bodies = [
        {
            "channel": {"id": channel},
            "relatedParty": customer("CUST-1002"),
            "productOfferingQualificationItem": [item("1", "fibre-1000")],
        }
        for channel in ("web", "retail", "web")
    ]
    created = [await qualified(api, body) for body in bodies]
    for result in created:
        response = await api.client.get(result["href"], headers=api.auth(Role.channel))
        assert response.status_code == 200 and response.json() == result
    response = await api.client.get(POQ, params={"limit": "2"}, headers=api.auth(Role.admin))
    assert response.status_code == 200
    assert response.headers["x-total-count"] == "3" and response.headers["x-result-count"] == "2"
    assert [r["id"] for r in response.json()] == [r["id"] for r in created[:2]]
    for listed in response.json():
        assert_conforms("TMF679", "ProductOfferingQualification", listed)
    response = await api.client.get(
        POQ, params={"channel.id": "web", "fields": "qualificationResult"}, headers=api.auth(Role.channel)
    )
    assert response.headers["x-total-count"] == "2"
    assert response.json()[0] == {
        "id": created[0]["id"],
        "href": created[0]["href"],
        "@type": "SwitchboardProductOfferingQualification",
        "qualificationResult": "alternate",
    }


async def test_a_qualification_requested_asynchronously_is_still_answered_at_once(api: Api) -> None:
    await ready(api)
    result = await qualified(
        api,
        {
            "instantSyncQualification": False,
            "channel": {"id": "web"},
            "relatedParty": customer("CUST-1002"),
            "productOfferingQualificationItem": [item("1", "mobile-5g-m")],
        },
    )
    assert result["instantSyncQualification"] is True and result["state"] == "done"


async def test_a_qualification_publishes_its_create_event(api: Api) -> None:
    await ready(api)
    result = await qualified(
        api,
        {
            "channel": {"id": "web"},
            "relatedParty": customer("CUST-1002"),
            "productOfferingQualificationItem": [item("1", "fibre-1000")],
        },
    )
    async with api.database.sessions() as session:
        events = list(
            (
                await session.execute(
                    select(OutboxEvent).where(OutboxEvent.api == "productOfferingQualification")
                )
            ).scalars()
        )
    [event] = events
    assert event.event_type == "ProductOfferingQualificationCreateEvent"
    assert_conforms("TMF679", "ProductOfferingQualificationCreateEvent", event.body)
    assert event.body["event"]["productOfferingQualification"]["id"] == result["id"]


async def test_a_release_can_be_chosen(api: Api) -> None:
    await ready(api)
    body = {
        "channel": {"id": "web"},
        "relatedParty": customer("CUST-1002"),
        "productOfferingQualificationItem": [item("1", "mobile-5g-m")],
    }
    result = await qualified(api, body, releaseId="2026.1")
    assert result["catalogRelease"]["id"] == "2026.1"


async def test_exact_numbers_in_the_request_read_back_as_answered(api: Api) -> None:
    await ready(api)
    body = {
        "channel": {"id": "web"},
        "relatedParty": customer("CUST-1002"),
        "productOfferingQualificationItem": [
            item("1", "mobile-5g-m", product=characteristics(contractTerm=24.0, dataAllowanceGB=12.5))
        ],
    }
    posted = await qualified(api, body)
    response = await api.client.get(posted["href"], headers=api.auth(Role.channel))
    for answer in (posted, response.json()):
        product = answer["productOfferingQualificationItem"][0]["product"]
        values = [c["value"] for c in product["productCharacteristic"]]
        # 24.0 is stored (and so answered, both times) as the integer 24; 12.5 stays 12.5.
        assert values == [24, 12.5] and type(values[0]) is int and type(values[1]) is float
