"""What the customer has, counted per offering, for the conditions of alterations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from engine.facts import EvaluationRequest, ItemAction
from engine.spec.price import AlterationCondition, AlterationScope

# Cart items that will be held after the order. `modify` counts like `add` (it is priced like add);
# `noChange` and `delete` items are left out: an unchanged product is already in the inventory, a deleted
# one is going away.
COUNTED_ACTIONS = frozenset({ItemAction.add, ItemAction.modify})


@dataclass(frozen=True, slots=True)
class Holdings:
    """Product instances per offering: in the cart (by quantity) and in the inventory (active only)."""

    cart: Mapping[str, int]
    inventory: Mapping[str, int]

    @classmethod
    def of(cls, request: EvaluationRequest) -> Holdings:
        cart: Counter[str] = Counter()
        for item in request.cart:
            if item.action in COUNTED_ACTIONS:
                cart[item.productOffering] += item.quantity
        inventory = Counter(i.productOffering for i in request.inventory if i.status == "active")
        return cls(cart=dict(cart), inventory=dict(inventory))

    def count(self, condition: AlterationCondition, offering: str, quantity: int) -> int:
        """How many listed product instances the condition sees for an item of `offering` x `quantity`."""
        listed = set(condition.productOffering)
        in_cart = condition.scope in (AlterationScope.cart, AlterationScope.cartOrInventory)
        in_inventory = condition.scope in (AlterationScope.inventory, AlterationScope.cartOrInventory)
        total = 0
        if in_cart:
            total += sum(n for o, n in self.cart.items() if o in listed)
        if in_inventory:
            total += sum(n for o, n in self.inventory.items() if o in listed)
        # The priced item always counts itself when its offering is listed (the multi-line rule); a cart
        # scope has counted it already, an inventory-only scope has not.
        if not in_cart and offering in listed:
            total += quantity
        return total
