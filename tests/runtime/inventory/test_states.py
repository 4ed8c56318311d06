"""The TMF637 product states and their one transition table."""

from __future__ import annotations

import pytest

from runtime.inventory.states import TRANSITIONS, InvalidTransition, ProductStatus, held_statuses, transition
from runtime.tmf.contract import swagger

S = ProductStatus


def test_the_states_are_the_tmf637_product_states() -> None:
    official = swagger("TMF637")["definitions"]["ProductStatusType"]["enum"]
    assert {value.strip() for value in official} == {s.value for s in ProductStatus}
    assert set(TRANSITIONS) == {None, *ProductStatus}


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (None, S.created),
        (None, S.active),
        (S.created, S.pendingActive),
        (S.created, S.cancelled),
        (S.pendingActive, S.active),
        (S.pendingActive, S.aborted),
        (S.active, S.suspended),
        (S.suspended, S.active),
        (S.active, S.pendingTerminate),
        (S.pendingTerminate, S.terminated),
        (S.pendingTerminate, S.active),
        (S.suspended, S.terminated),
    ],
)
def test_lifecycle_moves_are_allowed(current: ProductStatus | None, target: ProductStatus) -> None:
    assert transition(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (None, S.terminated),
        (None, S.suspended),
        (S.created, S.suspended),
        (S.active, S.created),
        (S.active, S.active),
        (S.active, S.cancelled),
        (S.suspended, S.pendingActive),
        (S.terminated, S.active),
        (S.cancelled, S.pendingActive),
        (S.aborted, S.created),
    ],
)
def test_other_moves_are_refused_with_a_409(current: ProductStatus | None, target: ProductStatus) -> None:
    with pytest.raises(InvalidTransition) as refused:
        transition(current, target)
    assert refused.value.status == 409 and refused.value.code == "INVALID_STATE_TRANSITION"
    assert target.value in refused.value.message


def test_terminated_cancelled_and_aborted_are_final_and_every_state_is_reachable() -> None:
    assert {s for s, nexts in TRANSITIONS.items() if not nexts} == {S.terminated, S.cancelled, S.aborted}
    reached: set[ProductStatus] = set()
    frontier: list[ProductStatus | None] = [None]
    while frontier:
        for target in TRANSITIONS[frontier.pop()] - reached:
            reached.add(target)
            frontier.append(target)
    assert reached == set(ProductStatus)
    assert held_statuses() == {S.active, S.suspended}
