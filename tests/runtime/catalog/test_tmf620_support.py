"""Shared by the TMF620 tests (no tests here): the sample releases, published or not, and TMF reading helpers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from httpx import Response

from engine.spec.loader import load_release, read_folder
from engine.spec.release import CatalogRelease
from runtime.auth.roles import Principal, Role
from runtime.catalog.service import CatalogService
from runtime.catalog.tmf620_common import encode
from runtime.tmf.contract import assert_conforms
from tests.runtime.support import Api

SAMPLE_CATALOG = Path(__file__).resolve().parents[3] / "catalog_specs"


@cache
def sample_release(release_id: str) -> CatalogRelease:
    loaded = load_release(SAMPLE_CATALOG / release_id)
    assert loaded.release is not None, str(loaded.report)
    return loaded.release


def as_json(body: Any) -> Any:
    """What a client reads: the body through the API's encoder, numbers read exactly."""
    return json.loads(encode(body), parse_float=Decimal)


BASE = "/tmf-api/productCatalogManagement/v4"
# The moment the API tests run at: 2026.2 is in effect, before the EU+ day pass rises on 1 September.
AUGUST_2026 = datetime(2026, 8, 1, tzinfo=UTC)


async def published_samples(api: Api) -> Api:
    """The API with both sample releases published and its clock on `AUGUST_2026`."""
    store = CatalogService()
    actor = Principal("fixture", "fixture", Role.admin)
    try:
        for release_id in ("2026.1", "2026.2"):
            documents, unreadable = read_folder(SAMPLE_CATALOG / release_id)
            assert not unreadable
            async with api.database.unit_of_work() as session:
                await store.publish(session, actor, documents, origin=release_id)
    finally:
        store.close()
    app_store: CatalogService = api.client.app.state.services.catalog
    app_store.clock = lambda: AUGUST_2026
    return api


def assert_tmf_error(response: Response, status: int) -> dict[str, Any]:
    """The response is a TMF Error with this status; its body."""
    request = f"{response.request.method} {response.request.url}"
    assert response.status_code == status, f"{request}: {response.text}"
    body: dict[str, Any] = response.json()
    assert_conforms("TMF620", "Error", body)
    assert body["status"] == str(status)
    return body
