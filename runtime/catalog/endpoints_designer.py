"""What the designer (the product managers' web app) needs beyond the drafts API. Product managers only
(admin is always admitted); nothing here writes.

- `GET /api/v1/designer/vocabulary`: facts, operators and a rule template, exported from the engine.
- `GET /api/v1/designer/offerings?q=&lifecycleStatus=&segment=&channel=&category=&release=`: offering
  summaries of a release (default: in effect) and of the drafts, and the releases; an unknown filter is a 400.
- `POST /api/v1/drafts/preview`: qualify and price a cart against the release in effect with every draft
  applied; drafts that do not validate are a 422 with `errors` (file, line, column, path, message, code).
- `GET /api/v1/drafts/{kind}/{id}/diff`: the draft against the published version in effect, breaking
  changes marked (`engine.diff`).
- `GET /api/v1/drafts/{kind}/{id}/impact`: active subscriptions and in-flight orders of the offerings
  concerned.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery

from runtime.api.errors import tmf_error
from runtime.auth.middleware import requires
from runtime.auth.roles import Principal, Role
from runtime.bootstrap import Services
from runtime.catalog.designer_diff import draft_diff
from runtime.catalog.designer_impact import draft_impact
from runtime.catalog.designer_offerings import OfferingQuery, browse
from runtime.catalog.designer_preview import preview
from runtime.catalog.designer_vocabulary import designer_vocabulary
from runtime.catalog.endpoints_releases import draft_kind
from runtime.catalog.publishing import ReleaseRefused
from runtime.customers.body import JSON, read_object
from runtime.customers.responses import json_response

PRODUCT_MANAGER = requires(Role.product_manager)

AnyRequest = Request[Principal, Any, Any]


@get("/api/v1/designer/vocabulary", guards=[PRODUCT_MANAGER], summary="The rule vocabulary of the engine")
async def vocabulary() -> dict[str, Any]:
    return designer_vocabulary()


@get(
    "/api/v1/designer/offerings",
    guards=[PRODUCT_MANAGER],
    summary="Offering summaries of a release (default: in effect) and of the drafts, and the releases",
)
async def offerings(
    request: AnyRequest,
    state: State,
    q: FromQuery[str | None] = None,
    lifecycleStatus: FromQuery[str | None] = None,
    segment: FromQuery[str | None] = None,
    channel: FromQuery[str | None] = None,
    category: FromQuery[str | None] = None,
    release: FromQuery[str | None] = None,
) -> dict[str, Any]:
    services: Services = state.services
    query = OfferingQuery.parse(dict(request.query_params))
    async with services.database.sessions() as session:
        return await browse(session, services.catalog, query)


@post(
    "/api/v1/drafts/preview",
    guards=[PRODUCT_MANAGER],
    status_code=200,
    summary="Qualify and price a cart against the release in effect with the drafts applied; stores nothing",
    json_body=JSON,
)
async def preview_drafts(request: AnyRequest, state: State) -> Response[Any]:
    services: Services = state.services
    body = await read_object(request)
    try:
        async with services.database.sessions() as session:
            answer = await preview(session, services.catalog, body)
    except ReleaseRefused as refused:
        response = tmf_error(refused.status, refused.code, refused.message)
        response.content["errors"] = [asdict(error) for error in refused.report]
        return response
    return json_response(answer)


@get(
    "/api/v1/drafts/{kind:str}/{entity_id:str}/diff",
    guards=[PRODUCT_MANAGER],
    summary="A draft against the published version in effect, breaking changes marked",
)
async def diff_draft(kind: FromPath[str], entity_id: FromPath[str], state: State) -> Response[bytes]:
    services: Services = state.services
    async with services.database.sessions() as session:
        return json_response(await draft_diff(session, services.catalog, draft_kind(kind), entity_id))


@get(
    "/api/v1/drafts/{kind:str}/{entity_id:str}/impact",
    guards=[PRODUCT_MANAGER],
    summary="Active subscriptions and in-flight orders of the offerings a draft concerns",
)
async def impact_of_draft(kind: FromPath[str], entity_id: FromPath[str], state: State) -> dict[str, Any]:
    services: Services = state.services
    async with services.database.sessions() as session:
        return await draft_impact(session, services.catalog, draft_kind(kind), entity_id)


DESIGNER_ROUTES = [vocabulary, offerings, preview_drafts, diff_draft, impact_of_draft]
