"""The one transition table of catalog lifecycle statuses (TMF620 user guide), and the only way through it.

Happy path: inStudy -> inDesign -> inTest -> active -> launched -> retired -> obsolete.
inStudy, inDesign and inTest may end in rejected.

Decisions beyond the guide's happy path:
- Rework goes back one step: inDesign -> inStudy and inTest -> inDesign. A design that fails its tests is
  reworked, not rejected and re-created under a new id.
- active -> retired directly: an offering that was made available but never launched to the market can be
  withdrawn without pretending it was launched.
- rejected and obsolete are terminal: a rejected idea comes back as a new entity; an obsolete offering has
  no holders left to serve.
- Nothing goes back once active: customers may hold it, so a change is a new version, not a redesign.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.errors import EngineError
from engine.spec.common import LifecycleStatus

S = LifecycleStatus

TRANSITIONS: Mapping[LifecycleStatus, tuple[LifecycleStatus, ...]] = {
    S.inStudy: (S.inDesign, S.rejected),
    S.inDesign: (S.inTest, S.inStudy, S.rejected),
    S.inTest: (S.active, S.inDesign, S.rejected),
    S.active: (S.launched, S.retired),
    S.launched: (S.retired,),
    S.retired: (S.obsolete,),
    S.obsolete: (),
    S.rejected: (),
}


class LifecycleTransitionError(EngineError):
    """A status change the transition table does not allow."""

    code = "INVALID_LIFECYCLE_TRANSITION"
    status = 409

    def __init__(self, current: LifecycleStatus, target: LifecycleStatus) -> None:
        allowed = allowed_transitions(current)
        options = ", ".join(allowed) if allowed else f"none: {current} is final"
        super().__init__(f"cannot go from {current} to {target}; allowed: {options}")
        self.current = current
        self.target = target
        self.allowed = allowed


def allowed_transitions(current: LifecycleStatus) -> tuple[LifecycleStatus, ...]:
    """The statuses `current` may move to, in the table's order."""
    return TRANSITIONS[current]


def transition(current: LifecycleStatus, target: LifecycleStatus) -> LifecycleStatus:
    """`target` when the table allows the move; a move to the same status is not a transition."""
    if target not in TRANSITIONS[current]:
        raise LifecycleTransitionError(current, target)
    return target


def is_sellable(status: LifecycleStatus) -> bool:
    """Only active and launched offerings can be ordered."""
    return status in LifecycleStatus.sellable()


def is_held(status: LifecycleStatus) -> bool:
    """Customers may still hold an offering in this status: it was sold and is not yet obsolete."""
    return status in (S.active, S.launched, S.retired)
