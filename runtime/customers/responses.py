"""Rendering TMF resources as responses, shared by the customer and inventory endpoints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec
from litestar import MediaType, Request, Response

from runtime.api.listing import ListQuery, list_headers
from runtime.auth.roles import Principal
from runtime.db.session import Database

ApiRequest = Request[Principal, Any, Any]

_encoder = msgspec.json.Encoder(decimal_format="number")


def json_response(
    content: Any, *, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response[bytes]:
    """JSON with Decimals as exact JSON numbers (Litestar's default encoding writes them as strings)."""
    return Response(
        _encoder.encode(content), status_code=status_code, headers=headers, media_type=MediaType.JSON
    )


def database(request: ApiRequest) -> Database:
    db: Database = request.app.state.services.database
    return db


def single(request: ApiRequest, attributes: frozenset[str], resource: dict[str, Any]) -> Response[bytes]:
    """One resource, narrowed by `fields=` when the query names some."""
    fields = request.query_params.get("fields")
    query = ListQuery.parse({} if fields is None else {"fields": fields}, attributes)
    return json_response(query.select(resource))


def page(items: list[dict[str, Any]], total: int) -> Response[bytes]:
    return json_response(items, headers=list_headers(total, len(items)))


def created(resource: dict[str, Any]) -> Response[bytes]:
    return json_response(resource, status_code=201, headers={"Location": resource["href"]})
