"""The simulator's HTTP face: TMF641 service orders, and a control API for tests and demos.

It guards nothing by role: it plays a network system outside Switchboard and listens on 127.0.0.1 only
(or on a private compose network); the callbacks it makes carry an oss API key and an HMAC signature.
"""

from __future__ import annotations

import json
from typing import Any

from litestar import Litestar, Request, Response, Router, get, post, put
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.params import FromPath

from runtime.api.errors import EXCEPTION_HANDLERS, ApiError
from runtime.api.listing import ListQuery, list_headers
from runtime.oss_simulator.config import InvalidConfig, SimulatorConfig
from runtime.oss_simulator.orders import BASE_PATH
from runtime.oss_simulator.simulator import Simulator

MAX_BODY_BYTES = 1_048_576
SERVICE_ORDER_ATTRIBUTES = ("id", "href", "externalId", "state", "orderDate", "completionDate", "category")


async def _json_body(request: Request[Any, Any, Any]) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError("the body is not JSON", code="INVALID_JSON") from None


def _oss_up(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    simulator: Simulator = connection.app.state.simulator
    simulator.refuse_when_down()


@post("/serviceOrder", summary="Create a service order; the same externalId again returns the first (200)")
async def create_service_order(request: Request[Any, Any, Any], state: State) -> Response[dict[str, Any]]:
    simulator: Simulator = state.simulator
    order, created = simulator.submit(await _json_body(request))
    return Response(order, status_code=201 if created else 200)


@get("/serviceOrder", summary="List service orders (filter e.g. externalId=...)")
async def list_service_orders(
    request: Request[Any, Any, Any], state: State
) -> Response[list[dict[str, Any]]]:
    simulator: Simulator = state.simulator
    query = ListQuery.parse(request.query_params, SERVICE_ORDER_ATTRIBUTES)
    page, total = query.apply(simulator.service_orders())
    return Response(page, headers=list_headers(total, len(page)))


@get("/serviceOrder/{order_id:str}", summary="One service order")
async def get_service_order(order_id: FromPath[str], state: State) -> dict[str, Any]:
    simulator: Simulator = state.simulator
    return simulator.service_order(order_id)


@get("/simulator/stats", summary="Per externalId: POSTs received, service orders created, callbacks")
async def stats(state: State) -> dict[str, Any]:
    simulator: Simulator = state.simulator
    return simulator.stats()


@get("/simulator/config", summary="The behaviour in force and the RNG seed")
async def read_config(state: State) -> dict[str, Any]:
    simulator: Simulator = state.simulator
    return simulator.config_json()


@put("/simulator/config", summary="Change delays, rates, down or the seed at run time (partial)")
async def change_config(request: Request[Any, Any, Any], state: State) -> dict[str, Any]:
    simulator: Simulator = state.simulator
    patch = await _json_body(request)
    if not isinstance(patch, dict):
        raise ApiError("the body must be a JSON object of settings", code="INVALID_CONFIG")
    try:
        return simulator.reconfigure(patch)
    except InvalidConfig as error:
        raise ApiError(str(error), code="INVALID_CONFIG") from None


@post("/simulator/reset", status_code=200, summary="Forget every service order and statistic")
async def reset(state: State) -> dict[str, Any]:
    simulator: Simulator = state.simulator
    await simulator.reset()
    return simulator.stats()


@get("/health", summary="Liveness")
async def health() -> dict[str, str]:
    return {"status": "ok"}


def create_app(config: SimulatorConfig, simulator: Simulator | None = None) -> Litestar:
    simulator = simulator or Simulator(config)
    tmf641 = Router(
        path=BASE_PATH,
        route_handlers=[create_service_order, list_service_orders, get_service_order],
        guards=[_oss_up],
    )
    return Litestar(
        route_handlers=[tmf641, stats, read_config, change_config, reset, health],
        state=State({"simulator": simulator}),
        on_startup=[simulator.start],
        on_shutdown=[simulator.stop],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        request_max_body_size=MAX_BODY_BYTES,
        openapi_config=OpenAPIConfig(title="Switchboard OSS simulator", version="0.1.0", path="/schema"),
        debug=False,
    )
