from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import TypeVar

from engine.diff import Change, ReleaseDiff, diff_releases
from engine.spec.common import Entity, Kind, LifecycleStatus, TimePeriod
from engine.spec.conditions import Operator, Predicate
from engine.spec.policy import EligibilityRule
from engine.spec.price import ChargePeriod, MatrixRow, PriceMatrix, PriceTier
from engine.spec.product import CharacteristicValue, ProductSpecification
from engine.spec.release import CatalogRelease
from tests.engine.validation.catalog import T0, base_release, eur, swap_into

OLD = base_release()
E = TypeVar("E", bound=Entity)
APRIL = T0 + timedelta(days=90)
JULY = T0 + timedelta(days=181)
PRICE_RAISED = "a price raised on an offering existing customers may hold"


def _v2(entity: E, **changes: object) -> E:
    """A new version of an entity: the only way a published one may change."""
    return replace(entity, version="2", **changes)  # type: ignore[arg-type]


def _new(*entities: Entity, drop: tuple[tuple[Kind, str], ...] = ()) -> CatalogRelease:
    """OLD as release 2026.2, where `entities` replace every old version of theirs."""
    replaced = tuple((e.kind, e.id) for e in entities)
    release = swap_into(OLD, *entities, drop=(*replaced, *drop))
    return replace(release, manifest=replace(OLD.manifest, id="2026.2"))


def _diff(*entities: Entity, drop: tuple[tuple[Kind, str], ...] = ()) -> ReleaseDiff:
    return diff_releases(OLD, _new(*entities, drop=drop))


def _breaking(diff: ReleaseDiff) -> list[tuple[str, str]]:
    return [(c.id, c.description) for c in diff.breaking]


def test_identical_releases_have_no_changes() -> None:
    diff = _diff()

    assert diff.changes == ()
    assert diff.to_text() == "No changes from 2026.1 to 2026.2."


def test_added_and_removed_entities_are_listed() -> None:
    extra = replace(OLD.offering("fibre-flex"), id="fibre-2000")

    diff = _diff(extra, drop=((Kind.ProductOffering, "tv-addon"),))

    assert [(c.kind, c.id, c.description) for c in diff.changes] == [
        (Kind.ProductOffering, "fibre-2000", "added (version 1)"),
        (Kind.ProductOffering, "tv-addon", "removed"),
    ]
    assert diff.breaking == ()


def test_field_changes_show_old_and_new_values() -> None:
    fee = _v2(OLD.price("fibre-install-fee"), price=eur("39.00"), taxCategory="reduced")
    offering = _v2(
        OLD.offering("fibre-500"), lifecycleStatus=LifecycleStatus.launched, channel=("web", "retail", "app")
    )

    diff = _diff(fee, offering)

    assert [c.description for c in diff.changes] == [
        "new version 2 (valid always)",
        "version 1 dropped",
        "lifecycleStatus: active → launched",
        "channel: [web, retail] → [web, retail, app]",
        "new version 2 (valid always)",
        "version 1 dropped",
        "price: 49.00 EUR → 39.00 EUR",
        "taxCategory: standard → reduced",
    ]
    assert diff.breaking == ()


def test_composite_fields_are_named_not_printed() -> None:
    flow = OLD.order_flow("mobile-provisioning")

    assert "actions changed" in [c.description for c in _diff(_v2(flow, actions={})).changes]


def test_long_texts_are_named_not_printed() -> None:
    fee = _v2(OLD.price("fibre-install-fee"), description="Installation. " * 10)

    assert "description changed" in [c.description for c in _diff(fee).changes]


def test_a_new_version_is_listed_with_its_validity() -> None:
    monthly = OLD.price("fibre-500-monthly")
    summer = replace(monthly, version="2", price=eur("39.99"), validFor=TimePeriod(JULY))
    spring = replace(monthly, version="3", validFor=TimePeriod(endDateTime=JULY))

    diff = _diff(spring, summer)

    # Versions are listed in the order they take effect.
    assert [c.description for c in diff.changes] == [
        "new version 3 (valid until 2026-07-01T00:00:00+00:00)",
        "new version 2 (valid from 2026-07-01T00:00:00+00:00)",
        "version 1 dropped",
        "validFor: always → until 2026-07-01T00:00:00+00:00",
    ]


def test_a_version_edited_in_place_is_breaking() -> None:
    monthly = replace(OLD.price("fibre-500-monthly"), name="Renamed")

    (change,) = _diff(monthly).changes

    assert change.breaking
    assert change.reason == "a published entity never changes: a change is a new version"


def test_raised_recurring_price_on_a_held_offering_is_breaking() -> None:
    monthly = _v2(OLD.price("fibre-500-monthly"), price=eur("44.99"))

    diff = _diff(monthly)

    assert _breaking(diff) == [
        ("fibre-500", "price fibre-500-monthly version 2: price raised: 39.99 EUR → 44.99 EUR")
    ]
    assert diff.breaking[0].reason == PRICE_RAISED


def test_lowered_price_is_not_breaking() -> None:
    monthly = _v2(OLD.price("fibre-500-monthly"), price=eur("34.99"))

    assert _breaking(_diff(monthly)) == []


def test_raise_scheduled_later_in_the_new_release_is_breaking() -> None:
    monthly = OLD.price("fibre-500-monthly")
    # A published version never changes, so the price until July is re-issued as version 2.
    spring = replace(monthly, version="2", validFor=TimePeriod(endDateTime=JULY))
    summer = replace(monthly, version="3", price=eur("44.99"), validFor=TimePeriod(JULY))

    diff = diff_releases(
        OLD, replace(_new(spring, summer), manifest=replace(OLD.manifest, effectiveDate=APRIL))
    )

    assert [d for _, d in _breaking(diff)] == [
        "price fibre-500-monthly version 3: price raised: 39.99 EUR → 44.99 EUR"
    ]


def test_raised_one_time_price_is_breaking() -> None:
    fee = _v2(OLD.price("fibre-install-fee"), price=eur("59.00"))

    diff = _diff(fee)

    assert _breaking(diff) == [
        ("fibre-500", "price fibre-install-fee version 2: price raised: 49.00 EUR → 59.00 EUR")
    ]


def test_matrix_rows_are_compared_row_by_row() -> None:
    flex = OLD.price("fibre-flex-monthly")
    assert flex.matrix is not None
    rows = list(flex.matrix.rows)
    rows[1] = MatrixRow(("500", "24"), eur("42.00"))  # up from 40.00
    rows[2] = MatrixRow(("1000", "12"), eur("50.00"))  # down from 55.00
    raised = _v2(flex, matrix=PriceMatrix(flex.matrix.characteristics, tuple(rows)))

    diff = _diff(raised)

    assert _breaking(diff) == [
        ("fibre-flex", "price fibre-flex-monthly version 2: row [500, 24] raised: 40.00 EUR → 42.00 EUR")
    ]


def test_usage_tiers_are_compared_tier_by_tier() -> None:
    data = OLD.price("mobile-data")
    tiers = (data.tiers[0], PriceTier(Decimal(5), None, eur("1.50")))
    raised = _v2(data, tiers=tiers, includedAllowance=Decimal(5))

    diff = _diff(raised)

    assert [d for _, d in _breaking(diff)] == [
        "price mobile-data version 2: tier from 5 raised: 1.00 EUR → 1.50 EUR",
        "price mobile-data version 2: included allowance cut: 10 → 5",
    ]


def test_price_raise_on_an_offering_nobody_holds_is_not_breaking() -> None:
    # Built by hand: `_diff` would compare against the active fibre-500 of OLD.
    old = swap_into(OLD, replace(OLD.offering("fibre-500"), lifecycleStatus=LifecycleStatus.inDesign))
    monthly = _v2(OLD.price("fibre-500-monthly"), price=eur("44.99"))
    new = swap_into(old, monthly, drop=((Kind.ProductOfferingPrice, "fibre-500-monthly"),))

    assert diff_releases(old, new).breaking == ()


def test_price_raise_on_a_retired_offering_is_breaking_because_customers_still_hold_it() -> None:
    old = swap_into(OLD, replace(OLD.offering("fibre-500"), lifecycleStatus=LifecycleStatus.retired))
    monthly = _v2(OLD.price("fibre-500-monthly"), price=eur("44.99"))
    new = swap_into(old, monthly, drop=((Kind.ProductOfferingPrice, "fibre-500-monthly"),))

    assert [c.id for c in diff_releases(old, new).breaking] == ["fibre-500"]


def test_smaller_or_removed_discount_is_a_price_raise() -> None:
    smaller = _v2(OLD.price("converged-discount"), percentage=Decimal(10))
    gone = _v2(OLD.offering("converged-home"), productOfferingPrice=())

    reduced = _diff(smaller)
    removed = _diff(gone)

    assert _breaking(reduced) == [
        ("converged-home", "price converged-discount version 2: discount reduced: 20% → 10%")
    ]
    assert _breaking(removed) == [("converged-home", "discount converged-discount removed")]


def test_shortened_discount_is_a_price_raise() -> None:
    shorter = _v2(OLD.price("converged-discount"), applicationDuration=12)

    assert _breaking(_diff(shorter)) == [
        (
            "converged-home",
            "price converged-discount version 2: discount duration shortened: none → 12 cycles",
        )
    ]


def test_changed_charge_period_is_flagged_because_amounts_cannot_be_compared() -> None:
    yearly = _v2(
        OLD.price("fibre-500-monthly"), recurringChargePeriodType=ChargePeriod.year, price=eur("399.00")
    )

    assert _breaking(_diff(yearly)) == [
        ("fibre-500", "price fibre-500-monthly version 2: charge changed from month to year")
    ]


def test_new_charge_on_a_held_offering_is_breaking() -> None:
    offering = _v2(
        OLD.offering("mobile-5g-m"),
        productOfferingPrice=("mobile-monthly", "mobile-data", "fibre-install-fee"),
    )

    assert _breaking(_diff(offering)) == [("mobile-5g-m", "new charge fibre-install-fee added")]


def test_retiring_an_offering_a_sellable_bundle_includes_is_breaking() -> None:
    retired = _v2(OLD.offering("mobile-5g-m"), lifecycleStatus=LifecycleStatus.retired)

    diff = _diff(retired)

    assert _breaking(diff) == [("mobile-5g-m", "retired while bundle converged-home still includes it")]
    bundle_too = _v2(OLD.offering("converged-home"), lifecycleStatus=LifecycleStatus.retired)
    assert _diff(retired, bundle_too).breaking == ()


def test_removing_an_offering_a_sellable_bundle_includes_is_breaking() -> None:
    diff = _diff(drop=((Kind.ProductOffering, "fibre-500"),))

    assert ("fibre-500", "removed while bundle converged-home still includes it") in _breaking(diff)


def test_retiring_an_offering_no_bundle_includes_is_not_breaking() -> None:
    assert _diff(_v2(OLD.offering("fibre-flex"), lifecycleStatus=LifecycleStatus.retired)).breaking == ()


def _spec_with_speeds(*values: CharacteristicValue) -> ProductSpecification:
    spec = OLD.specification("fibre-access")
    speed, *others = spec.productSpecCharacteristic
    return _v2(
        spec, productSpecCharacteristic=(replace(speed, productSpecCharacteristicValue=values), *others)
    )


def test_removing_a_characteristic_value_is_breaking() -> None:
    diff = _diff(_spec_with_speeds(CharacteristicValue(500, isDefault=True)))

    assert _breaking(diff) == [("fibre-access", "value 1000 of downloadSpeed removed")]


def test_adding_a_characteristic_value_is_not_breaking() -> None:
    more = _spec_with_speeds(
        CharacteristicValue(500, isDefault=True), CharacteristicValue(1000), CharacteristicValue(2000)
    )

    assert _diff(more).breaking == ()


def test_removing_a_characteristic_or_narrowing_its_range_is_breaking() -> None:
    spec = OLD.specification("fibre-access")
    speed, _term, ips = spec.productSpecCharacteristic
    narrowed = replace(
        ips, productSpecCharacteristicValue=(CharacteristicValue(valueFrom=Decimal(0), valueTo=Decimal(4)),)
    )

    diff = _diff(_v2(spec, productSpecCharacteristic=(speed, narrowed)))

    assert [d for _, d in _breaking(diff)] == [
        "characteristic contractTerm removed",
        "range of staticIpCount no longer admits 8",
    ]


def test_adding_a_rule_narrows_eligibility() -> None:
    policy = OLD.policy("fibre-serviceability")
    rule = EligibilityRule(
        "adult", "TOO_YOUNG", "Too young", Predicate("customer.ageYears", Operator.greaterThanOrEqual, 18)
    )

    diff = _diff(_v2(policy, rules=(*policy.rules, rule)))

    assert _breaking(diff) == [("fibre-serviceability", "rule adult added")]
    assert diff.breaking[0].reason.startswith("eligibility narrowed")


def test_changing_a_rules_condition_is_breaking() -> None:
    policy = OLD.policy("fibre-serviceability")
    changed = replace(policy.rules[0], condition=Predicate("address.fiveGCoverage", Operator.equal, True))

    diff = _diff(_v2(policy, rules=(changed, policy.rules[1])))

    assert _breaking(diff) == [("fibre-serviceability", "condition of rule fibre-at-address changed")]


def test_removing_a_rule_widens_eligibility_and_is_not_breaking() -> None:
    policy = OLD.policy("fibre-serviceability")

    diff = _diff(_v2(policy, rules=policy.rules[1:]))

    assert "rule fibre-at-address removed (eligibility widened)" in [c.description for c in diff.changes]
    assert diff.breaking == ()


def test_shrinking_channels_or_segments_narrows_eligibility() -> None:
    fibre = OLD.offering("fibre-500")

    assert _breaking(_diff(_v2(fibre, channel=("web",)))) == [
        ("fibre-500", "channel narrowed: [web, retail] → [web]")
    ]
    assert _diff(_v2(fibre, channel=("web", "retail", "app"))).breaking == ()
    assert _diff(_v2(fibre, channel=())).breaking == ()  # an empty list restricts nothing
    flex = OLD.offering("fibre-flex")
    assert _breaking(_diff(_v2(flex, marketSegment=("business",)))) == [
        ("fibre-flex", "marketSegment narrowed: [any] → [business]")
    ]


def test_putting_a_policy_on_an_offering_narrows_it() -> None:
    flex = _v2(OLD.offering("fibre-flex"), eligibilityPolicy="fibre-serviceability")

    assert _breaking(_diff(flex)) == [("fibre-flex", "eligibilityPolicy: none → fibre-serviceability")]


def test_text_report_marks_breaking_changes_with_their_reason() -> None:
    monthly = _v2(OLD.price("fibre-500-monthly"), price=eur("44.99"))

    text = _diff(monthly).to_text()

    assert text.splitlines()[0] == "Catalog 2026.1 → 2026.2: 4 changes, 1 breaking"
    assert "ProductOffering fibre-500\n  BREAKING  price fibre-500-monthly version 2" in text
    assert f"            why: {PRICE_RAISED}" in text
    assert "ProductOfferingPrice fibre-500-monthly\n            new version 2" in text


def test_dict_report_is_plain_json() -> None:
    fee = replace(OLD.price("fibre-install-fee"), price=eur("39.00"))

    data = _diff(fee).to_dict()

    assert json.loads(json.dumps(data)) == {
        "old": "2026.1",
        "new": "2026.2",
        "breakingCount": 1,
        "changes": [
            {
                "kind": "ProductOfferingPrice",
                "id": "fibre-install-fee",
                "description": "version 1 edited without a new version number",
                "breaking": True,
                "reason": "a published entity never changes: a change is a new version",
            },
            Change(Kind.ProductOfferingPrice, "fibre-install-fee", "price: 49.00 EUR → 39.00 EUR").to_dict(),
        ],
    }
