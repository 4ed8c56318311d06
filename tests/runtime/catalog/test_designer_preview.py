"""POST /api/v1/drafts/preview: qualification and price of a cart against the release in effect with every
draft applied, with the engine's traces; invalid drafts are a 422 listing the located errors; nothing is
stored."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from runtime.audit.models import AuditRecord
from runtime.auth.roles import Role
from runtime.qualification.models import QualificationRow
from runtime.quote.models import QuoteRow
from tests.runtime.catalog.test_designer_support import DRAFTS, designer, pm, published, put_draft
from tests.runtime.catalog.test_releases_api_drafts import AUDIO_NEWSSTAND, AUDIO_PRICE
from tests.runtime.catalog.test_tmf620_support import assert_tmf_error
from tests.runtime.support import Api

__all__ = ["designer"]
PREVIEW = f"{DRAFTS}/preview"
PROSPECT = {
    "customer": {"segment": "residential", "creditClass": "A", "ageYears": 34},
    "account": {"status": "active", "outstandingBalance": "0.00", "tenureMonths": 18},
    "address": {"country": "NL", "region": "NL-NH", "fibreAvailable": True, "maxDownloadMbps": 1000},
}


async def _preview(api: Api, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    response = await api.client.post(PREVIEW, json=body, headers=pm(api))
    assert response.status_code == status, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def _stored(api: Api) -> tuple[int, int, int]:
    async with api.database.sessions() as session:
        counts = [
            (await session.execute(select(func.count()).select_from(model))).scalar_one()
            for model in (QuoteRow, QualificationRow, AuditRecord)
        ]
    return counts[0], counts[1], counts[2]


def _monthly(answer: dict[str, Any]) -> Decimal:
    return Decimal(answer["quote"]["totals"]["recurring"]["month"]["dutyFreeAmount"]["value"])


async def test_a_drafted_price_is_what_the_preview_charges(designer: Api) -> None:
    cart = {"facts": PROSPECT, "channel": "web", "cart": [{"productOffering": "fibre-500"}]}
    before = await _preview(designer, cart)
    price = await published(designer, "2026.2", "ProductOfferingPrice", "fibre-500-monthly", "2")
    raised = copy.deepcopy(price)
    raised["metadata"]["version"] = "3"
    raised["spec"]["price"]["value"] = "45.99"
    await put_draft(designer, raised)
    offering = await published(designer, "2026.2", "ProductOffering", "fibre-500", "2")
    expecting = copy.deepcopy(offering)  # its example states the price: publishing checks it
    expecting["metadata"]["version"] = "3"
    expect = expecting["spec"]["examples"][0]["expect"]
    expect["recurringTotal"]["month"], expect["taxIncludedRecurringTotal"]["month"] = "45.99", "55.65"
    await put_draft(designer, expecting)
    stored = await _stored(designer)

    after = await _preview(designer, cart)

    assert _monthly(before) == Decimal("42.99") and _monthly(after) == Decimal("45.99")
    assert after["release"]["basedOn"] == "2026.2"
    assert {(d["kind"], d["id"]) for d in after["drafts"]} == {
        ("ProductOffering", "fibre-500"),
        ("ProductOfferingPrice", "fibre-500-monthly"),
    }
    assert after["qualification"]["qualificationResult"] == "qualified"
    assert after["qualification"]["items"][0]["trace"], "the eligibility trace is returned"
    assert any(step["itemId"] for step in after["quote"]["trace"]), "the price breakdown is returned"
    assert await _stored(designer) == stored, "a preview stores nothing"


async def test_a_new_offering_previews_for_a_stored_customer_with_its_reasons(designer: Api) -> None:
    await put_draft(designer, AUDIO_NEWSSTAND)
    await put_draft(designer, AUDIO_PRICE)

    answer = await _preview(
        designer,
        {
            "customerId": "CUST-1001",
            "channel": "app",
            "cart": [
                {"productOffering": "audio-newsstand"},
                {"productOffering": "fibre-500", "characteristics": {"contractTerm": 24}},
            ],
        },
    )
    refused = await _preview(
        designer,
        {"customerId": "CUST-1001", "channel": "retail", "cart": [{"productOffering": "audio-newsstand"}]},
    )

    assert answer["customerId"] == "CUST-1001"
    items = {item["itemId"]: item for item in answer["qualification"]["items"]}
    assert items["1"]["qualificationItemResult"] == "qualified"
    assert answer["quote"]["items"][0]["totals"]["recurring"]["month"]["dutyFreeAmount"]["value"] == "4.99"
    [reason] = refused["qualification"]["items"][0]["eligibilityUnavailabilityReason"]
    assert reason["source"] == "catalog" and "sold only through web, app" in reason["label"]


async def test_invalid_drafts_are_a_422_with_their_located_errors(designer: Api) -> None:
    await put_draft(designer, AUDIO_NEWSSTAND)  # its price is not drafted yet

    response = await designer.client.post(
        PREVIEW,
        json={"facts": PROSPECT, "channel": "app", "cart": [{"productOffering": "audio-newsstand"}]},
        headers=pm(designer),
    )

    body = assert_tmf_error(response, 422)
    assert body["code"] == "RELEASE_INVALID"
    [dangling] = [e for e in body["errors"] if e["code"] == "UNRESOLVED_REFERENCE"]
    assert dangling["file"] == "draft:ProductOffering/audio-newsstand"
    assert dangling["path"].startswith("$.spec.productOfferingPrice") and dangling["line"] >= 1


async def test_bad_input_is_a_4xx_naming_the_field(designer: Api) -> None:
    cases: list[tuple[Any, int, str, str | None]] = [
        ({"cart": [{"productOffering": "fibre-500"}]}, 422, "INVALID_FACT", "$.channel"),
        ({"channel": "web", "cart": []}, 422, "INVALID_FACT", "$.cart"),
        (
            {"channel": "web", "cart": [{"productOffering": "fibre-500"}], "colour": 1},
            422,
            "INVALID_FACT",
            "$.colour",
        ),
        (
            {"channel": "web", "cart": [{"productOffering": "fibre-500", "size": 1}]},
            422,
            "INVALID_FACT",
            "$.cart[0].size",
        ),
        (
            {
                "channel": "web",
                "cart": [{"productOffering": "fibre-500"}],
                "facts": {"customer": {"ageYears": "old"}},
            },
            422,
            "INVALID_FACT",
            "$.facts.customer.ageYears",
        ),
        (
            {
                "channel": "web",
                "customerId": "CUST-1001",
                "facts": PROSPECT,
                "cart": [{"productOffering": "fibre-500"}],
            },
            422,
            "FACTS_CONFLICT",
            None,
        ),
        (
            {"channel": "web", "customerId": "CUST-9999", "cart": [{"productOffering": "fibre-500"}]},
            404,
            "NOT_FOUND",
            None,
        ),
        (
            {"channel": "web", "facts": PROSPECT, "cart": [{"productOffering": "no-such-offering"}]},
            404,
            "UNKNOWN_ENTITY",
            None,
        ),
        (
            {"channel": "web", "date": "someday", "cart": [{"productOffering": "fibre-500"}]},
            422,
            "INVALID_FACT",
            "$.date",
        ),
    ]
    for body, status, code, path in cases:
        answer = assert_tmf_error(
            await designer.client.post(PREVIEW, json=body, headers=pm(designer)), status
        )
        assert answer["code"] == code, (body, answer)
        assert path is None or f"at {path}" in answer["message"], (body, answer)
    not_an_object = await designer.client.post(
        PREVIEW, content=b"[1]", headers=pm(designer) | {"Content-Type": "application/json"}
    )
    assert_tmf_error(not_an_object, 400)


async def test_preview_is_for_product_managers(designer: Api) -> None:
    body = {"facts": PROSPECT, "channel": "web", "cart": [{"productOffering": "fibre-500"}]}
    assert (
        await designer.client.post(PREVIEW, json=body, headers=designer.auth(Role.admin))
    ).status_code == 200
    assert_tmf_error(await designer.client.post(PREVIEW, json=body, headers=designer.auth(Role.channel)), 403)
    assert_tmf_error(await designer.client.post(PREVIEW, json=body), 401)
