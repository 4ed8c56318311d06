"""The TMF hub of each API (`POST /hub`, `DELETE /hub/{id}`) and the operators' view of deliveries."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, delete, get, post
from litestar.datastructures import State
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, JSONBody, QueryParameter

from runtime.api.listing import MAX_LIMIT, MAX_OFFSET, list_headers
from runtime.auth.middleware import requires
from runtime.auth.roles import Principal
from runtime.events import service
from runtime.events.apis import HUB_APIS, HubApi
from runtime.events.schemas import EventSubscriptionInput, registered_body
from runtime.events.signing import listener_secret


def hub_routes(api: HubApi) -> list[HTTPRouteHandler]:
    """One API's hub; each API gets its own pair so the OpenAPI document lists them under its path."""
    guards = [requires(*api.subscribers)]
    tags = [f"{api.name} events"]

    @post(api.hub_path, guards=guards, status_code=201, operation_id=f"{api.name}RegisterListener", tags=tags)
    async def register(
        request: Request[Principal, Any, Any], state: State, data: JSONBody[EventSubscriptionInput]
    ) -> dict[str, Any]:
        """Register a listener: events of this API matching `query` are POSTed to `callback`."""
        async with state.services.database.unit_of_work() as session:
            created = await service.subscribe(session, request.user, api.name, data.callback, data.query)
        return registered_body(created, listener_secret(state.services.settings.signing_secret, created.id))

    @delete(
        f"{api.hub_path}/{{id:str}}", guards=guards, operation_id=f"{api.name}UnregisterListener", tags=tags
    )
    async def unregister(request: Request[Principal, Any, Any], state: State, id: FromPath[str]) -> None:
        """Unregister a listener; deliveries still pending for it are cancelled."""
        async with state.services.database.unit_of_work() as session:
            await service.unsubscribe(session, request.user, api.name, id)

    return [register, unregister]


@get("/admin/event-deliveries", guards=[requires()], tags=["events"])
async def list_deliveries(
    state: State,
    delivery_state: Annotated[str | None, QueryParameter(name="state")] = None,
    subscription_id: Annotated[str | None, QueryParameter(name="subscriptionId")] = None,
    offset: Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 100,
) -> Response[list[dict[str, Any]]]:
    """Event deliveries, newest first; `?state=dead` lists those that gave up."""
    async with state.services.database.sessions() as session:
        page, total = await service.delivery_page(session, delivery_state, subscription_id, offset, limit)
    return Response(page, headers=list_headers(total, len(page)))


@post("/admin/event-deliveries/{id:str}/redeliver", guards=[requires()], status_code=200, tags=["events"])
async def redeliver_delivery(
    request: Request[Principal, Any, Any], state: State, id: FromPath[str]
) -> dict[str, Any]:
    """Give a dead delivery a fresh set of attempts."""
    async with state.services.database.unit_of_work() as session:
        return await service.redeliver(session, request.user, id)


EVENT_ROUTES: list[Any] = [
    *(handler for api in HUB_APIS.values() for handler in hub_routes(api)),
    list_deliveries,
    redeliver_delivery,
]
