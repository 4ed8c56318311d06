from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.errors import PlanError, UnknownEntityError
from engine.facts import ItemAction
from engine.orderflow import OrderPlan, PlanItem, amend, plan_order
from engine.orderflow.graph import CycleError, find_cycles, topological_order
from engine.spec.common import Entity
from engine.spec.flow import Compensation, OrderFlow, OrderFlowStep, ServiceAction
from engine.spec.product import ProductOffering
from engine.spec.release import CatalogRelease, ReleaseManifest

NOW = datetime(2026, 3, 1, tzinfo=UTC)
ADD, DELETE = ItemAction.add, ItemAction.delete
UNDO = Compensation(ServiceAction.delete)


def _release(*entities: Entity) -> CatalogRelease:
    manifest = ReleaseManifest(id="r", version="1", name="r", effectiveDate=datetime(2026, 1, 1, tzinfo=UTC))
    return CatalogRelease(manifest=manifest, entities=entities, contentHash="r")


def _flow(flow_id: str, *steps: OrderFlowStep, action: ItemAction = ADD) -> OrderFlow:
    return OrderFlow(id=flow_id, version="1", name=flow_id, actions={action: steps})


def _offering(offering_id: str, flow: str | None) -> ProductOffering:
    return ProductOffering(id=offering_id, version="1", name=offering_id, orderFlow=flow)


FIBRE_FLOW = _flow(
    "fibre-provisioning",
    OrderFlowStep("reserve-port", "Reserve port", "rfs-olt-port", compensation=UNDO),
    OrderFlowStep(
        "install-ont", "Install ONT", "cfs-internet-access", dependsOn=("reserve-port",), pointOfNoReturn=True
    ),
    OrderFlowStep(
        "configure-cpe", "Configure router", "rfs-cpe", dependsOn=("reserve-port",), compensation=UNDO
    ),
)
TV_FLOW = _flow(
    "tv-provisioning",
    OrderFlowStep(
        "activate-tv", "Activate TV", "cfs-tv", dependsOnService=("cfs-internet-access",), compensation=UNDO
    ),
)
RELEASE = _release(
    FIBRE_FLOW,
    TV_FLOW,
    _offering("fibre-500", "fibre-provisioning"),
    _offering("tv-addon", "tv-provisioning"),
    _offering("converged-home", None),
)
ITEMS = (
    PlanItem("1", "converged-home", ADD),
    PlanItem("2", "fibre-500", ADD),
    PlanItem("3", "tv-addon", ADD),
)


def _plan(*items: PlanItem, release: CatalogRelease = RELEASE) -> OrderPlan:
    return plan_order(release, items or ITEMS, NOW)


def test_steps_of_all_items_form_one_plan_in_dependency_order() -> None:
    plan = _plan()

    assert plan.order == ("2/reserve-port", "2/install-ont", "2/configure-cpe", "3/activate-tv")
    assert plan.step("2/install-ont").predecessors == ("2/reserve-port",)
    assert plan.step("3/activate-tv").predecessors == ("2/install-ont",)


def test_offering_without_order_flow_contributes_no_steps() -> None:
    assert _plan(PlanItem("1", "converged-home", ADD)).steps == ()


def test_depends_on_service_waits_only_for_other_items() -> None:
    # The same service provisioned by the item itself is its own business (dependsOn), not a cross-item wait.
    self_serving = _flow(
        "tv-provisioning",
        OrderFlowStep("line", "Line", "cfs-internet-access"),
        OrderFlowStep("activate-tv", "TV", "cfs-tv", dependsOnService=("cfs-internet-access",)),
    )
    release = replace(RELEASE, entities=(FIBRE_FLOW, self_serving, *RELEASE.entities[2:]))

    assert _plan(PlanItem("3", "tv-addon", ADD), release=release).step("3/activate-tv").predecessors == ()
    plan = _plan(PlanItem("2", "fibre-500", ADD), PlanItem("3", "tv-addon", ADD), release=release)
    assert plan.step("3/activate-tv").predecessors == ("2/install-ont",)


def test_a_service_no_other_item_provides_adds_no_wait() -> None:
    assert _plan(PlanItem("3", "tv-addon", ADD)).step("3/activate-tv").predecessors == ()


def test_the_item_action_picks_the_flow_steps() -> None:
    flow = replace(
        FIBRE_FLOW, actions={**FIBRE_FLOW.actions, DELETE: (OrderFlowStep("cease", "Cease", "cfs-x"),)}
    )
    release = replace(RELEASE, entities=(flow, *RELEASE.entities[1:]))

    assert _plan(PlanItem("9", "fibre-500", DELETE), release=release).order == ("9/cease",)


def test_ready_steps_are_those_whose_predecessors_are_done() -> None:
    plan = _plan()

    assert [s.id for s in plan.ready(set())] == ["2/reserve-port"]
    assert [s.id for s in plan.ready({"2/reserve-port"})] == ["2/install-ont", "2/configure-cpe"]
    assert [s.id for s in plan.ready({"2/reserve-port", "2/install-ont"})] == [
        "2/configure-cpe",
        "3/activate-tv",
    ]
    assert plan.ready(set(plan.order)) == ()


def test_a_done_set_naming_an_unknown_step_is_refused() -> None:
    with pytest.raises(PlanError, match="no step '9/x'"):
        _plan().ready({"9/x"})


def test_point_of_no_return_steps_are_listed_and_end_cancellation() -> None:
    plan = _plan()

    assert [s.id for s in plan.point_of_no_return_steps] == ["2/install-ont"]
    assert plan.is_cancellable({"2/reserve-port", "2/configure-cpe"})
    assert not plan.is_cancellable({"2/reserve-port", "2/install-ont"})


def test_compensation_plan_undoes_completed_steps_dependants_first() -> None:
    plan = _plan()
    done = {"2/reserve-port", "2/install-ont", "2/configure-cpe", "3/activate-tv"}

    # install-ont has no compensation: skipped; reserve-port is undone last, after what depends on it.
    assert [s.id for s in plan.compensation_plan(done)] == [
        "3/activate-tv",
        "2/configure-cpe",
        "2/reserve-port",
    ]
    assert [s.id for s in plan.compensation_plan({"2/reserve-port"})] == ["2/reserve-port"]
    assert plan.step("2/reserve-port").compensation_service == "rfs-olt-port"


def test_cycle_across_items_raises_naming_the_cycle() -> None:
    waiting_fibre = replace(
        FIBRE_FLOW,
        actions={
            ADD: (
                OrderFlowStep("install-ont", "Install", "cfs-internet-access", dependsOnService=("cfs-tv",)),
            )
        },
    )
    release = replace(RELEASE, entities=(waiting_fibre, *RELEASE.entities[1:]))

    with pytest.raises(PlanError, match="cycle: 2/install-ont → 3/activate-tv → 2/install-ont") as raised:
        _plan(release=release)
    assert raised.value.code == "INVALID_PLAN"


def test_duplicate_item_ids_are_refused() -> None:
    with pytest.raises(PlanError, match="item '2' appears twice"):
        _plan(PlanItem("2", "fibre-500", ADD), PlanItem("2", "tv-addon", ADD))


def test_unknown_offering_is_refused() -> None:
    with pytest.raises(UnknownEntityError):
        _plan(PlanItem("1", "nothing", ADD))


def test_independent_steps_keep_their_declared_order() -> None:
    swapped = replace(FIBRE_FLOW, actions={ADD: tuple(reversed(FIBRE_FLOW.steps(ADD)))})
    release = replace(RELEASE, entities=(swapped, *RELEASE.entities[1:]))

    # configure-cpe is now declared before install-ont; both only wait for reserve-port.
    assert _plan(PlanItem("2", "fibre-500", ADD), release=release).order == (
        "2/reserve-port",
        "2/configure-cpe",
        "2/install-ont",
    )


def test_amendment_replans_only_changed_items() -> None:
    plan = _plan(PlanItem("2", "fibre-500", ADD), PlanItem("3", "tv-addon", ADD))
    amended = (PlanItem("2", "fibre-500", ADD), PlanItem("4", "tv-addon", ADD))

    diff = amend(plan, amended)

    assert [s.id for s in diff.unchanged] == ["2/reserve-port", "2/install-ont", "2/configure-cpe"]
    assert [s.id for s in diff.added] == ["4/activate-tv"]
    assert [s.id for s in diff.removed] == ["3/activate-tv"]
    assert diff.plan == plan_order(RELEASE, amended, NOW)
    assert [s.id for s in diff.compensations({"2/reserve-port", "3/activate-tv"})] == ["3/activate-tv"]


def test_amendment_changing_an_items_action_replaces_its_steps() -> None:
    flow = replace(
        FIBRE_FLOW, actions={**FIBRE_FLOW.actions, DELETE: (OrderFlowStep("cease", "Cease", "cfs-x"),)}
    )
    release = replace(RELEASE, entities=(flow, *RELEASE.entities[1:]))
    plan = _plan(PlanItem("2", "fibre-500", ADD), release=release)

    diff = amend(plan, [PlanItem("2", "fibre-500", DELETE)])

    assert [s.id for s in diff.added] == ["2/cease"]
    assert [s.id for s in diff.removed] == ["2/reserve-port", "2/install-ont", "2/configure-cpe"]
    assert diff.unchanged == ()


# --- the graph underneath, on random DAGs ------------------------------------------------------------------


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[str], dict[str, list[str]]]:
    """A random DAG: edges only go from a lower rank to a higher one, nodes listed in a random order."""
    size = draw(st.integers(min_value=1, max_value=12))
    ranked = [f"n{i}" for i in range(size)]
    edges = {ranked[i]: [ranked[j] for j in range(i + 1, size) if draw(st.booleans())] for i in range(size)}
    return draw(st.permutations(ranked)), edges


@given(dags())
def test_topological_order_respects_every_edge(dag: tuple[list[str], dict[str, list[str]]]) -> None:
    nodes, edges = dag

    order = topological_order(nodes, edges)

    position = {node: i for i, node in enumerate(order)}
    assert sorted(order) == sorted(nodes)
    assert all(position[a] < position[b] for a in edges for b in edges[a])
    assert find_cycles(nodes, edges) == []


@given(dags(), st.data())
def test_an_added_back_edge_is_found_as_a_cycle(
    dag: tuple[list[str], dict[str, list[str]]], data: st.DataObject
) -> None:
    nodes, edges = dag
    pairs = [(a, b) for a in edges for b in edges[a]]
    if not pairs:
        return
    a, b = data.draw(st.sampled_from(pairs))
    edges = {**edges, b: [*edges[b], a]}

    with pytest.raises(CycleError) as raised:
        topological_order(nodes, edges)
    cycle = raised.value.cycle
    assert cycle[0] == cycle[-1]
    assert all(cycle[i + 1] in edges[cycle[i]] for i in range(len(cycle) - 1))


@st.composite
def flows(draw: st.DrawFn) -> tuple[OrderFlow, set[str]]:
    """A random flow whose steps depend on earlier-ranked ones, declared in a random order, and a done-set."""
    size = draw(st.integers(min_value=1, max_value=9))
    steps = [
        OrderFlowStep(
            f"s{i}",
            f"step {i}",
            f"svc-{i}",
            dependsOn=tuple(f"s{j}" for j in range(i) if draw(st.booleans())),
            compensation=UNDO if draw(st.booleans()) else None,
        )
        for i in range(size)
    ]
    declared = draw(st.permutations(steps))
    done = draw(st.sets(st.sampled_from([f"1/s{i}" for i in range(size)])))
    return _flow("random", *declared), done


def _reaches(plan: OrderPlan, start: str, target: str) -> bool:
    pending, seen = [start], set()
    while pending:
        node = pending.pop()
        if node == target:
            return True
        seen.add(node)
        pending += [p for p in plan.step(node).predecessors if p not in seen]
    return False


@given(flows())
def test_compensation_order_is_the_reverse_dependency_order(
    flow_and_done: tuple[OrderFlow, set[str]],
) -> None:
    flow, done = flow_and_done
    plan = plan_order(_release(flow, _offering("o", "random")), [PlanItem("1", "o", ADD)], NOW)

    undo = [s.id for s in plan.compensation_plan(done)]

    assert set(undo) == {s.id for s in plan.steps if s.id in done and s.step.compensation}
    # A step is undone before every step it depends on, directly or through steps without compensation.
    for i, later in enumerate(undo):
        assert not any(_reaches(plan, later, earlier) for earlier in undo[:i])
    position = {node: i for i, node in enumerate(plan.order)}
    assert all(position[p] < position[s.id] for s in plan.steps for p in s.predecessors)


def test_flow_step_depending_on_a_missing_step_is_refused() -> None:
    broken = _flow(
        "tv-provisioning", OrderFlowStep("activate-tv", "TV", "cfs-tv", dependsOn=("pair-remote",))
    )
    release = replace(RELEASE, entities=(FIBRE_FLOW, broken, *RELEASE.entities[2:]))

    with pytest.raises(PlanError, match="depends on 'pair-remote', which its flow tv-provisioning lacks"):
        _plan(PlanItem("3", "tv-addon", ADD), release=release)


def test_flow_declaring_a_step_id_twice_is_refused() -> None:
    step = OrderFlowStep("activate-tv", "TV", "cfs-tv")
    release = replace(
        RELEASE, entities=(FIBRE_FLOW, _flow("tv-provisioning", step, step), *RELEASE.entities[2:])
    )

    with pytest.raises(PlanError, match="step 3/activate-tv appears twice"):
        _plan(PlanItem("3", "tv-addon", ADD), release=release)
