"""Cycles: in `requires` across offerings, in bundles, in category parents and in each order-flow DAG."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from engine.orderflow.graph import find_cycles
from engine.spec.common import Entity
from engine.spec.flow import OrderFlow
from engine.spec.product import Category, ProductOffering, RelationshipType
from engine.spec.release import CatalogRelease
from engine.validation.report import SpecError
from engine.validation.semantic.codes import SemanticCode
from engine.validation.semantic.common import spec_error


@dataclass(frozen=True, slots=True)
class Edge:
    """`source` points at `target`, declared in `entity` at `path` (where a cycle through it is reported)."""

    source: str
    target: str
    entity: Entity
    path: str


def _cycle_errors(edges: Iterable[Edge], code: SemanticCode, what: str) -> Iterator[SpecError]:
    declared: dict[tuple[str, str], Edge] = {}
    for edge in edges:
        declared.setdefault((edge.source, edge.target), edge)
    nodes = sorted({node for pair in declared for node in pair})
    successors: dict[str, list[str]] = {}
    for source, target in sorted(declared):
        successors.setdefault(source, []).append(target)
    for cycle in find_cycles(nodes, successors):
        first = declared[(cycle[0], cycle[1])]
        message = f"{what} form a cycle: {' → '.join(cycle)}"
        yield spec_error(first.entity, first.path, message, code)


def _requires_edges(release: CatalogRelease) -> Iterator[Edge]:
    for o in release.all(ProductOffering):
        for i, r in enumerate(o.productOfferingRelationship):
            if r.relationshipType is RelationshipType.requires:
                yield Edge(o.id, r.id, o, f"$.spec.productOfferingRelationship[{i}].id")


def _bundle_edges(release: CatalogRelease) -> Iterator[Edge]:
    for o in release.all(ProductOffering):
        for i, b in enumerate(o.bundledProductOffering):
            yield Edge(o.id, b.id, o, f"$.spec.bundledProductOffering[{i}].id")


def _category_edges(release: CatalogRelease) -> Iterator[Edge]:
    for c in release.all(Category):
        if c.parentId is not None:
            yield Edge(c.id, c.parentId, c, "$.spec.parentId")


def _flow_cycles(flow: OrderFlow) -> Iterator[SpecError]:
    # A step runs after what it depends on; the edge is drawn from the dependant so the cycle reads as
    # "a waits for b waits for a", located at the first dependsOn entry that closes it.
    for action, steps in flow.actions.items():
        edges = [
            Edge(step.id, dependency, flow, f"$.spec.actions.{action}[{i}].dependsOn[{j}]")
            for i, step in enumerate(steps)
            for j, dependency in enumerate(step.dependsOn)
        ]
        yield from _cycle_errors(edges, SemanticCode.ORDER_FLOW_CYCLE, f"the {action} steps of {flow.id}")


def check_cycles(release: CatalogRelease) -> Iterator[SpecError]:
    """No offering requires itself, no bundle contains itself, no category is its own ancestor, flows are DAGs."""
    yield from _cycle_errors(_requires_edges(release), SemanticCode.REQUIRES_CYCLE, "requires relationships")
    yield from _cycle_errors(_bundle_edges(release), SemanticCode.BUNDLE_CYCLE, "bundled offerings")
    yield from _cycle_errors(_category_edges(release), SemanticCode.CATEGORY_CYCLE, "category parents")
    for flow in release.all(OrderFlow):
        yield from _flow_cycles(flow)
