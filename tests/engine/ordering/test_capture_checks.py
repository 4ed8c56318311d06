from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from engine.eligibility_result import ItemQualification, QualificationResult, UnavailabilityReason
from engine.facts import ItemAction
from engine.ordering.capture import (
    HeldProduct,
    OrderedItem,
    RejectionReason,
    check_items,
    qualification_reasons,
)
from engine.spec.loader import load_release
from engine.spec.product import QualificationOutcome
from engine.spec.release import CatalogRelease

SAMPLES = Path(__file__).resolve().parents[3] / "catalog_specs"
AT = datetime(2026, 8, 1, tzinfo=UTC)
HELD = [HeldProduct("PRD-1", "fibre-500", "active"), HeldProduct("PRD-2", "mobile-5g-m", "active")]


@cache
def release() -> CatalogRelease:
    loaded = load_release(SAMPLES / "2026.2")
    assert loaded.release is not None
    return loaded.release


def item(
    offering: str, action: ItemAction = ItemAction.add, product: str | None = None, item_id: str = "1"
) -> OrderedItem:
    return OrderedItem(item_id, action, offering, product, f"$.productOrderItem[{int(item_id) - 1}]")


def codes(reasons: tuple[RejectionReason, ...]) -> list[str]:
    return [reason.code for reason in reasons]


def test_items_that_agree_with_release_and_inventory_have_no_reasons() -> None:
    items = [
        item("tv-essential"),
        item("fibre-500", ItemAction.modify, "PRD-1", "2"),
        item("mobile-5g-m", ItemAction.delete, "PRD-2", "3"),
    ]
    assert check_items(release(), AT, items, HELD) == ()


def test_an_unknown_offering_is_named_with_its_path() -> None:
    (reason,) = check_items(release(), AT, [item("teleporter")], HELD)
    assert reason == RejectionReason(
        "UNKNOWN_OFFERING",
        "offering 'teleporter' does not exist in release 2026.2",
        "1",
        "$.productOrderItem[0].productOffering.id",
    )


def test_an_offering_not_yet_in_effect_is_refused() -> None:
    early = datetime(2020, 1, 1, tzinfo=UTC)
    assert codes(check_items(release(), early, [item("tv-essential")], HELD)) == ["OFFERING_NOT_VALID"]


def test_an_add_item_may_not_name_a_product() -> None:
    reasons = check_items(release(), AT, [item("fibre-500", ItemAction.add, "PRD-1")], HELD)
    assert codes(reasons) == ["PRODUCT_ID_NOT_ALLOWED"]
    assert reasons[0].path == "$.productOrderItem[0].product.id"


def test_modify_and_delete_need_a_product_the_customer_holds() -> None:
    assert codes(check_items(release(), AT, [item("fibre-500", ItemAction.modify)], HELD)) == [
        "PRODUCT_ID_REQUIRED"
    ]
    assert codes(check_items(release(), AT, [item("fibre-500", ItemAction.delete, "PRD-9")], HELD)) == [
        "UNKNOWN_PRODUCT"
    ]
    assert codes(check_items(release(), AT, [item("fibre-1000", ItemAction.modify, "PRD-1")], HELD)) == [
        "PRODUCT_OFFERING_MISMATCH"
    ]


def test_one_product_is_acted_on_by_one_item() -> None:
    items = [
        item("fibre-500", ItemAction.modify, "PRD-1"),
        item("fibre-500", ItemAction.delete, "PRD-1", "2"),
    ]
    reasons = check_items(release(), AT, items, HELD)
    assert codes(reasons) == ["DUPLICATE_PRODUCT"]
    assert reasons[0].itemId == "2"


def test_every_reason_of_every_item_is_returned() -> None:
    items = [item("teleporter"), item("fibre-500", ItemAction.modify, None, "2")]
    assert codes(check_items(release(), AT, items, [])) == ["UNKNOWN_OFFERING", "PRODUCT_ID_REQUIRED"]


def test_unmet_eligibility_rules_become_reasons_of_their_item() -> None:
    unmet = UnavailabilityReason("CHANNEL_NOT_ALLOWED", "sold only through partner", "channel", "catalog")
    result = QualificationResult.of(
        [
            ItemQualification("1", "tv-essential", QualificationOutcome.qualified),
            ItemQualification("2", "enterprise-5g-slice", QualificationOutcome.unqualified, (unmet,)),
        ]
    )
    items = [item("tv-essential"), item("enterprise-5g-slice", item_id="2")]
    assert qualification_reasons(result, items) == (
        RejectionReason("CHANNEL_NOT_ALLOWED", "sold only through partner", "2", "$.productOrderItem[1]"),
    )
