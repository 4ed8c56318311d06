from __future__ import annotations

import pytest

from engine.errors import EngineError
from engine.ordering.states import (
    CANCEL_TRANSITIONS,
    ITEM_TRANSITIONS,
    ORDER_TRANSITIONS,
    CancelState,
    IllegalOrderTransition,
    ItemState,
    OrderState,
    allowed_transitions,
    final_item_states,
    final_states,
    in_flight_states,
    transition,
)

O = OrderState  # noqa: E741 - short, as in the table


def test_every_state_has_a_row_in_its_table() -> None:
    assert set(ORDER_TRANSITIONS) == {None, *OrderState}
    assert set(ITEM_TRANSITIONS) == {None, *ItemState}
    assert set(CANCEL_TRANSITIONS) == {None, *CancelState}
    for table in (ORDER_TRANSITIONS, ITEM_TRANSITIONS, CANCEL_TRANSITIONS):
        for nexts in table.values():
            assert all(type(state) is type(next(iter(nexts))) for state in nexts)


def test_the_happy_path_goes_from_acknowledged_to_completed() -> None:
    state = transition(None, O.acknowledged)
    for target in (O.inProgress, O.held, O.inProgress, O.completed):
        state = transition(state, target)
    assert state is O.completed


def test_a_cancellation_is_assessed_then_pending_then_cancelled() -> None:
    state = O.inProgress
    for target in (O.assessingCancellation, O.pendingCancellation, O.cancelled):
        state = transition(state, target)
    assert state is O.cancelled


def test_a_refused_cancellation_returns_the_order_to_where_it_was() -> None:
    assert transition(O.assessingCancellation, O.inProgress) is O.inProgress


def test_a_capture_stores_only_acknowledged_or_rejected() -> None:
    assert ORDER_TRANSITIONS[None] == {O.acknowledged, O.rejected}
    with pytest.raises(IllegalOrderTransition, match="a new product order cannot become completed"):
        transition(None, O.completed)


@pytest.mark.parametrize("final", sorted(final_states()))
def test_a_final_order_goes_nowhere(final: OrderState) -> None:
    assert allowed_transitions(final) == frozenset()
    with pytest.raises(IllegalOrderTransition) as raised:
        transition(final, O.inProgress)
    assert raised.value.status == 409
    assert raised.value.code == "INVALID_STATE_TRANSITION"
    assert "it is final" in str(raised.value)


def test_an_illegal_move_is_an_engine_error_naming_the_allowed_states() -> None:
    with pytest.raises(EngineError, match="allowed: cancelled"):
        transition(O.pendingCancellation, O.inProgress)


def test_a_move_to_the_same_state_is_no_move() -> None:
    assert transition(O.completed, O.completed) is O.completed
    assert transition(ItemState.held, ItemState.held) is ItemState.held


def test_items_have_their_own_table() -> None:
    assert transition(ItemState.inProgress, ItemState.completed) is ItemState.completed
    with pytest.raises(IllegalOrderTransition, match="product order item in state completed"):
        transition(ItemState.completed, ItemState.inProgress)


def test_a_cancellation_request_ends_done_or_with_an_error() -> None:
    state = transition(None, CancelState.inProgress)
    assert transition(state, CancelState.done) is CancelState.done
    assert transition(state, CancelState.terminatedWithError) is CancelState.terminatedWithError
    with pytest.raises(IllegalOrderTransition, match="cancellation request"):
        transition(CancelState.done, CancelState.inProgress)


def test_named_sets() -> None:
    assert final_states() == {O.rejected, O.cancelled, O.completed, O.failed, O.partial}
    assert in_flight_states() == {
        O.acknowledged,
        O.inProgress,
        O.pending,
        O.held,
        O.assessingCancellation,
        O.pendingCancellation,
    }
    assert final_item_states() == {
        ItemState.rejected,
        ItemState.cancelled,
        ItemState.completed,
        ItemState.failed,
    }


def test_states_are_the_tmf622_enumerations() -> None:
    from runtime.tmf.contract import swagger

    definitions = swagger("TMF622")["definitions"]
    assert {s.value for s in OrderState} == set(definitions["ProductOrderStateType"]["enum"])
    assert {s.value for s in ItemState} == set(definitions["ProductOrderItemStateType"]["enum"])
    assert {s.value for s in CancelState} == set(definitions["TaskStateType"]["enum"])
