"""Eligibility (TMF679 qualification) over a small release built directly from the frozen model."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any as AnyValue

import pytest

from engine.eligibility import EligibilityEngine, QualificationOutcome, QualificationResult
from engine.errors import CartError, EngineError, FactError, UnknownEntityError
from engine.facts import (
    AccountProfile,
    CartItem,
    CustomerProfile,
    EvaluationRequest,
    InstallationAddress,
    InventoryItem,
    ItemAction,
    SalesContext,
)
from engine.rules.durable_adapter import RuleHost
from engine.spec.common import Entity, LifecycleStatus, TimePeriod
from engine.spec.conditions import Any, Condition, Operator, Predicate
from engine.spec.policy import AlternateProposal, EligibilityPolicy, EligibilityRule
from engine.spec.product import (
    BundledProductOffering,
    Category,
    ProductOffering,
    ProductOfferingRelationship,
    RelationshipType,
)
from engine.spec.release import CatalogRelease, ReleaseManifest

QUALIFIED, UNQUALIFIED, ALTERNATE = (
    QualificationOutcome.qualified,
    QualificationOutcome.unqualified,
    QualificationOutcome.alternate,
)

# --- building a release ------------------------------------------------------------------------------


def utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def fact(name: str, operator: Operator, value: AnyValue) -> Predicate:
    return Predicate(name, operator, value)


def rule(rule_id: str, code: str, condition: Condition) -> EligibilityRule:
    return EligibilityRule(rule_id, code, f"{code} ({rule_id})", condition)


def policy(
    policy_id: str, *rules: EligibilityRule, alternates: tuple[AlternateProposal, ...] = (), **kw: AnyValue
) -> EligibilityPolicy:
    return EligibilityPolicy(
        id=policy_id, version="1", name=policy_id, rules=rules, alternates=alternates, **kw
    )


def offering(
    offering_id: str,
    *,
    category: tuple[str, ...] = (),
    requires: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
    **fields: AnyValue,
) -> ProductOffering:
    relationships = tuple(
        ProductOfferingRelationship(i, RelationshipType.requires) for i in requires
    ) + tuple(ProductOfferingRelationship(i, RelationshipType.excludes) for i in excludes)
    defaults: dict[str, AnyValue] = {
        "version": "1",
        "name": offering_id,
        "lifecycleStatus": LifecycleStatus.launched,
        "validFor": TimePeriod(utc(date(2026, 1, 1))),
        "channel": ("web", "retail"),
        "marketSegment": ("residential",),
    }
    return ProductOffering(
        id=offering_id, category=category, productOfferingRelationship=relationships, **{**defaults, **fields}
    )


def release(*entities: Entity) -> CatalogRelease:
    manifest = ReleaseManifest(id="test", version="1", name="Test", effectiveDate=utc(date(2026, 1, 1)))
    return CatalogRelease(manifest=manifest, entities=entities, contentHash="x")


FIBRE = policy(
    "fibre-serviceability",
    rule("fibre-at-address", "FIBRE_NOT_AVAILABLE", fact("address.fibreAvailable", Operator.equal, True)),
    rule(
        "speed",
        "SPEED_NOT_AVAILABLE",
        Any(
            (
                fact("address.fibreAvailable", Operator.equal, False),
                fact("address.maxDownloadMbps", Operator.greaterThanOrEqual, 500),
            )
        ),
    ),
    rule("credit", "CREDIT_CHECK_FAILED", fact("customer.creditClass", Operator.isIn, ("A", "B", "C"))),
    alternates=(
        AlternateProposal("home-5g", ("FIBRE_NOT_AVAILABLE",)),
        AlternateProposal("fibre-100", ("SPEED_NOT_AVAILABLE",)),
    ),
)
FIBRE_100 = policy(
    "fibre-100-serviceability",
    rule("fibre-at-address", "FIBRE_NOT_AVAILABLE", fact("address.fibreAvailable", Operator.equal, True)),
)
HOME_5G = policy(
    "five-g-coverage", rule("coverage", "NO_5G_COVERAGE", fact("address.fiveGCoverage", Operator.equal, True))
)
BROADBAND_REQUIRED = policy(
    "broadband-required",
    rule(
        "has-broadband",
        "BROADBAND_REQUIRED",
        Any(
            (
                fact("cart.categories", Operator.contains, "fixed"),  # broadband's parent category
                fact("inventory.categories", Operator.contains, "fixed"),
            )
        ),
    ),
)
MOBILE = policy(
    "mobile-consumer",
    rule("adult", "CUSTOMER_UNDERAGE", fact("customer.ageYears", Operator.greaterThanOrEqual, 18)),
    rule("line-limit", "MAX_MOBILE_LINES", fact("inventory.mobileLines", Operator.lessThan, 2)),
    rule("balance", "OUTSTANDING_BALANCE", fact("account.outstandingBalance", Operator.lessThanOrEqual, 50)),
)
BROADBAND: dict[str, AnyValue] = {"category": ("broadband",), "exclusivityGroup": "broadband-access"}

CATALOG = release(
    Category(id="fixed", version="1", name="Fixed"),
    Category(id="broadband", version="1", name="Broadband", parentId="fixed"),
    Category(id="mobile", version="1", name="Mobile"),
    Category(id="mobile-postpaid", version="1", name="Post-paid", parentId="mobile"),
    FIBRE,
    FIBRE_100,
    HOME_5G,
    BROADBAND_REQUIRED,
    MOBILE,
    offering("fibre-500", eligibilityPolicy="fibre-serviceability", **BROADBAND),
    offering("fibre-100", eligibilityPolicy="fibre-100-serviceability", **BROADBAND),
    offering("home-5g", eligibilityPolicy="five-g-coverage", **BROADBAND),
    offering("tv-essential", category=("tv",), excludes=("home-5g",), eligibilityPolicy="broadband-required"),
    offering("set-top-box", category=("tv",)),
    offering("tv-sports", category=("tv",), requires=("tv-essential", "set-top-box")),
    offering("mobile-m", category=("mobile-postpaid",), eligibilityPolicy="mobile-consumer"),
    offering(
        "mobile-youth", category=("mobile-postpaid",), channel=("app",), eligibilityPolicy="mobile-consumer"
    ),
    offering("fibre-business", marketSegment=("business",), **BROADBAND),
    offering("legacy-dsl", lifecycleStatus=LifecycleStatus.retired, **BROADBAND),
    offering("router-swap", isSellable=False),
    offering("summer-pass", validFor=TimePeriod(utc(date(2026, 7, 1)), utc(date(2026, 9, 1)))),
    offering(
        "converged",
        isBundle=True,
        bundledProductOffering=(
            BundledProductOffering("fibre-500", 1, 1, 1),
            BundledProductOffering("mobile-m", 1, 2, 1),
        ),
    ),
)

GOOD_CUSTOMER: dict[str, AnyValue] = {
    "customer": CustomerProfile(segment="residential", creditClass="A", ageYears=34),
    "account": AccountProfile(status="active", outstandingBalance=Decimal("0.00"), tenureMonths=18),
    "address": InstallationAddress(
        country="NL", region="NL-NH", fibreAvailable=True, maxDownloadMbps=1000, fiveGCoverage=True
    ),
}


def request(
    *cart: str | CartItem,
    inventory: tuple[str, ...] = (),
    channel: str = "web",
    day: date = date(2026, 3, 1),
    **profile: AnyValue,
) -> EvaluationRequest:
    items = tuple(
        item if isinstance(item, CartItem) else CartItem(id=str(index + 1), productOffering=item)
        for index, item in enumerate(cart)
    )
    return EvaluationRequest(
        context=SalesContext(channel=channel, date=day),
        cart=items,
        inventory=tuple(InventoryItem(o) for o in inventory),
        **{**GOOD_CUSTOMER, **profile},
    )


def address(**changes: AnyValue) -> InstallationAddress:
    current: InstallationAddress = GOOD_CUSTOMER["address"]
    return dataclasses.replace(current, **changes)


def codes(result: QualificationResult, item: int = 0) -> list[str]:
    return [reason.code for reason in result.items[item].eligibilityUnavailabilityReason]


HOST = RuleHost()


@pytest.fixture(scope="module")
def engine() -> Iterator[EligibilityEngine]:
    with EligibilityEngine(CATALOG, HOST) as eligibility:
        yield eligibility
    assert HOST._loaded == {}, "closing the engine unloads every ruleset"


# --- qualified, and the trace ------------------------------------------------------------------------


def test_fibre_for_a_household_in_a_fibre_area_is_qualified_with_every_rule_traced(
    engine: EligibilityEngine,
) -> None:
    result = engine.qualify(request("fibre-500"))
    assert result.qualificationResult is QUALIFIED
    (item,) = result.items
    assert (item.itemId, item.productOffering, item.eligibilityUnavailabilityReason) == ("1", "fibre-500", ())
    assert item.trace == (
        "catalog/sellable: met",
        "catalog/channel: met",
        "catalog/segment: met",
        "catalog/exclusivity:broadband-access: met",
        "fibre-serviceability/fibre-at-address: met",
        "fibre-serviceability/speed: met",
        "fibre-serviceability/credit: met",
    )


def test_every_unmet_rule_is_reported_not_just_the_first(engine: EligibilityEngine) -> None:
    customer = CustomerProfile(segment="business", creditClass="D", ageYears=40)
    result = engine.qualify(request("fibre-500", channel="partner", customer=customer))
    assert result.qualificationResult is UNQUALIFIED
    assert codes(result) == ["CHANNEL_NOT_ALLOWED", "SEGMENT_NOT_ALLOWED", "CREDIT_CHECK_FAILED"]
    reasons = result.items[0].eligibilityUnavailabilityReason
    assert [(r.ruleId, r.source) for r in reasons] == [
        ("channel", "catalog"),
        ("segment", "catalog"),
        ("credit", "fibre-serviceability"),
    ]
    assert "fibre-serviceability/credit: unmet (CREDIT_CHECK_FAILED)" in result.items[0].trace


# --- policy rules and derived facts ------------------------------------------------------------------


def test_tv_addon_without_broadband_is_unqualified_with_broadband_required(engine: EligibilityEngine) -> None:
    result = engine.qualify(request("tv-essential", inventory=("mobile-m",)))
    assert (result.qualificationResult, codes(result)) == (UNQUALIFIED, ["BROADBAND_REQUIRED"])


def test_broadband_in_the_cart_or_held_counts_through_its_parent_category(engine: EligibilityEngine) -> None:
    assert engine.qualify(request("fibre-500", "tv-essential")).qualificationResult is QUALIFIED
    assert engine.qualify(request("tv-essential", inventory=("fibre-100",))).qualificationResult is QUALIFIED


def test_a_broadband_line_being_deleted_does_not_count_for_the_tv_it_would_carry(
    engine: EligibilityEngine,
) -> None:
    cease = CartItem("1", "fibre-100", action=ItemAction.delete)
    result = engine.qualify(request(cease, CartItem("2", "tv-essential")))
    assert codes(result, 0) == [] and result.items[0].trace == ("action delete: no eligibility rule applies",)
    assert codes(result, 1) == ["BROADBAND_REQUIRED"]


def test_mobile_lines_are_counted_from_active_holdings_in_mobile_sub_categories(
    engine: EligibilityEngine,
) -> None:
    one_line = engine.qualify(request("mobile-m", inventory=("mobile-youth",)))
    assert one_line.qualificationResult is QUALIFIED
    two_lines = engine.qualify(request("mobile-m", inventory=("mobile-youth", "mobile-m")))
    assert codes(two_lines) == ["MAX_MOBILE_LINES"]
    suspended = dataclasses.replace(
        request("mobile-m"),
        inventory=(InventoryItem("mobile-m"), InventoryItem("mobile-m", status="suspended")),
    )
    assert engine.qualify(suspended).qualificationResult is QUALIFIED


def test_an_overdue_balance_just_above_the_limit_fails_exactly(engine: EligibilityEngine) -> None:
    def balance(value: str) -> AccountProfile:
        return AccountProfile(status="active", outstandingBalance=Decimal(value), tenureMonths=1)

    assert engine.qualify(request("mobile-m", account=balance("50.00"))).qualificationResult is QUALIFIED
    over = engine.qualify(request("mobile-m", account=balance("50.0000001")))
    assert codes(over) == ["OUTSTANDING_BALANCE"]


# --- derived catalog rules ---------------------------------------------------------------------------


def test_sports_package_without_its_requirements_reports_each_missing_one(engine: EligibilityEngine) -> None:
    result = engine.qualify(request("tv-sports"))
    assert codes(result) == ["REQUIRES_MISSING", "REQUIRES_MISSING"]
    assert [r.ruleId for r in result.items[0].eligibilityUnavailabilityReason] == [
        "requires:tv-essential",
        "requires:set-top-box",
    ]


def test_requires_is_met_by_the_cart_and_the_inventory_together(engine: EligibilityEngine) -> None:
    result = engine.qualify(request("tv-sports", "set-top-box", inventory=("tv-essential", "fibre-100")))
    assert result.qualificationResult is QUALIFIED
    only_one = engine.qualify(request("tv-sports", inventory=("set-top-box",)))
    assert [r.ruleId for r in only_one.items[0].eligibilityUnavailabilityReason] == ["requires:tv-essential"]


def test_tv_with_5g_home_internet_held_is_excluded_in_either_direction(engine: EligibilityEngine) -> None:
    tv = engine.qualify(request("tv-essential", inventory=("home-5g",)))
    assert codes(tv) == ["EXCLUDED_BY"]
    home_5g = engine.qualify(request("home-5g", inventory=("tv-essential",)))
    assert codes(home_5g) == ["EXCLUDED_BY"]
    assert home_5g.items[0].eligibilityUnavailabilityReason[0].ruleId == "excludes:tv-essential"


def test_a_second_broadband_offering_breaks_the_exclusivity_group(engine: EligibilityEngine) -> None:
    held = engine.qualify(request("fibre-500", inventory=("fibre-100",)))
    assert codes(held) == ["EXCLUSIVITY_GROUP"]
    both_in_cart = engine.qualify(request("fibre-500", "home-5g"))
    assert codes(both_in_cart, 0) == ["EXCLUSIVITY_GROUP"] and codes(both_in_cart, 1) == ["EXCLUSIVITY_GROUP"]
    twice = engine.qualify(request("fibre-500", inventory=("fibre-500",)))
    assert codes(twice) == ["EXCLUSIVITY_GROUP"]


def test_replacing_or_modifying_the_held_broadband_does_not_break_its_group(
    engine: EligibilityEngine,
) -> None:
    swap = request(CartItem("1", "fibre-100", action=ItemAction.delete), CartItem("2", "fibre-500"))
    assert engine.qualify(
        dataclasses.replace(swap, inventory=(InventoryItem("fibre-100"),))
    ).qualificationResult is (QUALIFIED)
    modify = request(CartItem("1", "fibre-100", action=ItemAction.modify), inventory=("fibre-100",))
    assert engine.qualify(modify).qualificationResult is QUALIFIED


def test_channel_and_segment_restrictions_have_their_own_reason_codes(engine: EligibilityEngine) -> None:
    assert codes(engine.qualify(request("mobile-youth", channel="web"))) == ["CHANNEL_NOT_ALLOWED"]
    assert engine.qualify(request("mobile-youth", channel="app")).qualificationResult is QUALIFIED
    assert codes(engine.qualify(request("fibre-business"))) == ["SEGMENT_NOT_ALLOWED"]


def test_a_retired_or_unsellable_offering_cannot_be_added_but_a_held_one_can_be_modified(
    engine: EligibilityEngine,
) -> None:
    assert codes(engine.qualify(request("legacy-dsl"))) == ["OFFERING_NOT_SELLABLE"]
    assert codes(engine.qualify(request("router-swap"))) == ["OFFERING_NOT_SELLABLE"]
    modify = request(CartItem("1", "legacy-dsl", action=ItemAction.modify), inventory=("legacy-dsl",))
    assert engine.qualify(modify).qualificationResult is QUALIFIED


def test_an_offering_outside_its_validity_period_is_not_valid(engine: EligibilityEngine) -> None:
    early = engine.qualify(request("summer-pass", day=date(2026, 6, 30)))
    assert codes(early) == ["OFFERING_NOT_VALID"]
    assert engine.qualify(request("summer-pass", day=date(2026, 7, 1))).qualificationResult is QUALIFIED
    assert codes(engine.qualify(request("summer-pass", day=date(2026, 9, 1)))) == ["OFFERING_NOT_VALID"]


def test_an_unknown_offering_is_an_unknown_entity_error_at_its_path(engine: EligibilityEngine) -> None:
    with pytest.raises(UnknownEntityError) as raised:
        engine.qualify(request("fibre-500", "fibre-9000"))
    assert raised.value.path == "$.cart[1].productOffering"


# --- bundles -----------------------------------------------------------------------------------------


def _bundle(*components: str) -> EvaluationRequest:
    items = [CartItem("b", "converged")]
    items += [CartItem(f"c{i}", o, parentItemId="b") for i, o in enumerate(components)]
    return request(*items)


def test_a_complete_bundle_qualifies_with_its_components(engine: EligibilityEngine) -> None:
    result = engine.qualify(_bundle("fibre-500", "mobile-m", "mobile-m"))
    assert result.qualificationResult is QUALIFIED
    assert "cart/bundle-cardinality:mobile-m: met" in result.items[0].trace


def test_a_bundle_without_its_mobile_line_breaks_its_cardinality(engine: EligibilityEngine) -> None:
    result = engine.qualify(_bundle("fibre-500"))
    assert codes(result, 0) == ["BUNDLE_CARDINALITY"]
    assert result.items[0].eligibilityUnavailabilityReason[0].source == "cart"
    too_many = engine.qualify(_bundle("fibre-500", "mobile-m", "mobile-m", "mobile-m"))
    assert codes(too_many, 0) == ["BUNDLE_CARDINALITY"]


def test_an_offering_that_is_not_a_component_of_its_bundle_is_not_in_bundle(
    engine: EligibilityEngine,
) -> None:
    result = engine.qualify(_bundle("fibre-500", "mobile-m", "tv-essential"))
    assert (result.qualificationResult, codes(result, 3)) == (UNQUALIFIED, ["NOT_IN_BUNDLE"])


def test_a_parent_item_that_is_not_in_the_cart_is_a_cart_error(engine: EligibilityEngine) -> None:
    with pytest.raises(CartError) as raised:
        engine.qualify(request(CartItem("1", "mobile-m", parentItemId="9")))
    assert raised.value.path == "$.cart[0].parentItemId"


# --- alternates (TMF679) -----------------------------------------------------------------------------


def test_no_fibre_at_the_address_proposes_5g_home_internet_because_it_qualifies(
    engine: EligibilityEngine,
) -> None:
    result = engine.qualify(request("fibre-500", address=address(fibreAvailable=False)))
    assert result.qualificationResult is ALTERNATE
    (item,) = result.items
    assert (codes(result), item.alternates) == (["FIBRE_NOT_AVAILABLE"], ("home-5g",))
    assert "alternate home-5g: qualifies in place of fibre-500" in item.trace


def test_an_alternate_that_does_not_qualify_itself_is_not_proposed(engine: EligibilityEngine) -> None:
    result = engine.qualify(request("fibre-500", address=address(fibreAvailable=False, fiveGCoverage=False)))
    assert result.qualificationResult is UNQUALIFIED
    assert result.items[0].alternates == ()
    assert "alternate home-5g: not proposed, it does not qualify (NO_5G_COVERAGE)" in result.items[0].trace


def test_alternates_are_proposed_only_for_their_reason_codes(engine: EligibilityEngine) -> None:
    slow_line = engine.qualify(request("fibre-500", address=address(maxDownloadMbps=200)))
    assert (slow_line.qualificationResult, slow_line.items[0].alternates) == (ALTERNATE, ("fibre-100",))
    bad_credit = CustomerProfile(segment="residential", creditClass="D", ageYears=34)
    refused = engine.qualify(request("fibre-500", customer=bad_credit))
    assert (refused.qualificationResult, refused.items[0].alternates) == (UNQUALIFIED, ())


def test_the_overall_result_is_unqualified_if_any_item_is_else_alternate(engine: EligibilityEngine) -> None:
    no_fibre = address(fibreAvailable=False)
    assert engine.qualify(request("fibre-500", "mobile-m", address=no_fibre)).qualificationResult is ALTERNATE
    mixed = engine.qualify(request("fibre-500", "tv-sports", address=no_fibre))
    assert [i.qualificationItemResult for i in mixed.items] == [ALTERNATE, UNQUALIFIED]
    assert mixed.qualificationResult is UNQUALIFIED


# --- facts the request lacks or mistypes -------------------------------------------------------------


def test_a_fact_the_policy_reads_but_the_request_lacks_is_a_fact_error_with_its_path(
    engine: EligibilityEngine,
) -> None:
    with pytest.raises(FactError) as raised:
        engine.qualify(request("fibre-500", address=address(fibreAvailable=None)))
    assert (raised.value.path, raised.value.code) == ("$.address.fibreAvailable", "INVALID_FACT")


def test_a_fact_of_the_wrong_type_is_a_fact_error_with_its_path(engine: EligibilityEngine) -> None:
    young = CustomerProfile(segment="residential", creditClass="A", ageYears="17")  # type: ignore[arg-type]
    with pytest.raises(FactError) as raised:
        engine.qualify(request("mobile-m", customer=young))
    assert raised.value.path == "$.customer.ageYears"


def test_a_fact_that_no_evaluated_rule_reads_may_be_absent(engine: EligibilityEngine) -> None:
    bare = EvaluationRequest(
        context=SalesContext("web", date(2026, 3, 1)), cart=(CartItem("1", "set-top-box"),)
    )
    with pytest.raises(FactError) as raised:
        engine.qualify(bare)  # set-top-box is sold to residential customers: the segment is read
    assert raised.value.path == "$.customer.segment"
    anonymous = dataclasses.replace(bare, customer=CustomerProfile(segment="residential"))
    assert engine.qualify(anonymous).qualificationResult is QUALIFIED


def test_a_segment_restricted_offering_needs_the_customer_segment(engine: EligibilityEngine) -> None:
    with pytest.raises(FactError, match=r"customer\.segment"):
        engine.qualify(request("fibre-business", customer=CustomerProfile(creditClass="A")))


# --- versions, sharing, lifecycle of the engine ------------------------------------------------------


def test_the_policy_version_in_effect_on_the_request_date_decides() -> None:
    strict = dataclasses.replace(
        BROADBAND_REQUIRED,
        version="2",
        validFor=TimePeriod(utc(date(2026, 7, 1))),
        rules=(
            rule("adult", "CUSTOMER_UNDERAGE", fact("customer.ageYears", Operator.greaterThanOrEqual, 40)),
        ),
    )
    lenient = dataclasses.replace(BROADBAND_REQUIRED, validFor=TimePeriod(None, utc(date(2026, 7, 1))))
    tv = offering("tv-essential", eligibilityPolicy="broadband-required")
    versions = release(lenient, strict, tv, Category(id="fixed", version="1", name="Fixed"))
    with EligibilityEngine(versions, HOST) as engine:
        assert codes(engine.qualify(request("tv-essential", day=date(2026, 6, 30)))) == ["BROADBAND_REQUIRED"]
        assert codes(engine.qualify(request("tv-essential", day=date(2026, 7, 1)))) == ["CUSTOMER_UNDERAGE"]


def test_offerings_with_identical_rules_share_one_ruleset() -> None:
    twins = release(offering("sim-a"), offering("sim-b"), offering("sim-c", channel=("app",)))
    with EligibilityEngine(twins, HOST) as engine:
        loaded = {ruleset.handle for ruleset in engine._rulesets.values()}
        assert len(loaded) == 2


def test_a_closed_engine_has_unloaded_its_rulesets_and_refuses_to_qualify() -> None:
    engine = EligibilityEngine(release(offering("sim-a")), HOST)
    handles = [r.handle for r in engine._rulesets.values() if r.handle is not None]
    engine.close()
    assert handles and not any(HOST.holds(h) for h in handles)
    with pytest.raises(EngineError, match="closed"):
        engine.qualify(request("sim-a"))


def test_the_result_renders_as_plain_data() -> None:
    with EligibilityEngine(release(offering("sim-a")), HOST) as engine:
        data = engine.qualify(request("sim-a", channel="app")).to_dict()
    assert data["qualificationResult"] == "unqualified"
    assert data["items"][0]["eligibilityUnavailabilityReason"] == [
        {
            "code": "CHANNEL_NOT_ALLOWED",
            "label": "sim-a is sold only through web, retail",
            "ruleId": "channel",
            "source": "catalog",
        }
    ]
