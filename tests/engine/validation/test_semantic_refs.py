from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from engine.facts import ItemAction
from engine.spec.common import Entity
from engine.spec.flow import Compensation, OrderFlow, OrderFlowStep, ServiceAction
from engine.spec.policy import AlternateProposal, EligibilityPolicy
from engine.spec.price import AlterationCondition
from engine.spec.product import (
    BundledProductOffering,
    Category,
    ProductOfferingRelationship,
    RelationshipType,
)
from engine.spec.release import CatalogRelease
from engine.validation.semantic import check_release
from tests.engine.validation.catalog import Swap, at

Break = Callable[[CatalogRelease], tuple[Entity, str]]


def _offering(path: str, offering: str = "fibre-500", **changes: object) -> Break:
    def broken(base: CatalogRelease) -> tuple[Entity, str]:
        return replace(base.offering(offering), source=at(path, 7), **changes), path  # type: ignore[arg-type]

    return broken


def _fibre_flow(step: OrderFlowStep, index: int, path: str) -> Break:
    def broken(base: CatalogRelease) -> tuple[Entity, str]:
        flow = base.order_flow("fibre-provisioning")
        steps = list(flow.steps(ItemAction.add))
        steps[index] = step
        actions = {**flow.actions, ItemAction.add: tuple(steps)}
        return replace(flow, actions=actions, source=at(path, 7)), path

    return broken


def _price(path: str, **changes: object) -> Break:
    def broken(base: CatalogRelease) -> tuple[Entity, str]:
        return replace(base.price("converged-discount"), source=at(path, 7), **changes), path  # type: ignore[arg-type]

    return broken


def _policy(base: CatalogRelease) -> tuple[Entity, str]:
    path = "$.spec.alternates[0].productOffering"
    policy = base.policy("fibre-serviceability")
    return replace(policy, alternates=(AlternateProposal("mobile-5g"),), source=at(path, 7)), path


def _category(base: CatalogRelease) -> tuple[Entity, str]:
    category = base.get(Category, "broadband")
    return replace(category, parentId="fixd", source=at("$.spec.parentId", 7)), "$.spec.parentId"


SERVICE = "cfs-internet-access"
BROKEN_REFERENCES: dict[str, Break] = {
    "productSpecification": _offering("$.spec.productSpecification", productSpecification="fibre-acess"),
    "productOfferingPrice": _offering(
        "$.spec.productOfferingPrice[1]", productOfferingPrice=("fibre-500-monthly", "install-fee")
    ),
    "eligibilityPolicy": _offering("$.spec.eligibilityPolicy", eligibilityPolicy="serviceability"),
    "orderFlow": _offering("$.spec.orderFlow", orderFlow="fibre-flow"),
    "category": _offering("$.spec.category[0]", category=("brodband",)),
    "bundledProductOffering": _offering(
        "$.spec.bundledProductOffering[0].id",
        "converged-home",
        bundledProductOffering=(
            BundledProductOffering("nothing"),
            BundledProductOffering("mobile-5g-m", 1, 4, 2),
        ),
    ),
    "productOfferingRelationship": _offering(
        "$.spec.productOfferingRelationship[0].id",
        productOfferingRelationship=(ProductOfferingRelationship("fibre-2000", RelationshipType.upgradesTo),),
    ),
    "price condition": _price(
        "$.spec.condition.productOffering[0]", condition=AlterationCondition(("fibre-5000",))
    ),
    "price appliesTo": _price("$.spec.appliesTo[0]", appliesTo=("mobile-montly",)),
    "policy alternate": _policy,
    "category parentId": _category,
    "step serviceSpecification": _fibre_flow(
        OrderFlowStep("reserve-port", "Reserve", "rfs-olt"), 0, "$.spec.actions.add[0].serviceSpecification"
    ),
    "compensation serviceSpecification": _fibre_flow(
        OrderFlowStep(
            "reserve-port", "Reserve", "rfs-olt-port", compensation=Compensation(ServiceAction.delete, "x")
        ),
        0,
        "$.spec.actions.add[0].compensation.serviceSpecification",
    ),
    "dependsOn": _fibre_flow(
        OrderFlowStep("install-ont", "Install", SERVICE, dependsOn=("reserve",)),
        1,
        "$.spec.actions.add[1].dependsOn[0]",
    ),
    "dependsOn another action's step": _fibre_flow(
        OrderFlowStep("install-ont", "Install", SERVICE, dependsOn=("cease-line",)),
        1,
        "$.spec.actions.add[1].dependsOn[0]",
    ),
    "dependsOnService": _fibre_flow(
        OrderFlowStep("install-ont", "Install", SERVICE, dependsOnService=("cfs-tv",)),
        1,
        "$.spec.actions.add[1].dependsOnService[0]",
    ),
}


@pytest.mark.parametrize("site", BROKEN_REFERENCES)
def test_reference_to_nothing_is_reported_at_its_line(site: str, base: CatalogRelease, swap: Swap) -> None:
    broken, path = BROKEN_REFERENCES[site](base)

    errors = check_release(swap(broken))

    assert [(e.code, e.file, e.line, e.column, e.path, e.layer) for e in errors] == [
        ("UNRESOLVED_REFERENCE", "x.yaml", 7, 3, path, "semantic")
    ]
    assert check_release(base) == ()


def test_unresolved_reference_suggests_the_closest_id(base: CatalogRelease, swap: Swap) -> None:
    broken = replace(base.offering("fibre-500"), productSpecification="fibre-acess")

    (error,) = check_release(swap(broken))

    assert "'fibre-acess' names no ProductSpecification" in error.message
    assert "did you mean 'fibre-access'?" in error.message


def test_duplicate_step_ids_in_one_action_are_reported(base: CatalogRelease, swap: Swap) -> None:
    flow = base.get(OrderFlow, "mobile-provisioning")
    step = flow.steps(ItemAction.add)[0]
    broken = replace(flow, actions={ItemAction.add: (step, step)}, source=at("$.spec.actions.add[1].id", 9))

    errors = check_release(swap(broken))

    assert [(e.code, e.line, e.path) for e in errors] == [("DUPLICATE_ID", 9, "$.spec.actions.add[1].id")]
    assert check_release(swap(flow)) == ()


def test_duplicate_rule_ids_in_a_policy_are_reported(base: CatalogRelease, swap: Swap) -> None:
    policy = base.get(EligibilityPolicy, "fibre-serviceability")
    broken = replace(policy, rules=(policy.rules[0], replace(policy.rules[1], id=policy.rules[0].id)))

    assert {e.code for e in check_release(swap(broken))} == {"DUPLICATE_ID"}
    assert check_release(swap(policy)) == ()
