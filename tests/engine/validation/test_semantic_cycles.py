from __future__ import annotations

from dataclasses import replace

from engine.facts import ItemAction
from engine.spec.flow import OrderFlowStep
from engine.spec.product import (
    BundledProductOffering,
    Category,
    ProductOffering,
    ProductOfferingRelationship,
    RelationshipType,
)
from engine.spec.release import CatalogRelease
from engine.validation.semantic import check_release
from tests.engine.validation.catalog import Swap, at

REQUIRES = RelationshipType.requires


def _requires(offering: ProductOffering, *targets: str) -> ProductOffering:
    relationships = tuple(ProductOfferingRelationship(t, REQUIRES) for t in targets)
    return replace(offering, productOfferingRelationship=relationships)


def test_requires_cycle_is_reported_with_its_path(base: CatalogRelease, swap: Swap) -> None:
    # tv-addon requires fibre-500 already; closing the loop through mobile makes a three-offering cycle.
    # It is reported once, from its first id, at the relationship that starts it.
    fibre = replace(
        _requires(base.offering("fibre-500"), "mobile-5g-m"),
        source=at("$.spec.productOfferingRelationship[0].id", 12, 9),
    )
    mobile = _requires(base.offering("mobile-5g-m"), "tv-addon")

    errors = check_release(swap(fibre, mobile))

    cycle = "fibre-500 → mobile-5g-m → tv-addon → fibre-500"
    assert [(e.code, e.message) for e in errors] == [
        ("REQUIRES_CYCLE", f"requires relationships form a cycle: {cycle}")
    ]
    assert (errors[0].line, errors[0].column) == (12, 9)
    assert check_release(swap(fibre)) == ()


def test_an_offering_requiring_itself_is_a_cycle(base: CatalogRelease, swap: Swap) -> None:
    broken = _requires(base.offering("tv-addon"), "tv-addon")

    (error,) = check_release(swap(broken))

    assert error.code == "REQUIRES_CYCLE"
    assert error.message.endswith("tv-addon → tv-addon")


def test_every_separate_cycle_is_reported(base: CatalogRelease, swap: Swap) -> None:
    fibre = _requires(base.offering("fibre-500"), "tv-addon")
    mobile = _requires(base.offering("mobile-5g-m"), "fibre-flex")
    flex = _requires(base.offering("fibre-flex"), "mobile-5g-m")

    errors = check_release(swap(fibre, mobile, flex))

    assert sorted(e.message.split(": ")[1] for e in errors) == [
        "fibre-500 → tv-addon → fibre-500",
        "fibre-flex → mobile-5g-m → fibre-flex",
    ]


def test_bundle_containing_itself_transitively_is_reported(base: CatalogRelease, swap: Swap) -> None:
    inner = replace(
        base.offering("mobile-5g-m"),
        isBundle=True,
        bundledProductOffering=(BundledProductOffering("converged-home"),),
    )
    outer = replace(base.offering("converged-home"), source=at("$.spec.bundledProductOffering[1].id", 4))

    errors = check_release(swap(inner, outer))

    assert [(e.code, e.line, e.message) for e in errors] == [
        ("BUNDLE_CYCLE", 4, "bundled offerings form a cycle: converged-home → mobile-5g-m → converged-home")
    ]
    assert check_release(swap(base.offering("mobile-5g-m"))) == ()


def test_order_flow_cycle_is_reported_with_its_steps(base: CatalogRelease, swap: Swap) -> None:
    flow = base.order_flow("fibre-provisioning")
    reserve, install = flow.steps(ItemAction.add)
    looping = replace(reserve, dependsOn=("install-ont",))
    broken = replace(
        flow,
        actions={**flow.actions, ItemAction.add: (looping, install)},
        source=at("$.spec.actions.add[1].dependsOn[0]", 21, 21),
    )

    errors = check_release(swap(broken))

    assert [(e.code, e.line, e.path) for e in errors] == [
        ("ORDER_FLOW_CYCLE", 21, "$.spec.actions.add[1].dependsOn[0]")
    ]
    assert "install-ont → reserve-port → install-ont" in errors[0].message
    assert check_release(swap(flow)) == ()


def test_a_step_depending_on_itself_is_a_cycle(base: CatalogRelease, swap: Swap) -> None:
    flow = base.order_flow("mobile-provisioning")
    (step,) = flow.steps(ItemAction.add)
    broken = replace(flow, actions={ItemAction.add: (replace(step, dependsOn=("activate-sim",)),)})

    assert [e.code for e in check_release(swap(broken))] == ["ORDER_FLOW_CYCLE"]


def test_steps_sharing_a_dependency_are_not_a_cycle(base: CatalogRelease, swap: Swap) -> None:
    flow = base.order_flow("fibre-provisioning")
    reserve, install = flow.steps(ItemAction.add)
    also = OrderFlowStep(
        "configure-router", "Router", "cfs-internet-access", dependsOn=("reserve-port", "install-ont")
    )
    diamond = replace(flow, actions={**flow.actions, ItemAction.add: (reserve, install, also)})

    assert check_release(swap(diamond)) == ()


def test_category_that_is_its_own_ancestor_is_reported(base: CatalogRelease, swap: Swap) -> None:
    fixed = replace(base.get(Category, "fixed"), parentId="broadband")

    (error,) = check_release(swap(fixed))

    assert (error.code, error.message) == (
        "CATEGORY_CYCLE",
        "category parents form a cycle: broadband → fixed → broadband",
    )
