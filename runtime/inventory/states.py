"""The TMF637 product states and the one transition table every status change goes through."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from runtime.api.errors import ApiError


class ProductStatus(StrEnum):
    created = "created"
    pendingActive = "pendingActive"
    active = "active"
    pendingTerminate = "pendingTerminate"
    terminated = "terminated"
    suspended = "suspended"
    cancelled = "cancelled"
    # The TMF637 v4.0.0 swagger spells this "aborted " (with a space), a typo the user guide does not
    # have; the API uses "aborted", so an aborted product is the one body that breaks that enum.
    aborted = "aborted"


# None is "no product yet": the states a product may be created in. A product is created `created` by
# an order, or directly `active` when migrated; `pendingTerminate` may return to `active` when the
# termination is withdrawn; terminated, cancelled and aborted are final.
TRANSITIONS: Mapping[ProductStatus | None, frozenset[ProductStatus]] = {
    None: frozenset({ProductStatus.created, ProductStatus.pendingActive, ProductStatus.active}),
    ProductStatus.created: frozenset(
        {ProductStatus.pendingActive, ProductStatus.active, ProductStatus.cancelled, ProductStatus.aborted}
    ),
    ProductStatus.pendingActive: frozenset(
        {ProductStatus.active, ProductStatus.cancelled, ProductStatus.aborted}
    ),
    ProductStatus.active: frozenset(
        {ProductStatus.suspended, ProductStatus.pendingTerminate, ProductStatus.terminated}
    ),
    ProductStatus.suspended: frozenset(
        {ProductStatus.active, ProductStatus.pendingTerminate, ProductStatus.terminated}
    ),
    ProductStatus.pendingTerminate: frozenset({ProductStatus.terminated, ProductStatus.active}),
    ProductStatus.terminated: frozenset(),
    ProductStatus.cancelled: frozenset(),
    ProductStatus.aborted: frozenset(),
}


def held_statuses() -> frozenset[ProductStatus]:
    """The states in which the customer holds the product (what eligibility sees as inventory)."""
    return frozenset({ProductStatus.active, ProductStatus.suspended})


class InvalidTransition(ApiError):
    status, code = 409, "INVALID_STATE_TRANSITION"


def transition(current: ProductStatus | None, target: ProductStatus) -> ProductStatus:
    """`target` if the table allows moving there from `current` (None: creating); a 409 otherwise."""
    allowed = TRANSITIONS[current]
    if target not in allowed:
        origin = "a new product" if current is None else f"a {current.value} product"
        options = ", ".join(sorted(allowed)) or "none (final state)"
        raise InvalidTransition(f"{origin} cannot become {target.value}; allowed: {options}")
    return target
