"""`/api/v1/quote`: a cart qualified and priced together, stored and read back; bad requests refused."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import Response

from runtime.auth.roles import Role
from tests.runtime.qualification.support import (
    EXAMPLE_DATE,
    EXAMPLE_FACTS,
    QUOTE,
    assert_tmf_error,
    converged_cart,
    ready,
)
from tests.runtime.support import Api


def example(**changes: Any) -> dict[str, Any]:
    body = {**EXAMPLE_FACTS, "context": {"channel": "retail", "date": EXAMPLE_DATE}, "cart": converged_cart()}
    return {**body, **changes}


async def post_quote(api: Api, body: dict[str, Any], role: Role = Role.channel, **params: str) -> Response:
    return await api.client.post(QUOTE, json=body, headers=api.auth(role), params=params)


async def quoted(api: Api, body: dict[str, Any], **params: str) -> dict[str, Any]:
    response = await post_quote(api, body, **params)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    assert response.headers["location"] == result["href"]
    return result


async def test_the_converged_bundle_example_is_qualified_and_priced_as_the_catalog_says(api: Api) -> None:
    await ready(api)
    result = await quoted(api, example())
    assert result["qualification"]["qualificationResult"] == "qualified"
    quote = result["quote"]
    assert quote["release"]["id"] == "2026.2" and quote["date"] == EXAMPLE_DATE
    assert quote["channel"] == "retail" and quote["currency"] == "EUR"
    monthly = quote["totals"]["recurring"]["month"]
    assert monthly["dutyFreeAmount"] == {"unit": "EUR", "value": "73.68"}
    assert monthly["taxIncludedAmount"] == {"unit": "EUR", "value": "89.15"}
    assert quote["totals"]["oneTime"]["dutyFreeAmount"]["value"] == "49.00"
    assert quote["totals"]["oneTime"]["taxIncludedAmount"]["value"] == "59.29"
    assert quote["trace"], "the price explanation"
    assert all(item["trace"] for item in result["qualification"]["items"])


async def test_a_quote_reads_back_the_same(api: Api) -> None:
    await ready(api)
    result = await quoted(api, example())
    response = await api.client.get(result["href"], headers=api.auth(Role.admin))
    assert response.status_code == 200 and response.json() == result


async def test_a_stored_customer_is_quoted_on_its_own_facts_and_holdings(api: Api) -> None:
    await ready(api)
    cart = [{"id": "1", "productOffering": "mobile-5g-m", "usage": {"GB": "3.5"}}]
    result = await quoted(api, {"customerId": "CUST-1001", "context": {"channel": "web"}, "cart": cart})
    assert result["customerId"] == "CUST-1001"
    assert result["quote"]["date"] == "2026-08-01"  # today, by the fixed clock
    assert result["qualification"]["qualificationResult"] == "qualified"
    [item] = result["quote"]["items"]
    assert item["rateCards"] and item["charged"] is True


async def test_an_unqualified_cart_is_still_priced_next_to_its_reasons(api: Api) -> None:
    await ready(api)
    cart = [{"id": "1", "productOffering": "fibre-1000"}]
    result = await quoted(api, {"customerId": "CUST-1002", "context": {"channel": "web"}, "cart": cart})
    [item] = result["qualification"]["items"]
    assert item["qualificationItemResult"] == "alternate" and item["alternates"] == ["home-5g-internet"]
    assert result["quote"]["items"][0]["quoteLines"]


@pytest.mark.parametrize("role", [Role.product_manager, Role.oss])
async def test_only_channels_and_admins_quote(api: Api, role: Role) -> None:
    await ready(api)
    assert_tmf_error(await post_quote(api, example(), role), 403)
    stored = await quoted(api, example())
    assert_tmf_error(await api.client.get(stored["href"], headers=api.auth(role)), 403)


async def test_a_missing_fact_is_a_422_naming_its_path(api: Api) -> None:
    await ready(api)
    error = assert_tmf_error(await post_quote(api, example(customer={"segment": "residential"})), 422)
    assert error["code"] == "INVALID_FACT" and "$.customer.creditClass" in error["message"]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"colour": "blue"}, "$.colour"),
        ({"context": {"channel": "retail", "when": "now"}}, "$.context.when"),
        ({"context": {"date": EXAMPLE_DATE}}, "$.context.channel"),
        ({"context": {"channel": "retail", "date": "soon"}}, "$.context.date"),
        ({"cart": []}, "$.cart"),
        ({"cart": [{"id": "1", "productOffering": "fibre-1000", "quantity": "2"}]}, "$.cart[0].quantity"),
        ({"customerId": 1001}, "$.customerId"),
    ],
)
async def test_a_malformed_field_is_a_422_naming_its_path(
    api: Api, changes: dict[str, Any], path: str
) -> None:
    await ready(api)
    error = assert_tmf_error(await post_quote(api, example(**changes)), 422)
    assert error["message"].endswith(f"(at {path})")


@pytest.mark.parametrize(
    ("line", "path"),
    [({"quantity": 10**30}, "$.cart[0].quantity"), ({"usage": {"GB": "1e999999"}}, "$.cart[0].usage.GB")],
    ids=["quantity", "usage"],
)
async def test_a_number_too_large_to_price_is_a_422_naming_its_path(
    api: Api, line: dict[str, Any], path: str
) -> None:
    await ready(api)
    body = example(cart=[{"id": "1", "productOffering": "mobile-5g-m", **line}])
    error = assert_tmf_error(await post_quote(api, body), 422)
    assert error["code"] == "INVALID_FACT"
    assert error["message"].endswith(f"(at {path})")


async def test_a_customer_and_inline_facts_together_are_refused(api: Api) -> None:
    await ready(api)
    error = assert_tmf_error(await post_quote(api, example(customerId="CUST-1001")), 422)
    assert error["code"] == "FACTS_CONFLICT"


async def test_an_offering_the_release_lacks_is_a_404(api: Api) -> None:
    await ready(api)
    body = example(cart=[{"id": "1", "productOffering": "fibre-9000"}])
    assert_tmf_error(await post_quote(api, body), 404)


async def test_malformed_and_oversized_bodies_are_refused(api: Api) -> None:
    await ready(api)
    headers = {**api.auth(Role.channel), "Content-Type": "application/json"}
    assert_tmf_error(await api.client.post(QUOTE, content=b'{"cart": [', headers=headers), 400)
    assert_tmf_error(await api.client.post(QUOTE, content=b'"a string"', headers=headers), 400)
    assert_tmf_error(await post_quote(api, example(context={"channel": "retail\u0000"})), 400)
    assert_tmf_error(await post_quote(api, example(padding="x" * 1_100_000)), 413)
    assert_tmf_error(await api.client.get(f"{QUOTE}/nope", headers=api.auth(Role.channel)), 404)
