"""References that resolve to nothing, and ids declared twice where they must be unique."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from engine.spec.common import Entity, Kind
from engine.spec.flow import OrderFlow, OrderFlowStep
from engine.spec.policy import EligibilityPolicy
from engine.spec.price import ProductOfferingPrice
from engine.spec.product import Category, ProductOffering, ProductSpecification
from engine.spec.release import CatalogRelease
from engine.validation.report import SpecError
from engine.validation.semantic.codes import SemanticCode
from engine.validation.semantic.common import spec_error, suggestion

Reference = tuple[str, Kind, str]  # (JSON path, kind of the target, target id)


def _offering_refs(o: ProductOffering) -> Iterator[Reference]:
    if o.productSpecification is not None:
        yield "$.spec.productSpecification", Kind.ProductSpecification, o.productSpecification
    for i, price_id in enumerate(o.productOfferingPrice):
        yield f"$.spec.productOfferingPrice[{i}]", Kind.ProductOfferingPrice, price_id
    if o.eligibilityPolicy is not None:
        yield "$.spec.eligibilityPolicy", Kind.EligibilityPolicy, o.eligibilityPolicy
    if o.orderFlow is not None:
        yield "$.spec.orderFlow", Kind.OrderFlow, o.orderFlow
    for i, category in enumerate(o.category):
        yield f"$.spec.category[{i}]", Kind.Category, category
    for i, bundled in enumerate(o.bundledProductOffering):
        yield f"$.spec.bundledProductOffering[{i}].id", Kind.ProductOffering, bundled.id
    for i, relationship in enumerate(o.productOfferingRelationship):
        yield f"$.spec.productOfferingRelationship[{i}].id", Kind.ProductOffering, relationship.id


def _price_refs(p: ProductOfferingPrice) -> Iterator[Reference]:
    if p.condition is not None:
        for i, offering in enumerate(p.condition.productOffering):
            yield f"$.spec.condition.productOffering[{i}]", Kind.ProductOffering, offering
    for i, price_id in enumerate(p.appliesTo):
        yield f"$.spec.appliesTo[{i}]", Kind.ProductOfferingPrice, price_id


def _policy_refs(p: EligibilityPolicy) -> Iterator[Reference]:
    for i, alternate in enumerate(p.alternates):
        yield f"$.spec.alternates[{i}].productOffering", Kind.ProductOffering, alternate.productOffering


def _step_refs(step: OrderFlowStep, path: str) -> Iterator[Reference]:
    yield f"{path}.serviceSpecification", Kind.ServiceSpecification, step.serviceSpecification
    if step.compensation is not None and step.compensation.serviceSpecification is not None:
        service = step.compensation.serviceSpecification
        yield f"{path}.compensation.serviceSpecification", Kind.ServiceSpecification, service
    for i, service in enumerate(step.dependsOnService):
        yield f"{path}.dependsOnService[{i}]", Kind.ServiceSpecification, service


def _flow_refs(flow: OrderFlow) -> Iterator[Reference]:
    for action, steps in flow.actions.items():
        for i, step in enumerate(steps):
            yield from _step_refs(step, f"$.spec.actions.{action}[{i}]")


def _references(entity: Entity) -> Iterator[Reference]:
    if isinstance(entity, ProductOffering):
        yield from _offering_refs(entity)
    elif isinstance(entity, ProductOfferingPrice):
        yield from _price_refs(entity)
    elif isinstance(entity, EligibilityPolicy):
        yield from _policy_refs(entity)
    elif isinstance(entity, OrderFlow):
        yield from _flow_refs(entity)
    elif isinstance(entity, Category) and entity.parentId is not None:
        yield "$.spec.parentId", Kind.Category, entity.parentId


def check_references(release: CatalogRelease) -> Iterator[SpecError]:
    """Every reference names an entity of the expected kind somewhere in the release."""
    for entity in release.entities:
        for path, kind, target in _references(entity):
            if not release.has(kind, target):
                hint = suggestion(target, release.ids(kind))
                message = f"{target!r} names no {kind} in this release{hint}"
                yield spec_error(entity, path, message, SemanticCode.UNRESOLVED_REFERENCE)


def _step_dependencies(flow: OrderFlow) -> Iterator[SpecError]:
    for action, steps in flow.actions.items():
        ids = [s.id for s in steps]
        for i, step in enumerate(steps):
            for j, dependency in enumerate(step.dependsOn):
                if dependency not in ids:
                    path = f"$.spec.actions.{action}[{i}].dependsOn[{j}]"
                    message = f"step {step.id!r} depends on {dependency!r}, not a step of {action}{suggestion(dependency, ids)}"
                    yield spec_error(flow, path, message, SemanticCode.UNRESOLVED_REFERENCE)


def _duplicates(entity: Entity, ids: Sequence[str], path: str, what: str) -> Iterator[SpecError]:
    for i, item_id in enumerate(ids):
        if item_id in ids[:i]:
            message = f"{what} {item_id!r} is declared twice"
            yield spec_error(entity, path.format(i), message, SemanticCode.DUPLICATE_ID)


def _unique_ids(entity: Entity) -> Iterator[SpecError]:
    if isinstance(entity, OrderFlow):
        for action, steps in entity.actions.items():
            path = f"$.spec.actions.{action}[{{}}].id"
            yield from _duplicates(entity, [s.id for s in steps], path, "step")
    elif isinstance(entity, EligibilityPolicy):
        yield from _duplicates(entity, [r.id for r in entity.rules], "$.spec.rules[{}].id", "rule")
    elif isinstance(entity, ProductSpecification):
        names = [c.name for c in entity.productSpecCharacteristic]
        yield from _duplicates(entity, names, "$.spec.productSpecCharacteristic[{}].name", "characteristic")
    elif isinstance(entity, ProductOffering):
        bundled = [b.id for b in entity.bundledProductOffering]
        yield from _duplicates(entity, bundled, "$.spec.bundledProductOffering[{}].id", "bundled offering")


def check_flow_steps_and_ids(release: CatalogRelease) -> Iterator[SpecError]:
    """`dependsOn` names a step of the same action list; step, rule and characteristic ids are unique."""
    for entity in release.entities:
        if isinstance(entity, OrderFlow):
            yield from _step_dependencies(entity)
        yield from _unique_ids(entity)
