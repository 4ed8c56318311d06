"""TMF622 productOrder and cancelProductOrder (channel and admin), the operator's fallout decision (admin),
and the OSS listener for TMF641 service order events (oss)."""

from __future__ import annotations

from litestar import Response, get, patch, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from runtime.api.listing import ListQuery
from runtime.auth.middleware import requires
from runtime.auth.roles import Role
from runtime.bootstrap import Services
from runtime.customers.body import JSON, MERGE_PATCH, read_object
from runtime.customers.responses import ApiRequest, created, database, json_response, page, single
from runtime.ordering import cancellation, changes, listener, service
from runtime.ordering.schemas import CANCEL_PATH, ORDER_PATH

GUARDS = [requires(Role.channel)]
FALLOUT_PATH = "/api/v1/productOrder/{order_id:str}/falloutDecision"
IDEMPOTENCY_KEY = "idempotency-key"


def _services(request: ApiRequest) -> Services:
    services: Services = request.app.state.services
    return services


@post(
    ORDER_PATH,
    guards=GUARDS,
    operation_id="createProductOrder",
    summary="Place a product order",
    json_body=JSON,
)
async def create_order(request: ApiRequest) -> Response[bytes]:
    body = await read_object(request)
    services = _services(request)
    placed = await service.place(
        services.database,
        services.order_starts,
        services.catalog,
        request.user,
        body,
        request.headers.get(IDEMPOTENCY_KEY),
        services.settings.order_time_scale,
    )
    response = created(placed.resource)
    if placed.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@get(ORDER_PATH, guards=GUARDS, operation_id="listProductOrder", summary="List product orders")
async def list_orders(request: ApiRequest) -> Response[bytes]:
    query = ListQuery.parse(request.query_params, service.ATTRIBUTES)
    async with database(request).sessions() as session:
        items, total = await service.list_page(session, request.user, query)
    return page(items, total)


@get(
    f"{ORDER_PATH}/{{order_id:str}}",
    guards=GUARDS,
    operation_id="retrieveProductOrder",
    summary="Get an order",
)
async def retrieve_order(request: ApiRequest, order_id: FromPath[str]) -> Response[bytes]:
    async with database(request).sessions() as session:
        resource = await service.get(session, request.user, order_id)
    return single(request, service.ATTRIBUTES, resource)


@patch(
    f"{ORDER_PATH}/{{order_id:str}}",
    guards=GUARDS,
    operation_id="patchProductOrder",
    summary="Merge-patch an order: notes and dates while open, items (an amendment) before the point of no return",
    json_body=MERGE_PATCH,
)
async def patch_order(request: ApiRequest, order_id: FromPath[str]) -> Response[bytes]:
    body = await read_object(request, MERGE_PATCH)
    services = _services(request)
    resource = await changes.patch(
        services.database, services.catalog, services.orchestrator, request.user, order_id, body
    )
    return json_response(resource)


@post(
    CANCEL_PATH,
    guards=GUARDS,
    operation_id="createCancelProductOrder",
    summary="Cancel an order before its point of no return",
    json_body=JSON,
)
async def create_cancel(request: ApiRequest) -> Response[bytes]:
    body = await read_object(request)
    services = _services(request)
    resource = await cancellation.cancel(services.database, services.orchestrator, request.user, body)
    return created(resource)


@get(CANCEL_PATH, guards=GUARDS, operation_id="listCancelProductOrder", summary="List order cancellations")
async def list_cancels(request: ApiRequest) -> Response[bytes]:
    query = ListQuery.parse(request.query_params, cancellation.CANCEL_ATTRIBUTES)
    async with database(request).sessions() as session:
        items, total = await cancellation.list_cancels(session, request.user, query)
    return page(items, total)


@get(
    f"{CANCEL_PATH}/{{cancel_id:str}}",
    guards=GUARDS,
    operation_id="retrieveCancelProductOrder",
    summary="Get an order cancellation",
)
async def retrieve_cancel(request: ApiRequest, cancel_id: FromPath[str]) -> Response[bytes]:
    async with database(request).sessions() as session:
        resource = await cancellation.get_cancel(session, request.user, cancel_id)
    return single(request, cancellation.CANCEL_ATTRIBUTES, resource)


@post(
    FALLOUT_PATH,
    guards=[requires()],
    status_code=202,
    operation_id="createFalloutDecision",
    summary="An operator's decision on a held order's failed step: retry, skip or fail",
    json_body=JSON,
)
async def fallout_decision(request: ApiRequest, order_id: FromPath[str]) -> Response[bytes]:
    body = await read_object(request)
    services = _services(request)
    answer = await cancellation.decide_fallout(
        services.database, services.orchestrator, request.user, order_id, body
    )
    return json_response(answer, status_code=202)


def _listener(event_type: str) -> HTTPRouteHandler:
    @post(
        f"{listener.LISTENER_PATH}/{event_type[0].lower()}{event_type[1:]}",
        guards=[requires(Role.oss)],
        status_code=202,
        operation_id=f"listen{event_type}",
        summary=f"TMF641 {event_type} from the OSS (HMAC-signed)",
        json_body=JSON,
    )
    async def receive(request: ApiRequest) -> Response[bytes]:
        services = _services(request)
        answer = await listener.receive(
            services.database,
            services.orchestrator,
            services.settings.oss_callback_secret,
            request.headers,
            await request.body(),
            event_type,
        )
        return json_response(answer, status_code=202)

    return receive


ORDERING_ROUTES: list[HTTPRouteHandler] = [
    create_order,
    list_orders,
    retrieve_order,
    patch_order,
    create_cancel,
    list_cancels,
    retrieve_cancel,
    fallout_decision,
    _listener(listener.STATE_CHANGE),
    _listener(listener.ATTRIBUTE_CHANGE),
]
