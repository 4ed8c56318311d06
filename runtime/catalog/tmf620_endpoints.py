"""TMF620 Product Catalog Management v4: catalog, category, productSpecification, productOffering and
productOfferingPrice under /tmf-api/productCatalogManagement/v4.

Every entity resource has the same five operations, so one factory builds them from a `Resource`. Reads
(channel, product_manager) take `releaseId` (default: the release in effect now; `drafts`: the drafts,
product_manager only), filters on attributes of the projected resource, `fields=`, `offset` and `limit`.
Writes (product_manager) act on drafts: POST creates one, PATCH (JSON merge patch, If-Match) and DELETE
(If-Match) change it, with the draft's ETag. A published entity answers PATCH and DELETE with 409: POST it
again (same id, a new version or none) to start its draft. Releases (`catalog`) are published from drafts
through /api/v1/drafts/publish, never written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from litestar import Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from litestar.serialization import default_serializer
from litestar.types import Serializer

from engine.spec.common import Kind
from runtime.api.errors import Forbidden
from runtime.api.listing import MAX_LIMIT, ListQuery, list_headers
from runtime.auth.middleware import requires
from runtime.auth.roles import Principal, Role
from runtime.catalog.drafts import parse_json
from runtime.catalog.tmf620_common import BASE_PATH, RESOURCE_PATHS, Json, encode, tmf_name
from runtime.catalog.tmf620_projection import EXTENSIONS
from runtime.catalog.tmf620_service import DRAFTS, Tmf620Catalog
from runtime.tmf.contract import swagger

T = TypeVar("T")
READ = [requires(Role.channel, Role.product_manager)]
WRITE = [requires(Role.product_manager)]
DRAFT_READERS = frozenset({Role.product_manager})

# Declared so the OpenAPI document names them; ListQuery reads them from the query string with the filters.
ReleaseId = Annotated[
    str | None,
    QueryParameter(
        name="releaseId",
        description="A published release id, or `drafts`; default: the release in effect now",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    ),
]
Fields = Annotated[str | None, QueryParameter(description="Comma-separated attributes to return")]
Offset = Annotated[int | None, QueryParameter(ge=0)]
Limit = Annotated[int | None, QueryParameter(ge=1, le=MAX_LIMIT)]
Version = Annotated[str | None, QueryParameter(description="An entity version; default: the one in effect")]
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", description="The draft's ETag")]
AnyRequest = Request[Principal, Any, Any]


class TmfJson(Response[T]):
    """A JSON response whose Decimals are exact JSON numbers (`tmf620_common.encode`)."""

    def render(self, content: Any, media_type: str, enc_hook: Serializer = default_serializer) -> bytes:
        return encode(content)


@dataclass(frozen=True, slots=True)
class Resource:
    kind: Kind
    attributes: frozenset[str]  # what filters and `fields=` may name

    @property
    def name(self) -> str:
        return tmf_name(self.kind)

    @property
    def collection(self) -> str:
        return f"{BASE_PATH}/{RESOURCE_PATHS[self.kind]}"


def resource(kind: Kind) -> Resource:
    tmf = frozenset(swagger("TMF620")["definitions"][tmf_name(kind)]["properties"])
    return Resource(kind, tmf | EXTENSIONS[kind] | {"draft"})


def _catalog(state: State) -> Tmf620Catalog:
    store = state.services.catalog
    return Tmf620Catalog(store, store.clock)


def _may_read(principal: Principal, release_id: str | None) -> None:
    if release_id == DRAFTS and not principal.may(DRAFT_READERS):
        raise Forbidden("reading drafts needs one of the roles: admin, product_manager")


def _page(query: ListQuery, items: list[Json]) -> TmfJson[list[Json]]:
    page, total = query.apply(items)
    return TmfJson(page, headers=list_headers(total, len(page)))


def _fields_only(fields: str | None, attributes: frozenset[str]) -> ListQuery:
    return ListQuery.parse({} if fields is None else {"fields": fields}, attributes)


def _etag(etag: str | None) -> Mapping[str, str] | None:
    return None if etag is None else {"ETag": etag}


def entity_routes(kind: Kind) -> list[HTTPRouteHandler]:
    res = resource(kind)
    item = f"{res.collection}/{{id:str}}"

    @get(res.collection, guards=READ, operation_id=f"list{res.name}", summary=f"List or find {res.name}")
    async def list_entities(
        request: AnyRequest,
        state: State,
        release_id: ReleaseId = None,
        fields: Fields = None,
        offset: Offset = None,
        limit: Limit = None,
    ) -> TmfJson[list[Json]]:
        query = ListQuery.parse(request.query_params, res.attributes)
        _may_read(request.user, release_id)
        async with state.services.database.sessions() as session:
            items = await _catalog(state).entities(session, kind, release_id)
        return _page(query, items)

    @get(item, guards=READ, operation_id=f"retrieve{res.name}", summary=f"Retrieve a {res.name} by id")
    async def retrieve_entity(
        request: AnyRequest,
        state: State,
        id: FromPath[str],
        release_id: ReleaseId = None,
        fields: Fields = None,
        version: Version = None,
    ) -> TmfJson[Json]:
        selection = _fields_only(fields, res.attributes)
        _may_read(request.user, release_id)
        async with state.services.database.sessions() as session:
            body, etag = await _catalog(state).entity(session, kind, id, release_id, version)
        return TmfJson(selection.select(body), headers=_etag(etag))

    @post(
        res.collection, guards=WRITE, operation_id=f"create{res.name}", summary=f"Create a {res.name} draft"
    )
    async def create_entity(
        request: AnyRequest, state: State, data: JSONBody[dict[str, Any]]
    ) -> TmfJson[Json]:
        body = parse_json(await request.body())  # again, for exact decimals
        async with state.services.database.unit_of_work() as session:
            created, etag = await _catalog(state).create(session, request.user, kind, body)
        return TmfJson(created, status_code=201, headers={"ETag": etag, "Location": created["href"]})

    @patch(item, guards=WRITE, operation_id=f"patch{res.name}", summary=f"Merge-patch a {res.name} draft")
    async def patch_entity(
        request: AnyRequest,
        state: State,
        id: FromPath[str],
        data: JSONBody[dict[str, Any]],
        if_match: IfMatch = None,
    ) -> TmfJson[Json]:
        body = parse_json(await request.body())
        async with state.services.database.unit_of_work() as session:
            patched, etag = await _catalog(state).patch(session, request.user, kind, id, body, if_match)
        return TmfJson(patched, headers={"ETag": etag})

    @delete(item, guards=WRITE, operation_id=f"delete{res.name}", summary=f"Delete a {res.name} draft")
    async def delete_entity(
        request: AnyRequest, state: State, id: FromPath[str], if_match: IfMatch = None
    ) -> None:
        async with state.services.database.unit_of_work() as session:
            await _catalog(state).delete(session, request.user, kind, id, if_match)

    return [list_entities, retrieve_entity, create_entity, patch_entity, delete_entity]


CATALOG = resource(Kind.CatalogRelease)
CATALOG_ITEM = f"{CATALOG.collection}/{{id:str}}"


@get(CATALOG.collection, guards=READ, operation_id="listCatalog", summary="List the published releases")
async def list_catalogs(
    request: AnyRequest, state: State, fields: Fields = None, offset: Offset = None, limit: Limit = None
) -> TmfJson[list[Json]]:
    query = ListQuery.parse(request.query_params, CATALOG.attributes)
    async with state.services.database.sessions() as session:
        items = await _catalog(state).catalogs(session)
    return _page(query, items)


@get(CATALOG_ITEM, guards=READ, operation_id="retrieveCatalog", summary="Retrieve a published release")
async def retrieve_catalog(state: State, id: FromPath[str], fields: Fields = None) -> TmfJson[Json]:
    selection = _fields_only(fields, CATALOG.attributes)
    async with state.services.database.sessions() as session:
        body = await _catalog(state).catalog(session, id)
    return TmfJson(selection.select(body))


@patch(CATALOG_ITEM, guards=WRITE, operation_id="patchCatalog", summary="Refused: releases are immutable")
async def patch_catalog(state: State, id: FromPath[str], data: JSONBody[dict[str, Any]]) -> TmfJson[Json]:
    async with state.services.database.sessions() as session:
        await _catalog(state).refuse_catalog_change(session, id)


@delete(CATALOG_ITEM, guards=WRITE, operation_id="deleteCatalog", summary="Refused: releases are immutable")
async def delete_catalog(state: State, id: FromPath[str]) -> None:
    async with state.services.database.sessions() as session:
        await _catalog(state).refuse_catalog_change(session, id)


ENTITY_KINDS = (Kind.Category, Kind.ProductSpecification, Kind.ProductOffering, Kind.ProductOfferingPrice)

TMF620_ROUTES: list[HTTPRouteHandler] = [
    list_catalogs,
    retrieve_catalog,
    patch_catalog,
    delete_catalog,
    *(handler for kind in ENTITY_KINDS for handler in entity_routes(kind)),
]
