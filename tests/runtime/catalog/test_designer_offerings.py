"""GET /api/v1/designer/offerings: published offerings of the release in effect (or another) and the
drafted ones, filtered, with the releases in effect and scheduled."""

from __future__ import annotations

from typing import Any

from engine.spec.common import Kind
from engine.spec.product import ProductOffering
from runtime.auth.roles import Role
from tests.runtime.catalog.test_designer_support import designer, envelope, pm, put_draft
from tests.runtime.catalog.test_tmf620_support import AUGUST_2026, assert_tmf_error, sample_release
from tests.runtime.support import Api

__all__ = ["designer"]
OFFERINGS = "/api/v1/designer/offerings"


async def _browse(api: Api, **params: str) -> dict[str, Any]:
    response = await api.client.get(OFFERINGS, params=params, headers=pm(api))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _sample_ids(release_id: str, **wanted: str) -> set[str]:
    release = sample_release(release_id)
    found = set()
    for offering_id in release.ids(Kind.ProductOffering):
        offering = release.find(ProductOffering, offering_id, AUGUST_2026) or release.find(
            ProductOffering, offering_id
        )
        assert offering is not None
        if all(value in getattr(offering, field) for field, value in wanted.items()):
            found.add(offering_id)
    return found


AUDIO = envelope(
    "ProductOffering",
    "audio-newsstand",
    {
        "name": "Audio Newsstand",
        "lifecycleStatus": "inDesign",
        "channel": ["web"],
        "marketSegment": ["residential"],
    },
)


async def test_the_release_in_effect_and_the_drafts_are_listed_with_every_release(designer: Api) -> None:
    await put_draft(designer, AUDIO)

    body = await _browse(designer)

    assert body["release"] == "2026.2"
    published = {o["id"]: o for o in body["offerings"] if o["source"] == "published"}
    assert set(published) == _sample_ids("2026.2")
    fibre = published["fibre-500"]
    assert (fibre["version"], fibre["name"], fibre["release"], fibre["isBundle"]) == (
        "2",
        "Fibre 500",
        "2026.2",
        False,
    )
    assert fibre["segments"] == ["residential"] and "retail" in fibre["channels"]
    assert published["converged-home"]["isBundle"] is True
    [draft] = [o for o in body["offerings"] if o["source"] == "draft"]
    assert (draft["id"], draft["version"], draft["lifecycleStatus"], draft["release"]) == (
        "audio-newsstand",
        "1",
        "inDesign",
        None,
    )
    releases = {r["id"]: r for r in body["releases"]}
    assert releases["2026.2"]["inEffect"] is True and releases["2026.2"]["scheduled"] is False
    assert releases["2026.1"]["inEffect"] is False and releases["2026.1"]["status"] == "superseded"


async def test_filters_narrow_the_list(designer: Api) -> None:
    await put_draft(designer, AUDIO)

    business = await _browse(designer, segment="business")
    web = await _browse(designer, channel="web", category="broadband")
    searched = await _browse(designer, q="AUDIO NEWS")
    older = await _browse(designer, release="2026.1", lifecycleStatus="launched")

    assert {o["id"] for o in business["offerings"]} == _sample_ids("2026.2", marketSegment="business")
    assert {o["id"] for o in web["offerings"]} == _sample_ids("2026.2", channel="web", category="broadband")
    assert [(o["id"], o["source"]) for o in searched["offerings"]] == [("audio-newsstand", "draft")]
    assert older["release"] == "2026.1" and older["offerings"]
    assert all(o["lifecycleStatus"] == "launched" for o in older["offerings"])
    assert {o["release"] for o in older["offerings"]} == {"2026.1"}


async def test_an_unknown_filter_is_a_400_and_an_unknown_release_a_404(designer: Api) -> None:
    body = assert_tmf_error(
        await designer.client.get(OFFERINGS, params={"colour": "red"}, headers=pm(designer)), 400
    )
    assert "colour" in body["message"]
    assert_tmf_error(
        await designer.client.get(OFFERINGS, params={"release": "1999.1"}, headers=pm(designer)), 404
    )


async def test_an_empty_store_lists_only_the_drafts(api: Api) -> None:
    await put_draft(api, AUDIO)

    body = await _browse(api)

    assert body["release"] is None and body["releases"] == []
    assert [o["id"] for o in body["offerings"]] == ["audio-newsstand"]


async def test_browsing_is_for_product_managers(api: Api) -> None:
    assert_tmf_error(await api.client.get(OFFERINGS, headers=api.auth(Role.channel)), 403)
    assert_tmf_error(await api.client.get(OFFERINGS, headers=api.auth(Role.oss)), 403)
    assert_tmf_error(await api.client.get(OFFERINGS), 401)
