"""`/api/v1/quote`: qualify and price a cart (channel and admin), and read a stored quote again."""

from __future__ import annotations

from litestar import Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from runtime.auth.middleware import requires
from runtime.auth.roles import Role
from runtime.customers.body import JSON, read_object
from runtime.customers.responses import ApiRequest, created, database, json_response
from runtime.qualification.endpoints import ReleaseId
from runtime.quote import service
from runtime.quote.service import QUOTE_PATH

GUARDS = [requires(Role.channel)]


@post(
    QUOTE_PATH,
    guards=GUARDS,
    operation_id="createQuote",
    summary="Qualify and price a cart",
    json_body=JSON,
)
async def create_quote(request: ApiRequest, release_id: ReleaseId = None) -> Response[bytes]:
    body = await read_object(request)
    async with database(request).unit_of_work() as session:
        catalog = request.app.state.services.catalog
        resource = await service.create(session, request.user, catalog, body, release_id)
    return created(resource)


@get(f"{QUOTE_PATH}/{{quote_id:str}}", guards=GUARDS, operation_id="retrieveQuote", summary="Get a quote")
async def retrieve_quote(request: ApiRequest, quote_id: FromPath[str]) -> Response[bytes]:
    async with database(request).sessions() as session:
        resource = await service.get(session, quote_id)
    return json_response(resource)


QUOTE_ROUTES: list[HTTPRouteHandler] = [create_quote, retrieve_quote]
