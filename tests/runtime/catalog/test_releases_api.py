"""The releases API: publishing an upload whole or not at all, listing with status, export, roles."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from httpx import Response

from engine.spec.loader import load_release, read_folder
from runtime.auth.roles import Role
from runtime.tmf.contract import assert_conforms
from tests.runtime.support import Api

CATALOG = Path(__file__).resolve().parents[3] / "catalog_specs"
RELEASES = "/api/v1/releases"


def upload(name: str, **extra: Any) -> dict[str, Any]:
    sources, _ = read_folder(CATALOG / name)
    return {
        "documents": [{"file": s.file.split(f"/{name}/", 1)[1], "text": s.text} for s in sources],
        **extra,
    }


def set_clock(api: Api, moment: datetime) -> None:
    api.client.app.state.services.catalog.clock = lambda: moment


def tmf_error(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert_conforms("TMF620", "Error", body)
    return body


async def test_published_releases_are_listed_with_hashes_dates_and_status(api: Api) -> None:
    set_clock(api, datetime(2026, 3, 1, tzinfo=UTC))
    pm = api.auth(Role.product_manager)
    for name in ("2026.1", "2026.2"):
        response = await api.client.post(RELEASES, json=upload(name), headers=pm)
        assert response.status_code == 201, response.text
    listed = await api.client.get(RELEASES, headers=api.auth(Role.channel))
    assert listed.status_code == 200 and listed.headers["x-total-count"] == "2"
    by_id = {item["id"]: item for item in listed.json()}
    for name in ("2026.1", "2026.2"):
        loaded = load_release(CATALOG / name).release
        assert loaded is not None
        assert by_id[name]["contentHash"] == loaded.contentHash
        assert datetime.fromisoformat(by_id[name]["effectiveDate"]) == loaded.effectiveDate
    assert (by_id["2026.1"]["status"], by_id["2026.2"]["status"]) == ("inEffect", "scheduled")
    scheduled = await api.client.get(RELEASES, params={"status": "scheduled"}, headers=pm)
    assert [item["id"] for item in scheduled.json()] == ["2026.2"]


async def test_a_release_shows_its_entity_versions_and_its_documents_round_trip(api: Api) -> None:
    pm = api.auth(Role.product_manager)
    published = (await api.client.post(RELEASES, json=upload("2026.1"), headers=pm)).json()
    release = (await api.client.get(f"{RELEASES}/2026.1", headers=api.auth(Role.channel))).json()
    assert release["contentHash"] == published["contentHash"]
    assert {"kind": "ProductOffering", "id": "fibre-500", "version": "1"}.items() <= next(
        e for e in release["entities"] if e["id"] == "fibre-500"
    ).items()
    assert len(release["entities"]) == release["entityCount"]
    exported = await api.client.get(f"{RELEASES}/2026.1/documents", headers=pm)
    again = await api.client.post(RELEASES, json={"documents": exported.json()["documents"]}, headers=pm)
    assert tmf_error(again, 409)["code"] == "RELEASE_ALREADY_PUBLISHED"


async def test_an_upload_with_errors_is_refused_whole_with_located_errors(api: Api) -> None:
    pm = api.auth(Role.product_manager)
    body = upload("2026.1")
    for document in body["documents"]:
        if document["file"] == "offerings/add-ons/digital-newsstand.yaml":
            document["text"] = document["text"].replace("orderFlow: digital-content", "orderFlow: nowhere")
    refused = tmf_error(await api.client.post(RELEASES, json=body, headers=pm), 422)
    assert refused["code"] == "RELEASE_INVALID"
    assert "offerings/add-ons/digital-newsstand.yaml:17:3: $.spec.orderFlow:" in refused["message"]
    assert "[UNRESOLVED_REFERENCE]" in refused["message"]
    listed = await api.client.get(RELEASES, headers=pm)
    assert listed.json() == []


async def test_an_effective_date_given_with_the_upload_is_the_releases(api: Api) -> None:
    body = upload("2026.2", effectiveDate="2026-08-15T00:00:00Z")
    published = await api.client.post(RELEASES, json=body, headers=api.auth(Role.admin))
    assert published.status_code == 201, published.text
    assert datetime.fromisoformat(published.json()["effectiveDate"]) == datetime(2026, 8, 15, tzinfo=UTC)
    naive = await api.client.post(
        RELEASES, json=upload("2026.1", effectiveDate="2026-01-01T00:00:00"), headers=api.auth(Role.admin)
    )
    assert tmf_error(naive, 422)["code"] == "INVALID_DATE"


async def test_only_product_managers_publish_and_channels_read(api: Api) -> None:
    refused = await api.client.post(RELEASES, json=upload("2026.1"), headers=api.auth(Role.channel))
    assert tmf_error(refused, 403)["code"] == "FORBIDDEN"
    assert tmf_error(await api.client.get(RELEASES, headers=api.auth(Role.oss)), 403)["code"] == "FORBIDDEN"
    assert (await api.client.get(RELEASES, headers=api.auth(Role.channel))).status_code == 200
    missing = await api.client.get(f"{RELEASES}/1999.1", headers=api.auth(Role.channel))
    assert tmf_error(missing, 404)["code"] == "NOT_FOUND"


async def test_a_malformed_upload_is_a_400(api: Api) -> None:
    response = await api.client.post(
        RELEASES, json={"documents": "none"}, headers=api.auth(Role.product_manager)
    )
    assert tmf_error(response, 400)["code"] == "INVALID_REQUEST"
