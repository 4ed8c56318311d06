"""TMF637 product inventory: list and get for channel and oss; a create for admin only, to seed it.

Products are otherwise created and changed by the ordering flow through `InventoryService`.
"""

from __future__ import annotations

from litestar import Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from runtime.api.listing import ListQuery
from runtime.auth.middleware import requires
from runtime.auth.roles import Role
from runtime.customers.body import JSON, read_object
from runtime.customers.responses import ApiRequest, created, database, page, single
from runtime.customers.strict import properties
from runtime.inventory.drafts import draft_from_tmf
from runtime.inventory.schemas import PRODUCT_PATH
from runtime.inventory.service import InventoryService

READERS = (Role.channel, Role.oss)
ATTRIBUTES = properties("TMF637", "Product")
inventory = InventoryService()


@get(PRODUCT_PATH, guards=[requires(*READERS)], operation_id="listProduct", summary="List inventory products")
async def list_products(request: ApiRequest) -> Response[bytes]:
    query = ListQuery.parse(request.query_params, ATTRIBUTES)
    async with database(request).sessions() as session:
        items, total = await inventory.list_page(session, query)
    return page(items, total)


@get(f"{PRODUCT_PATH}/{{product_id:str}}", guards=[requires(*READERS)], operation_id="retrieveProduct")
async def retrieve_product(request: ApiRequest, product_id: FromPath[str]) -> Response[bytes]:
    async with database(request).sessions() as session:
        product = await inventory.get(session, product_id)
    return single(request, ATTRIBUTES, product)


@post(
    PRODUCT_PATH,
    guards=[requires()],
    operation_id="createProduct",
    summary="Seed a product (admin only)",
    json_body=JSON,
)
async def create_product(request: ApiRequest) -> Response[bytes]:
    draft = draft_from_tmf(await read_object(request))
    async with database(request).unit_of_work() as session:
        product = await inventory.create(session, request.user, draft)
    return created(product)


INVENTORY_ROUTES: list[HTTPRouteHandler] = [list_products, retrieve_product, create_product]
