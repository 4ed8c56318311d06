"""TMF679 productOfferingQualification: create (evaluated at once), list and get, for channel and admin."""

from __future__ import annotations

from typing import Annotated

from litestar import Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, QueryParameter

from runtime.api.listing import ListQuery
from runtime.auth.middleware import requires
from runtime.auth.roles import Role
from runtime.customers.body import JSON, read_object
from runtime.customers.responses import ApiRequest, created, database, page, single
from runtime.qualification import service
from runtime.qualification.schemas import QUALIFICATION_PATH

GUARDS = [requires(Role.channel)]
ReleaseId = Annotated[
    str | None,
    QueryParameter(
        name="releaseId",
        description="A published release id; default: the release in effect at the qualification date",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    ),
]


@post(
    QUALIFICATION_PATH,
    guards=GUARDS,
    operation_id="createProductOfferingQualification",
    summary="Qualify product offerings for a customer or a prospect (evaluated at once)",
    json_body=JSON,
)
async def create_qualification(request: ApiRequest, release_id: ReleaseId = None) -> Response[bytes]:
    body = await read_object(request)
    async with database(request).unit_of_work() as session:
        catalog = request.app.state.services.catalog
        resource = await service.create(session, request.user, catalog, body, release_id)
    return created(resource)


@get(QUALIFICATION_PATH, guards=GUARDS, operation_id="listProductOfferingQualification")
async def list_qualifications(request: ApiRequest) -> Response[bytes]:
    query = ListQuery.parse(request.query_params, service.ATTRIBUTES)
    async with database(request).sessions() as session:
        items, total = await service.list_page(session, query)
    return page(items, total)


@get(
    f"{QUALIFICATION_PATH}/{{qualification_id:str}}",
    guards=GUARDS,
    operation_id="retrieveProductOfferingQualification",
)
async def retrieve_qualification(request: ApiRequest, qualification_id: FromPath[str]) -> Response[bytes]:
    async with database(request).sessions() as session:
        resource = await service.get(session, qualification_id)
    return single(request, service.ATTRIBUTES, resource)


QUALIFICATION_ROUTES: list[HTTPRouteHandler] = [
    create_qualification,
    list_qualifications,
    retrieve_qualification,
]
