from __future__ import annotations

import pytest

from engine.errors import EngineError
from engine.lifecycle import (
    TRANSITIONS,
    LifecycleTransitionError,
    allowed_transitions,
    is_held,
    is_sellable,
    transition,
)
from engine.spec.common import LifecycleStatus as S

HAPPY_PATH = [S.inStudy, S.inDesign, S.inTest, S.active, S.launched, S.retired, S.obsolete]


def test_the_happy_path_goes_from_study_to_obsolete() -> None:
    status = HAPPY_PATH[0]
    for target in HAPPY_PATH[1:]:
        status = transition(status, target)
    assert status is S.obsolete


@pytest.mark.parametrize(("current", "target"), [(S.inDesign, S.inStudy), (S.inTest, S.inDesign)])
def test_rework_steps_back_one_stage(current: S, target: S) -> None:
    assert transition(current, target) is target


def test_an_active_offering_can_be_retired_without_being_launched() -> None:
    assert transition(S.active, S.retired) is S.retired


@pytest.mark.parametrize("current", [S.inStudy, S.inDesign, S.inTest])
def test_work_in_progress_can_be_rejected(current: S) -> None:
    assert transition(current, S.rejected) is S.rejected


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.inStudy, S.active),
        (S.active, S.inDesign),
        (S.launched, S.active),
        (S.retired, S.launched),
        (S.obsolete, S.retired),
        (S.rejected, S.inStudy),
        (S.active, S.rejected),
        (S.launched, S.launched),
    ],
)
def test_a_transition_outside_the_table_is_refused_with_the_allowed_targets(current: S, target: S) -> None:
    with pytest.raises(LifecycleTransitionError) as raised:
        transition(current, target)

    error = raised.value
    assert isinstance(error, EngineError)
    assert (error.code, error.status) == ("INVALID_LIFECYCLE_TRANSITION", 409)
    assert error.allowed == allowed_transitions(current)
    assert f"cannot go from {current} to {target}" in error.message


def test_the_refusal_lists_what_is_allowed() -> None:
    with pytest.raises(LifecycleTransitionError, match="allowed: launched, retired"):
        transition(S.active, S.obsolete)
    with pytest.raises(LifecycleTransitionError, match="allowed: none: obsolete is final"):
        transition(S.obsolete, S.retired)


def test_every_status_has_a_row_in_the_table() -> None:
    assert set(TRANSITIONS) == set(S)
    assert all(target in S for targets in TRANSITIONS.values() for target in targets)


def test_only_active_and_launched_are_sellable() -> None:
    assert [s for s in S if is_sellable(s)] == [S.active, S.launched]


def test_customers_may_hold_active_launched_and_retired_offerings() -> None:
    assert [s for s in S if is_held(s)] == [S.active, S.launched, S.retired]
