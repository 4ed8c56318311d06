"""Small directed graphs: cycles and a deterministic topological order.

Order flows, order plans, `requires`, bundles and categories are all small graphs; one implementation serves
them all. Results depend only on the order of the input sequences (no set is iterated), so a Temporal
workflow replaying a plan gets the same answer every time.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


class CycleError(ValueError):
    """The graph has a cycle; `cycle` is a closed path `a, b, ..., a`."""

    def __init__(self, cycle: Sequence[Hashable]) -> None:
        super().__init__(" → ".join(str(node) for node in cycle))
        self.cycle = tuple(cycle)


def _edges_within(nodes: Sequence[N], successors: Mapping[N, Sequence[N]]) -> dict[N, list[N]]:
    # Edges to nodes outside the graph are the callers' business (an unresolved reference, reported apart).
    known = dict.fromkeys(nodes)
    return {node: [s for s in successors.get(node, ()) if s in known] for node in nodes}


def strongly_connected_components(nodes: Sequence[N], successors: Mapping[N, Sequence[N]]) -> list[list[N]]:
    """Tarjan's algorithm, iterative so deep graphs cannot exhaust the stack."""
    edges = _edges_within(nodes, successors)
    index: dict[N, int] = {}
    low: dict[N, int] = {}
    stack: list[N] = []
    on_stack: dict[N, bool] = {}
    components: list[list[N]] = []

    def visit(node: N) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack[node] = True

    for root in nodes:
        if root in index:
            continue
        visit(root)
        work: list[tuple[N, int]] = [(root, 0)]
        while work:
            node, position = work[-1]
            if position < len(edges[node]):
                work[-1] = (node, position + 1)
                child = edges[node][position]
                if child not in index:
                    visit(child)
                    work.append((child, 0))
                elif on_stack.get(child):
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[N] = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


def _shortest_cycle_through(start: N, edges: Mapping[N, list[N]], members: Mapping[N, None]) -> tuple[N, ...]:
    parent: dict[N, N] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in edges[node]:
            if child not in members:
                continue
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return (*reversed(path), start)
            if child not in parent:
                parent[child] = node
                queue.append(child)
    raise AssertionError(f"{start!r} is on no cycle of its component")


def find_cycles(nodes: Sequence[N], successors: Mapping[N, Sequence[N]]) -> list[tuple[N, ...]]:
    """One cycle per strongly connected component that has one, from its earliest-listed node, shortest first."""
    edges = _edges_within(nodes, successors)
    position = {node: i for i, node in enumerate(nodes)}
    cycles: list[tuple[N, ...]] = []
    for component in strongly_connected_components(nodes, successors):
        start = min(component, key=position.__getitem__)
        if len(component) > 1 or start in edges[start]:
            cycles.append(_shortest_cycle_through(start, edges, dict.fromkeys(component)))
    return sorted(cycles, key=lambda cycle: position[cycle[0]])


def topological_order(nodes: Sequence[N], successors: Mapping[N, Sequence[N]]) -> tuple[N, ...]:
    """Kahn's algorithm taking the earliest-listed ready node first; raises CycleError on a cycle."""
    edges = _edges_within(nodes, successors)
    position = {node: i for i, node in enumerate(nodes)}
    indegree = dict.fromkeys(nodes, 0)
    for node in nodes:
        for child in edges[node]:
            indegree[child] += 1
    ready = [position[node] for node in nodes if indegree[node] == 0]
    heapq.heapify(ready)
    order: list[N] = []
    while ready:
        node = nodes[heapq.heappop(ready)]
        order.append(node)
        for child in edges[node]:
            indegree[child] -= 1
            if indegree[child] == 0:
                heapq.heappush(ready, position[child])
    if len(order) < len(nodes):
        raise CycleError(find_cycles(nodes, successors)[0])
    return tuple(order)
