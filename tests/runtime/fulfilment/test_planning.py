"""Planning an order against its pinned release, as the workflow's step views."""

from __future__ import annotations

import pytest

from runtime.api.errors import NotFound
from runtime.bootstrap import Services
from runtime.fulfilment.planning import amend_plan, plan
from workflows.contracts import OrderInput, OrderItemInput
from workflows.plan_view import AmendPlanRequest, PlanStep

ITEMS = [
    OrderItemInput("1", "converged-home", "add"),
    OrderItemInput("2", "fibre-1000", "add"),
    OrderItemInput("5", "tv-essential", "add"),
]


def _order(items: list[OrderItemInput], release: str = "2026.2") -> OrderInput:
    return OrderInput("ORD-1", release, "CUST-1001", items, "2026-07-15T10:00:00+00:00")


async def test_the_plan_view_is_the_dag_of_every_item_with_cross_item_dependencies(
    published: Services,
) -> None:
    async with published.database.sessions() as session:
        view = await plan(session, published.catalog, _order(ITEMS))
    steps = {s.id: s for s in view.steps}
    assert list(steps) == [
        "2/reserve-olt-port",
        "2/ship-router",
        "2/install-ont",
        "2/activate-access",
        "5/create-middleware-account",
        "5/ship-stb",
        "5/activate-iptv",
    ]
    assert steps["5/activate-iptv"].predecessors == [
        "5/create-middleware-account",
        "5/ship-stb",
        "2/activate-access",
    ]
    assert steps["2/reserve-olt-port"] == PlanStep(
        id="2/reserve-olt-port",
        itemId="2",
        productOffering="fibre-1000",
        name="Reserve a port on the area OLT",
        serviceSpecification="rfs-olt-port",
        action="add",
        predecessors=[],
        pointOfNoReturn=False,
        timeoutSeconds=3600.0,
        compensationAction="delete",
        compensationServiceSpecification="rfs-olt-port",
    )
    assert steps["2/install-ont"].pointOfNoReturn and not steps["2/install-ont"].compensable


async def test_an_order_is_planned_only_against_a_release_that_exists(published: Services) -> None:
    async with published.database.sessions() as session:
        with pytest.raises(NotFound):
            await plan(session, published.catalog, _order(ITEMS, release="2031.1"))


async def test_an_amendment_replans_only_the_changed_items(published: Services) -> None:
    new_items = [*ITEMS[:2], OrderItemInput("3", "mobile-5g-m", "add")]
    request = AmendPlanRequest(_order(ITEMS), ITEMS, new_items)
    async with published.database.sessions() as session:
        diff = await amend_plan(session, published.catalog, request)
    assert diff.unchanged == ["2/reserve-olt-port", "2/ship-router", "2/install-ont", "2/activate-access"]
    assert diff.removed == ["5/create-middleware-account", "5/ship-stb", "5/activate-iptv"]
    assert diff.added == ["3/reserve-msisdn", "3/prepare-sim", "3/create-subscriber", "3/activate-line"]
    assert [s.itemId for s in diff.steps] == ["2"] * 4 + ["3"] * 4
