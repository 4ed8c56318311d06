"""TMF629 customer, TMF632 individual and organization, TMF666 billingAccount: list, get, create, patch,
delete. One set of thin handlers per resource kind, made by `resource_routes`.
"""

from __future__ import annotations

from litestar import Response, delete, get, patch, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from runtime.api.listing import ListQuery
from runtime.auth.middleware import requires
from runtime.auth.roles import Role
from runtime.customers import service
from runtime.customers.body import JSON, MERGE_PATCH, read_object
from runtime.customers.kinds import BILLING_ACCOUNT, CUSTOMER, INDIVIDUAL, ORGANIZATION
from runtime.customers.resources import ResourceKind
from runtime.customers.responses import ApiRequest, created, database, json_response, page, single

# Shops onboard customers: channel reads and writes; deleting (erasure) is for admin only.
READERS = (Role.channel,)
WRITERS = (Role.channel,)
DELETERS: tuple[Role, ...] = ()


def resource_routes(kind: ResourceKind) -> list[HTTPRouteHandler]:
    name, item_path = kind.tmf_type, f"{kind.base_path}/{{resource_id:str}}"

    @get(kind.base_path, guards=[requires(*READERS)], operation_id=f"list{name}", summary=f"List {name}s")
    async def list_resources(request: ApiRequest) -> Response[bytes]:
        query = ListQuery.parse(request.query_params, kind.attributes)
        async with database(request).sessions() as session:
            items, total = await service.list_page(session, kind, query)
        return page(items, total)

    @get(item_path, guards=[requires(*READERS)], operation_id=f"retrieve{name}", summary=f"Get a {name}")
    async def retrieve(request: ApiRequest, resource_id: FromPath[str]) -> Response[bytes]:
        async with database(request).sessions() as session:
            resource = await service.get(session, kind, resource_id)
        return single(request, kind.attributes, resource)

    @post(
        kind.base_path,
        guards=[requires(*WRITERS)],
        operation_id=f"create{name}",
        summary=f"Create a {name}",
        json_body=JSON,
    )
    async def create(request: ApiRequest) -> Response[bytes]:
        body = await read_object(request)
        async with database(request).unit_of_work() as session:
            resource = await service.create(session, request.user, kind, body)
        return created(resource)

    @patch(
        item_path,
        guards=[requires(*WRITERS)],
        operation_id=f"patch{name}",
        summary=f"Merge-patch a {name}",
        json_body=MERGE_PATCH,
    )
    async def update(request: ApiRequest, resource_id: FromPath[str]) -> Response[bytes]:
        changes = await read_object(request, MERGE_PATCH)
        async with database(request).unit_of_work() as session:
            resource = await service.patch(session, request.user, kind, resource_id, changes)
        return json_response(resource)

    @delete(item_path, guards=[requires(*DELETERS)], operation_id=f"delete{name}", summary=f"Delete a {name}")
    async def remove(request: ApiRequest, resource_id: FromPath[str]) -> None:
        async with database(request).unit_of_work() as session:
            await service.delete(session, request.user, kind, resource_id)

    return [list_resources, retrieve, create, update, remove]


CUSTOMER_ROUTES: list[HTTPRouteHandler] = [
    handler
    for kind in (CUSTOMER, INDIVIDUAL, ORGANIZATION, BILLING_ACCOUNT)
    for handler in resource_routes(kind)
]
