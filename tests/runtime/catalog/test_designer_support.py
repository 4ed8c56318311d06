"""Shared by the designer API tests (no tests here): the sample catalog published, the sample customers,
and draft helpers."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from runtime.auth.roles import Role
from runtime.customers.sample import seed_sample_customers
from tests.runtime.catalog.test_tmf620_support import published_samples
from tests.runtime.support import Api

DRAFTS = "/api/v1/drafts"


@pytest.fixture
async def designer(api: Api) -> Api:
    """The API on 1 August 2026: 2026.1 and 2026.2 published (2026.2 in effect), sample customers seeded."""
    async with api.database.unit_of_work() as session:
        await seed_sample_customers(session)
    return await published_samples(api)


def pm(api: Api) -> dict[str, str]:
    return api.auth(Role.product_manager)


def envelope(kind: str, entity_id: str, spec: dict[str, Any], version: str = "1") -> dict[str, Any]:
    return {
        "apiVersion": "switchboard.io/v1",
        "kind": kind,
        "metadata": {"id": entity_id, "version": version},
        "spec": spec,
    }


async def published(api: Api, release_id: str, kind: str, entity_id: str, version: str) -> dict[str, Any]:
    """A stored document of a release, read through the API, numbers exact."""
    response = await api.client.get(f"/api/v1/releases/{release_id}/documents", headers=pm(api))
    documents = [json.loads(d["text"], parse_float=Decimal) for d in response.json()["documents"]]
    return next(
        d
        for d in documents
        if (d["kind"], d["metadata"]["id"], d["metadata"]["version"]) == (kind, entity_id, version)
    )


async def put_draft(api: Api, document: dict[str, Any]) -> None:
    url = f"{DRAFTS}/{document['kind']}/{document['metadata']['id']}"
    text = json.dumps(document, default=str)
    response = await api.client.put(url, content=text, headers=pm(api) | {"Content-Type": "application/json"})
    assert response.status_code == 201, response.text
