from pricing_builders import item, request

from engine.facts import InventoryItem, ItemAction
from engine.pricing.holdings import Holdings
from engine.spec.price import AlterationCondition, AlterationScope

MOBILES = ("mobile-s", "mobile-m")


def _holdings() -> Holdings:
    return Holdings.of(
        request(
            item("mobile-s", "1", quantity=2),
            item("mobile-m", "2", action=ItemAction.modify),
            item("mobile-m", "3", action=ItemAction.delete),
            item("mobile-m", "4", action=ItemAction.noChange),
            inventory=(InventoryItem("mobile-m"), InventoryItem("mobile-s", status="terminated")),
        )
    )


def test_cart_counts_added_and_modified_instances_by_quantity() -> None:
    assert _holdings().cart == {"mobile-s": 2, "mobile-m": 1}


def test_inventory_counts_only_active_items() -> None:
    assert _holdings().inventory == {"mobile-m": 1}


def test_cart_or_inventory_scope_adds_both() -> None:
    condition = AlterationCondition(MOBILES, 2, AlterationScope.cartOrInventory)

    assert _holdings().count(condition, "mobile-s", 2) == 4


def test_inventory_scope_adds_the_priced_item_when_its_offering_is_listed() -> None:
    condition = AlterationCondition(MOBILES, 2, AlterationScope.inventory)

    assert _holdings().count(condition, "mobile-s", 2) == 3
    assert _holdings().count(condition, "fibre", 1) == 1


def test_cart_scope_counts_the_priced_item_once() -> None:
    condition = AlterationCondition(MOBILES, 2, AlterationScope.cart)

    assert _holdings().count(condition, "mobile-s", 2) == 3
