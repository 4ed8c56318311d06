"""TMF620 reads over the published sample catalog: every response conforms, filters, paging, releases."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from engine.spec.common import Kind
from engine.spec.product import ProductOffering
from runtime.auth.roles import Role
from runtime.tmf.contract import assert_conforms
from tests.runtime.catalog.test_tmf620_support import (
    BASE,
    assert_tmf_error,
    published_samples,
    sample_release,
)
from tests.runtime.support import Api

RESOURCES = {
    "category": ("Category", Kind.Category),
    "productSpecification": ("ProductSpecification", Kind.ProductSpecification),
    "productOffering": ("ProductOffering", Kind.ProductOffering),
    "productOfferingPrice": ("ProductOfferingPrice", Kind.ProductOfferingPrice),
}


@pytest.fixture
async def catalog(api: Api) -> Api:
    return await published_samples(api)


async def read(api: Api, path: str, role: Role = Role.channel, **params: str) -> Any:
    response = await api.client.get(f"{BASE}/{path}", params=params, headers=api.auth(role))
    assert response.status_code == 200, response.text
    return response.json(), response.headers


@pytest.mark.parametrize("release_id", ["2026.1", "2026.2"])
async def test_every_listed_and_retrieved_resource_conforms_to_tmf620(catalog: Api, release_id: str) -> None:
    release = sample_release(release_id)
    for path, (definition, kind) in RESOURCES.items():
        items, headers = await read(catalog, path, releaseId=release_id, limit="1000")
        assert len(items) == int(headers["x-total-count"]) == int(headers["x-result-count"])
        assert len(items) == sum(len(release.versions(kind, i)) for i in release.ids(kind))
        for item in items:
            assert_conforms("TMF620", definition, item)
        for entity_id in release.ids(kind):
            one, _ = await read(catalog, f"{path}/{entity_id}", releaseId=release_id)
            assert_conforms("TMF620", definition, one)
            assert (one["id"], one["href"]) == (entity_id, f"{BASE}/{path}/{entity_id}")


async def test_each_published_release_is_a_conforming_catalog(catalog: Api) -> None:
    items, headers = await read(catalog, "catalog")
    assert [c["id"] for c in items] == ["2026.1", "2026.2"]
    assert headers["x-total-count"] == "2"
    for item in items:
        assert_conforms("TMF620", "Catalog", item)
        one, _ = await read(catalog, f"catalog/{item['id']}")
        assert one == item
    first, second = items
    assert first["validFor"] == {
        "startDateTime": "2026-01-01T00:00:00Z",
        "endDateTime": "2026-07-01T00:00:00Z",
    }
    assert second["validFor"] == {"startDateTime": "2026-07-01T00:00:00Z"}
    assert {"broadband", "fixed"} & {c["id"] for c in first["category"]} == {"fixed"}


async def test_reads_default_to_the_release_in_effect_and_release_id_selects_another(catalog: Api) -> None:
    now, _ = await read(catalog, "productOfferingPrice/fibre-500-monthly")
    before, _ = await read(catalog, "productOfferingPrice/fibre-500-monthly", releaseId="2026.1")
    assert (now["version"], now["price"]["value"]) == ("2", 42.99)
    assert (before["version"], before["price"]["value"]) == ("1", 39.99)
    offering, _ = await read(catalog, "productOffering/fibre-500", releaseId="2026.1")
    assert offering["productOfferingPrice"][0] == {
        "id": "fibre-500-monthly",
        "href": f"{BASE}/productOfferingPrice/fibre-500-monthly",
        "name": "Fibre 500 monthly",
        "version": "1",
        "@referredType": "ProductOfferingPrice",
    }


async def test_money_keeps_its_exact_decimal_digits(catalog: Api) -> None:
    response = await catalog.client.get(
        f"{BASE}/productOfferingPrice/iot-pool-data", headers=catalog.auth(Role.channel)
    )
    tiers = response.json(parse_float=Decimal)["tiers"]
    assert [t["price"]["value"] for t in tiers] == [Decimal("0.0100"), Decimal("0.0060"), Decimal("0.0040")]


async def test_a_get_shows_the_version_in_effect_and_version_selects_another(catalog: Api) -> None:
    current, _ = await read(catalog, "productOfferingPrice/roaming-eu-plus-day-price")
    later, _ = await read(catalog, "productOfferingPrice/roaming-eu-plus-day-price", version="3")
    assert (current["version"], current["price"]["value"]) == ("2", 3.5)
    assert (later["version"], later["price"]["value"]) == ("3", 3.99)
    listed, _ = await read(catalog, "productOfferingPrice", id="roaming-eu-plus-day-price")
    assert [p["version"] for p in listed] == ["2", "3"]


# Filters on the projected resource, and which offerings of the sample catalog they must find.
FILTERS: list[tuple[dict[str, str], Callable[[ProductOffering], bool]]] = [
    ({"isBundle": "true"}, lambda o: o.isBundle),
    ({"channel.id": "web"}, lambda o: "web" in o.channel),
    ({"category.id": "broadband"}, lambda o: "broadband" in o.category),
    (
        {"marketSegment.id": "business", "lifecycleStatus": "launched"},
        lambda o: "business" in o.marketSegment and o.lifecycleStatus == "launched",
    ),
    ({"productSpecification.id": "fibre-access"}, lambda o: o.productSpecification == "fibre-access"),
]


async def test_lists_filter_on_attributes_of_the_tmf_resource(catalog: Api) -> None:
    offerings = list(sample_release("2026.2").all(ProductOffering))
    for params, expected in FILTERS:
        items, headers = await read(catalog, "productOffering", **params)
        wanted = {o.id for o in offerings if expected(o)}
        assert wanted, params
        assert {o["id"] for o in items} == wanted, params
        assert headers["x-total-count"] == str(len(items)), params


async def test_fields_selects_attributes_and_offset_and_limit_page(catalog: Api) -> None:
    everything, _ = await read(catalog, "productOfferingPrice", limit="1000")
    page, headers = await read(
        catalog, "productOfferingPrice", offset="2", limit="3", fields="name,priceType"
    )
    assert headers["x-total-count"] == str(len(everything))
    assert headers["x-result-count"] == "3"
    assert page == [{k: p[k] for k in ("id", "href", "@type", "name", "priceType")} for p in everything[2:5]]
    one, _ = await read(catalog, "productOffering/fibre-500", fields="exclusivityGroup")
    assert one == {
        "id": "fibre-500",
        "href": f"{BASE}/productOffering/fibre-500",
        "@type": "SwitchboardProductOffering",
        "exclusivityGroup": "broadband-access",
    }


BAD_READS = [
    ("productOffering", {"colour": "red"}, 400),
    ("productOffering", {"fields": "name,colour"}, 400),
    ("productOffering", {"limit": "0"}, 400),
    ("productOffering", {"offset": "-1"}, 400),
    ("productOffering", {"limit": "many"}, 400),
    ("productOffering", {"releaseId": "1999.1"}, 404),
    ("productOffering/no-such-offering", {}, 404),
    ("productOffering/fibre-500", {"version": "9"}, 404),
    ("category/no-such-category", {"releaseId": "2026.1"}, 404),
    ("catalog/1999.1", {}, 404),
]


async def test_bad_queries_and_unknown_ids_answer_tmf_errors(catalog: Api) -> None:
    for path, params, status in BAD_READS:
        response = await catalog.client.get(
            f"{BASE}/{path}", params=params, headers=catalog.auth(Role.channel)
        )
        assert_tmf_error(response, status)


async def test_the_oss_role_cannot_read_the_catalog(catalog: Api) -> None:
    for path in ("catalog", "category", "productOffering/fibre-500", "productOfferingPrice"):
        response = await catalog.client.get(f"{BASE}/{path}", headers=catalog.auth(Role.oss))
        assert_tmf_error(response, 403)


async def test_a_channel_cannot_read_drafts_but_a_product_manager_can(catalog: Api) -> None:
    refused = await catalog.client.get(
        f"{BASE}/productOffering", params={"releaseId": "drafts"}, headers=catalog.auth(Role.channel)
    )
    assert_tmf_error(refused, 403)
    drafts, headers = await read(catalog, "productOffering", Role.product_manager, releaseId="drafts")
    assert (drafts, headers["x-total-count"]) == ([], "0")


async def test_without_a_release_in_effect_reads_answer_404(api: Api) -> None:
    response = await api.client.get(f"{BASE}/productOffering", headers=api.auth(Role.channel))
    assert_tmf_error(response, 404)
    catalogs, headers = await read(api, "catalog")
    assert (catalogs, headers["x-total-count"]) == ([], "0")
