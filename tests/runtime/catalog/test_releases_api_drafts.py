"""The drafts API: incomplete drafts save, validation reports them, publishing refuses them until fixed;
ETag / If-Match; lifecycle through the transition table; roles; the audit trail."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from httpx import Response
from sqlalchemy import select

from engine.spec.loader import SourceDocument, load_documents, read_folder
from runtime.audit.models import AuditRecord
from runtime.auth.roles import Role
from runtime.tmf.contract import assert_conforms
from tests.runtime.support import Api

CATALOG = Path(__file__).resolve().parents[3] / "catalog_specs"
DRAFTS = "/api/v1/drafts"
OFFERING = f"{DRAFTS}/ProductOffering/audio-newsstand"
PRICE = f"{DRAFTS}/ProductOfferingPrice/audio-newsstand-monthly"


def envelope(kind: str, entity_id: str, spec: dict[str, Any], version: str | None = "1") -> dict[str, Any]:
    metadata = {"id": entity_id} | ({"version": version} if version else {})
    return {"apiVersion": "switchboard.io/v1", "kind": kind, "metadata": metadata, "spec": spec}


AUDIO_NEWSSTAND = envelope(
    "ProductOffering",
    "audio-newsstand",
    {
        "name": "Audio Newsstand",
        "lifecycleStatus": "launched",
        "validFor": {"startDateTime": "2026-01-01T00:00:00Z"},
        "productSpecification": "digital-newsstand",
        "channel": ["web", "app"],
        "marketSegment": ["residential"],
        "category": ["add-ons"],
        "productOfferingPrice": ["audio-newsstand-monthly"],  # not drafted yet
        "orderFlow": "digital-content",
        "examples": [
            {
                "name": "a customer in the Netherlands",
                "request": {
                    "customer": {"segment": "residential", "creditClass": "A", "ageYears": 34},
                    "account": {"status": "active", "outstandingBalance": "0.00", "tenureMonths": 18},
                    "address": {"country": "NL", "region": "NL-NH", "fibreAvailable": True},
                    "context": {"channel": "app", "date": "2026-07-15"},
                    "cart": [{"productOffering": "audio-newsstand"}],
                },
                "expect": {"qualification": "qualified", "recurringTotal": {"month": "4.99"}},
            }
        ],
    },
)
AUDIO_PRICE = envelope(
    "ProductOfferingPrice",
    "audio-newsstand-monthly",
    {
        "name": "Audio Newsstand monthly",
        "priceType": "recurring",
        "recurringChargePeriodType": "month",
        "recurringChargePeriodLength": 1,
        "price": {"unit": "EUR", "value": "4.99"},
        "taxCategory": "reduced",
    },
)


@pytest.fixture
async def catalog(api: Api) -> Api:
    """The API at 1 March 2026 with release 2026.1 published."""
    api.client.app.state.services.catalog.clock = lambda: datetime(2026, 3, 1, tzinfo=UTC)
    sources, _ = read_folder(CATALOG / "2026.1")
    documents = [{"file": s.file, "text": s.text} for s in sources]
    published = await api.client.post("/api/v1/releases", json={"documents": documents}, headers=pm(api))
    assert published.status_code == 201, published.text
    return api


def pm(api: Api) -> dict[str, str]:
    return api.auth(Role.product_manager)


def with_etag(api: Api, etag: str) -> dict[str, str]:
    return pm(api) | {"If-Match": etag}


def tmf_error(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert_conforms("TMF620", "Error", body)
    return body


async def published_document(api: Api, kind: str, entity_id: str) -> dict[str, Any]:
    exported = (await api.client.get("/api/v1/releases/2026.1/documents", headers=pm(api))).json()
    documents = [json.loads(d["text"]) for d in exported["documents"]]
    return next(d for d in documents if d["kind"] == kind and d["metadata"]["id"] == entity_id)


async def audit_actions(api: Api) -> list[tuple[str, str, str]]:
    async with api.database.sessions() as session:
        rows = (await session.execute(select(AuditRecord).order_by(AuditRecord.id))).scalars().all()
    return [(row.action, row.entity_id, row.actor_role) for row in rows if row.action.startswith("draft.")]


async def test_an_incomplete_draft_saves_is_reported_and_publishes_once_fixed(catalog: Api) -> None:
    created = await catalog.client.put(OFFERING, json=AUDIO_NEWSSTAND, headers=pm(catalog))
    assert created.status_code == 201, created.text
    assert created.headers["etag"] == created.json()["etag"] and created.json()["basedOnVersion"] is None

    report = (await catalog.client.post(f"{DRAFTS}/validate", headers=pm(catalog))).json()
    assert report["valid"] is False
    [dangling] = [e for e in report["errors"] if e["code"] == "UNRESOLVED_REFERENCE"]
    assert dangling["file"] == "draft:ProductOffering/audio-newsstand"
    assert dangling["path"] == "$.spec.productOfferingPrice[0]" and dangling["layer"] == "semantic"

    publish = {"releaseId": "2026.1a", "name": "Spring update", "effectiveDate": "2026-04-01T00:00:00Z"}
    refused = tmf_error(
        await catalog.client.post(f"{DRAFTS}/publish", json=publish, headers=pm(catalog)), 422
    )
    assert (
        refused["code"] == "RELEASE_INVALID"
        and "draft:ProductOffering/audio-newsstand:" in refused["message"]
    )

    assert (await catalog.client.put(PRICE, json=AUDIO_PRICE, headers=pm(catalog))).status_code == 201
    assert (await catalog.client.post(f"{DRAFTS}/validate", headers=pm(catalog))).json() == {
        "valid": True,
        "errors": [],
    }
    release = await catalog.client.post(f"{DRAFTS}/publish", json=publish, headers=pm(catalog))
    assert release.status_code == 201, release.text
    assert release.json()["status"] == "scheduled"

    stored = (await catalog.client.get("/api/v1/releases/2026.1a", headers=pm(catalog))).json()
    versions = {(e["kind"], e["id"]): e["version"] for e in stored["entities"]}
    assert versions[("ProductOffering", "audio-newsstand")] == "1"
    assert versions[("ProductOfferingPrice", "audio-newsstand-monthly")] == "1"
    assert versions[("ProductOffering", "fibre-500")] == "1"  # the rest of 2026.1 carries over
    exported = (await catalog.client.get("/api/v1/releases/2026.1a/documents", headers=pm(catalog))).json()
    documents = [SourceDocument(d["file"], d["text"]) for d in exported["documents"]]
    reloaded = load_documents(documents).release
    assert reloaded is not None and reloaded.contentHash == stored["contentHash"]
    assert (
        reloaded.effectiveDate == datetime(2026, 4, 1, tzinfo=UTC)
        and reloaded.manifest.name == "Spring update"
    )
    assert (await catalog.client.get(DRAFTS, headers=pm(catalog))).json() == []
    assert await audit_actions(catalog) == [
        ("draft.create", "audio-newsstand", "product_manager"),
        ("draft.create", "audio-newsstand-monthly", "product_manager"),
        ("draft.publish", "audio-newsstand", "product_manager"),
        ("draft.publish", "audio-newsstand-monthly", "product_manager"),
    ]


async def test_editing_a_published_entity_drafts_a_new_version_of_it(catalog: Api) -> None:
    document = await published_document(catalog, "ProductOffering", "digital-newsstand")
    document["spec"]["description"] = "Now with 700 titles"
    url = f"{DRAFTS}/ProductOffering/digital-newsstand"
    kept_version = await catalog.client.put(url, json=document, headers=pm(catalog))
    assert kept_version.json()["basedOnVersion"] == "1"
    report = (await catalog.client.post(f"{DRAFTS}/validate", headers=pm(catalog))).json()
    assert [(e["file"], e["code"]) for e in report["errors"]] == [
        ("draft:ProductOffering/digital-newsstand", "CHANGED_WITHOUT_NEW_VERSION")
    ]
    del document["metadata"]["version"]  # a new version is proposed: the next integer
    await catalog.client.delete(url, headers=with_etag(catalog, kept_version.headers["etag"]))
    proposed = await catalog.client.put(url, json=document, headers=pm(catalog))
    assert proposed.json()["document"]["metadata"]["version"] == "2"
    assert (await catalog.client.post(f"{DRAFTS}/validate", headers=pm(catalog))).json()["valid"] is True


async def test_writes_need_the_current_etag(catalog: Api) -> None:
    first = await catalog.client.put(PRICE, json=AUDIO_PRICE, headers=pm(catalog))
    old = first.headers["etag"]
    assert tmf_error(await catalog.client.put(PRICE, json=AUDIO_PRICE, headers=pm(catalog)), 428)["code"] == (
        "PRECONDITION_REQUIRED"
    )
    replaced = await catalog.client.put(PRICE, json=AUDIO_PRICE, headers=with_etag(catalog, old))
    assert replaced.status_code == 200 and replaced.headers["etag"] != old  # same content, new revision
    current = replaced.headers["etag"]
    stale = await catalog.client.put(PRICE, json=AUDIO_PRICE, headers=with_etag(catalog, old))
    assert tmf_error(stale, 412)["code"] == "PRECONDITION_FAILED"
    assert tmf_error(await catalog.client.delete(PRICE, headers=pm(catalog)), 428)
    assert tmf_error(await catalog.client.delete(PRICE, headers=with_etag(catalog, old)), 412)
    assert (await catalog.client.get(PRICE, headers=pm(catalog))).headers["etag"] == current
    assert (await catalog.client.delete(PRICE, headers=with_etag(catalog, current))).status_code == 204
    assert tmf_error(await catalog.client.get(PRICE, headers=pm(catalog)), 404)
    gone = await catalog.client.put(PRICE, json=AUDIO_PRICE, headers=with_etag(catalog, current))
    assert tmf_error(gone, 412)["code"] == "PRECONDITION_FAILED"
    assert await audit_actions(catalog) == [
        ("draft.create", "audio-newsstand-monthly", "product_manager"),
        ("draft.update", "audio-newsstand-monthly", "product_manager"),
        ("draft.delete", "audio-newsstand-monthly", "product_manager"),
    ]


async def test_a_draft_needs_only_a_kind_and_an_id(catalog: Api) -> None:
    sketch = await catalog.client.put(f"{DRAFTS}/Category/podcasts", json={"spec": {}}, headers=pm(catalog))
    assert sketch.status_code == 201, sketch.text
    assert sketch.json()["document"] == {
        "kind": "Category",
        "metadata": {"id": "podcasts", "version": "1"},
        "spec": {},
    }
    for body in (b"[1, 2]", b"{not json", json.dumps(envelope("Category", "other", {})).encode()):
        refused = await catalog.client.put(f"{DRAFTS}/Category/radio", content=body, headers=pm(catalog))
        assert tmf_error(refused, 422)["code"] == "INVALID_DRAFT"
    shouting = await catalog.client.put(f"{DRAFTS}/Category/RADIO", json={}, headers=pm(catalog))
    assert "lower-case letters" in tmf_error(shouting, 422)["message"]
    manifest = await catalog.client.put(f"{DRAFTS}/CatalogRelease/x", json={}, headers=pm(catalog))
    assert tmf_error(manifest, 404)


async def test_lifecycle_changes_go_through_the_transition_table(catalog: Api) -> None:
    idea = envelope("ProductOffering", "lab", {"name": "Lab", "lifecycleStatus": "inStudy"})
    created = await catalog.client.put(f"{DRAFTS}/ProductOffering/lab", json=idea, headers=pm(catalog))
    lifecycle = f"{DRAFTS}/ProductOffering/lab/lifecycle"
    moved = await catalog.client.post(lifecycle, json={"lifecycleStatus": "inDesign"}, headers=pm(catalog))
    assert moved.status_code == 200 and moved.json()["lifecycleStatus"] == "inDesign"
    assert moved.headers["etag"] != created.headers["etag"]
    jump = tmf_error(
        await catalog.client.post(lifecycle, json={"lifecycleStatus": "active"}, headers=pm(catalog)), 409
    )
    assert (
        jump["code"] == "INVALID_LIFECYCLE_TRANSITION"
        and "allowed: inTest, inStudy, rejected" in jump["message"]
    )
    launched = envelope("ProductOffering", "lab", {"name": "Lab", "lifecycleStatus": "launched"})
    sneaked = await catalog.client.put(
        f"{DRAFTS}/ProductOffering/lab", json=launched, headers=with_etag(catalog, moved.headers["etag"])
    )
    assert tmf_error(sneaked, 409)["code"] == "INVALID_LIFECYCLE_TRANSITION"
    nonsense = await catalog.client.post(lifecycle, json={"lifecycleStatus": "done"}, headers=pm(catalog))
    assert tmf_error(nonsense, 400)

    retire = f"{DRAFTS}/ProductOffering/mobile-5g-xs/lifecycle"  # published, launched, no draft yet
    retired = await catalog.client.post(retire, json={"lifecycleStatus": "retired"}, headers=pm(catalog))
    assert retired.status_code == 200, retired.text
    assert (retired.json()["version"], retired.json()["basedOnVersion"]) == ("2", "1")
    back = await catalog.client.post(retire, json={"lifecycleStatus": "launched"}, headers=pm(catalog))
    assert "allowed: obsolete" in tmf_error(back, 409)["message"]
    nothing = f"{DRAFTS}/ProductOffering/nowhere/lifecycle"
    assert tmf_error(
        await catalog.client.post(nothing, json={"lifecycleStatus": "active"}, headers=pm(catalog)), 404
    )


async def test_drafts_are_for_product_managers_only(catalog: Api) -> None:
    channel, oss = catalog.auth(Role.channel), catalog.auth(Role.oss)
    assert tmf_error(await catalog.client.put(PRICE, json=AUDIO_PRICE, headers=channel), 403)
    assert tmf_error(await catalog.client.get(DRAFTS, headers=channel), 403)
    assert tmf_error(await catalog.client.get(PRICE, headers=oss), 403)
    publish = {"releaseId": "x", "name": "x", "effectiveDate": "2026-04-01T00:00:00Z"}
    assert tmf_error(await catalog.client.post(f"{DRAFTS}/publish", json=publish, headers=channel), 403)
    assert tmf_error(await catalog.client.post(f"{DRAFTS}/validate", headers=oss), 403)
    assert (await catalog.client.get(DRAFTS, headers=catalog.auth(Role.admin))).status_code == 200
    assert await audit_actions(catalog) == []
