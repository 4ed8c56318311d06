"""The plan of one order: every item's order-flow steps in one DAG, and what to run, or undo, next.

A plan is a pure function of the release, the items and the moment: Temporal workflows rebuild it on replay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import datetime

from engine.errors import PlanError
from engine.facts import ItemAction
from engine.orderflow.graph import CycleError, topological_order
from engine.spec.flow import OrderFlowStep
from engine.spec.release import CatalogRelease


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One order item, as far as planning cares: which offering, and what is done to it."""

    itemId: str
    productOffering: str
    action: ItemAction = ItemAction.add


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """One step of one item; `id` is `"{itemId}/{stepId}"`, unique in the order."""

    id: str
    itemId: str
    productOffering: str
    step: OrderFlowStep
    predecessors: tuple[str, ...]
    action: ItemAction
    orderFlow: str

    @property
    def compensation_service(self) -> str | None:
        """The service specification the compensation acts on, or None when the step has no compensation."""
        if self.step.compensation is None:
            return None
        return self.step.compensation.serviceSpecification or self.step.serviceSpecification


@dataclass(frozen=True)
class OrderPlan:
    """The steps of an order in a deterministic topological order (earliest item and step first)."""

    items: tuple[PlanItem, ...]
    steps: tuple[PlannedStep, ...]
    at: datetime
    # The release the order was captured with: an amendment is planned against it, not a newer one.
    release: CatalogRelease = field(repr=False, compare=False)
    # Steps in declaration order (items as given, steps as in their flow); it breaks ties in the order.
    _declared: tuple[PlannedStep, ...] = field(repr=False)
    _by_id: Mapping[str, PlannedStep] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {s.id: s for s in self.steps})

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.steps)

    def step(self, node_id: str) -> PlannedStep:
        try:
            return self._by_id[node_id]
        except KeyError:
            raise PlanError(f"the plan has no step {node_id!r}") from None

    def _known(self, ids: Set[str]) -> Set[str]:
        # A done-set naming a step the plan does not have is a caller bug: fail loudly, never skip it.
        for node_id in sorted(ids):
            self.step(node_id)
        return ids

    def ready(self, done: Set[str]) -> tuple[PlannedStep, ...]:
        """Steps not done whose predecessors are all done, in plan order."""
        self._known(done)
        return tuple(s for s in self.steps if s.id not in done and all(p in done for p in s.predecessors))

    @property
    def point_of_no_return_steps(self) -> tuple[PlannedStep, ...]:
        return tuple(s for s in self.steps if s.step.pointOfNoReturn)

    def is_cancellable(self, started: Set[str]) -> bool:
        """Whether the order may still be cancelled: no point-of-no-return step was sent to the OSS."""
        self._known(started)
        return not any(s.id in started for s in self.point_of_no_return_steps)

    def compensation_plan(self, done: Set[str]) -> tuple[PlannedStep, ...]:
        """Completed steps that have a compensation, dependants first (reverse plan order)."""
        self._known(done)
        return tuple(s for s in reversed(self.steps) if s.id in done and s.step.compensation is not None)


@dataclass(frozen=True)
class PlanDiff:
    """What an amendment changes: the new plan, and its steps sorted into added, removed and unchanged."""

    plan: OrderPlan
    added: tuple[PlannedStep, ...]
    removed: tuple[PlannedStep, ...]
    unchanged: tuple[PlannedStep, ...]

    def compensations(self, done: Set[str]) -> tuple[PlannedStep, ...]:
        """Removed steps already done that must be undone, dependants first."""
        return tuple(s for s in reversed(self.removed) if s.id in done and s.step.compensation is not None)


def _item_steps(release: CatalogRelease, item: PlanItem, at: datetime) -> tuple[PlannedStep, ...]:
    offering = release.offering(item.productOffering, at)
    if offering.orderFlow is None:
        return ()  # a bundle's own item, typically: its components carry the work
    flow = release.order_flow(offering.orderFlow, at)
    return tuple(
        PlannedStep(
            id=f"{item.itemId}/{step.id}",
            itemId=item.itemId,
            productOffering=item.productOffering,
            step=step,
            predecessors=(),
            action=item.action,
            orderFlow=flow.id,
        )
        for step in flow.steps(item.action)
    )


def _predecessors(step: PlannedStep, providers: Mapping[str, list[PlannedStep]], ids: Set[str]) -> list[str]:
    found: list[str] = []
    for dependency in step.step.dependsOn:
        node_id = f"{step.itemId}/{dependency}"
        if node_id not in ids:
            raise PlanError(
                f"step {step.id} depends on {dependency!r}, which its flow {step.orderFlow} lacks"
            )
        found.append(node_id)
    for service in step.step.dependsOnService:
        found += [p.id for p in providers.get(service, []) if p.itemId != step.itemId]
    return list(dict.fromkeys(found))


def _assemble(
    release: CatalogRelease, at: datetime, items: tuple[PlanItem, ...], declared: Sequence[PlannedStep]
) -> OrderPlan:
    ids = [s.id for s in declared]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise PlanError(f"step {duplicate} appears twice in the order")
    providers: dict[str, list[PlannedStep]] = {}
    for s in declared:
        providers.setdefault(s.step.serviceSpecification, []).append(s)
    known = frozenset(ids)
    linked = tuple(replace(s, predecessors=tuple(_predecessors(s, providers, known))) for s in declared)
    successors: dict[str, list[str]] = {s.id: [] for s in linked}
    for s in linked:
        for p in s.predecessors:
            successors[p].append(s.id)
    try:
        order = topological_order(ids, successors)
    except CycleError as cycle:
        raise PlanError(f"the steps of the order form a cycle: {cycle}") from None
    by_id = {s.id: s for s in linked}
    return OrderPlan(items, tuple(by_id[i] for i in order), at, release, linked)


def _refuse_duplicate_items(items: Sequence[PlanItem]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.itemId in seen:
            raise PlanError(f"item {item.itemId!r} appears twice in the order")
        seen.add(item.itemId)


def plan_order(release: CatalogRelease, items: Sequence[PlanItem], at: datetime) -> OrderPlan:
    """One DAG over the steps of all items; raises PlanError naming the cycle when there is one."""
    _refuse_duplicate_items(items)
    declared = [s for item in items for s in _item_steps(release, item, at)]
    return _assemble(release, at, tuple(items), declared)


def amend(plan: OrderPlan, new_items: Sequence[PlanItem]) -> PlanDiff:
    """Re-plan an amended order: unchanged items keep their steps, only changed or new items are re-planned."""
    _refuse_duplicate_items(new_items)
    old_items = {item.itemId: item for item in plan.items}
    unchanged_ids = {item.itemId for item in new_items if old_items.get(item.itemId) == item}
    kept = {s.id: replace(s, predecessors=()) for s in plan._declared if s.itemId in unchanged_ids}
    declared: list[PlannedStep] = []
    for item in new_items:
        if item.itemId in unchanged_ids:
            declared += [s for s in kept.values() if s.itemId == item.itemId]
        else:
            declared += _item_steps(plan.release, item, plan.at)
    new_plan = _assemble(plan.release, plan.at, tuple(new_items), declared)
    return PlanDiff(
        plan=new_plan,
        added=tuple(s for s in new_plan.steps if s.itemId not in unchanged_ids),
        removed=tuple(s for s in plan.steps if s.itemId not in unchanged_ids),
        unchanged=tuple(s for s in new_plan.steps if s.itemId in unchanged_ids),
    )
