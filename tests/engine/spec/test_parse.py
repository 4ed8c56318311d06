import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from engine.facts import ItemAction
from engine.money import Money, RoundingMode
from engine.spec.common import LifecycleStatus, TimePeriod
from engine.spec.conditions import All, Any, Not, Operator, Predicate
from engine.spec.flow import OrderFlow, ServiceAction
from engine.spec.loader import load_release
from engine.spec.parse_common import SpecParseError, parse_datetime, parse_duration
from engine.spec.price import AlterationScope, ChargePeriod, ExistingSubscriberPolicy, PriceType, TierMode
from engine.spec.product import Category, CharacteristicValueType, QualificationOutcome, ServiceSpecification
from engine.spec.release import CatalogRelease
from tests.engine.spec.support import MINIMAL

JAN_1 = datetime(2026, 1, 1, tzinfo=UTC)
JULY_1 = datetime(2026, 7, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def release() -> CatalogRelease:
    loaded = load_release(MINIMAL).release
    assert loaded is not None
    return loaded


def test_the_manifest_carries_date_currency_rounding_and_region(release: CatalogRelease) -> None:
    assert release.effectiveDate == JAN_1
    assert release.manifest.currency == "EUR"
    assert release.manifest.rounding.mode is RoundingMode.halfUp
    assert release.manifest.defaultRegion == "NL"


def test_an_offering_has_its_references_and_lists_as_tuples(release: CatalogRelease) -> None:
    offering = release.offering("fibre-500")
    assert offering.lifecycleStatus is LifecycleStatus.launched
    assert offering.validFor == TimePeriod(startDateTime=JAN_1)  # a bare date is midnight UTC
    assert offering.productSpecification == "fibre-access"
    assert offering.channel == ("web", "app", "retail")
    assert offering.productOfferingPrice == ("fibre-500-monthly", "fibre-install-fee", "fibre-app-discount")
    assert (offering.eligibilityPolicy, offering.orderFlow) == ("fibre-serviceability", "fibre-provisioning")
    assert offering.exclusivityGroup == "broadband-access"
    assert offering.isSellable and not offering.isBundle


def test_examples_become_requests_and_expected_outcomes(release: CatalogRelease) -> None:
    first, second = release.offering("fibre-500").examples
    assert first.path == "$.spec.examples[0]"
    assert first.request.context.date == date(2026, 3, 1)
    assert first.request.cart[0].characteristic == {"contractTerm": 24}
    assert first.expect.qualification is QualificationOutcome.qualified
    assert first.expect.oneTimeTotal == Decimal("49.00")
    assert first.expect.recurringTotal == {"month": Decimal("39.99")}
    assert first.expect.taxIncludedRecurringTotal == {"month": Decimal("48.39")}
    assert second.expect.reasons == ("FIBRE_NOT_AVAILABLE",)


def test_money_is_an_exact_decimal_whether_quoted_or_not(release: CatalogRelease) -> None:
    assert release.price("fibre-500-monthly", JAN_1).price == Money(Decimal("39.99"), "EUR")
    assert release.price("fibre-500-monthly", JULY_1).price == Money(Decimal("42.50"), "EUR")
    matrix = release.price("static-ip-monthly").matrix
    assert matrix is not None and matrix.rows[1].price.value == Decimal("0.1")


def test_a_new_price_version_keeps_its_existing_subscriber_policy(release: CatalogRelease) -> None:
    rise = release.price("fibre-500-monthly", JULY_1)
    assert rise.validFor.startDateTime == JULY_1
    assert rise.existingSubscribers.policy is ExistingSubscriberPolicy.onDate
    assert rise.existingSubscribers.effectiveDate == datetime(2026, 9, 1, tzinfo=UTC)
    assert release.price("fibre-500-monthly", JAN_1).validFor.endDateTime == JULY_1


def test_a_recurring_price_has_its_period(release: CatalogRelease) -> None:
    monthly = release.price("fibre-500-monthly", JAN_1)
    assert monthly.priceType is PriceType.recurring
    assert (monthly.recurringChargePeriodType, monthly.recurringChargePeriodLength) == (ChargePeriod.month, 1)


def test_a_usage_price_has_tiers_and_an_allowance(release: CatalogRelease) -> None:
    usage = release.price("out-of-bundle-data")
    assert (usage.priceType, usage.unitOfMeasure, usage.tierMode) == (
        PriceType.usage,
        "GB",
        TierMode.graduated,
    )
    assert usage.includedAllowance == Decimal(10)
    (low, high) = usage.tiers
    assert (low.fromQuantity, low.toQuantity, low.price) == (Decimal(0), Decimal(5), Money.of("2.00", "EUR"))
    assert (high.fromQuantity, high.toQuantity, high.price) == (Decimal(5), None, Money.of("1", "EUR"))


def test_a_matrix_price_is_looked_up_by_characteristic_values(release: CatalogRelease) -> None:
    matrix = release.price("static-ip-monthly").matrix
    assert matrix is not None
    assert matrix.characteristics == ("downloadSpeed", "contractTerm")
    row = matrix.lookup({"downloadSpeed": "500", "contractTerm": "12"})
    assert row is not None and row.price == Money.of("5.00", "EUR")


def test_a_discount_has_percentage_duration_scope_and_condition(release: CatalogRelease) -> None:
    discount = release.price("fibre-app-discount")
    assert discount.priceType is PriceType.discount
    assert discount.percentage == Decimal("12.5")
    assert (discount.applicationDuration, discount.priority, discount.channel) == (12, 10, ("app",))
    assert discount.appliesTo == ("fibre-500-monthly",)
    assert discount.condition is not None
    assert discount.condition.productOffering == ("fibre-500",)
    assert discount.condition.scope is AlterationScope.cartOrInventory


def test_a_policy_holds_a_nested_condition_tree(release: CatalogRelease) -> None:
    policy = release.policy("fibre-serviceability")
    at_address, credit = policy.rules
    assert at_address.condition == Predicate("address.fibreAvailable", Operator.equal, True)
    assert credit.condition == Any(
        (
            Predicate("customer.creditClass", Operator.isIn, ("A", "B")),
            All(
                (
                    Predicate("customer.creditClass", Operator.equal, "C"),
                    Predicate("account.tenureMonths", Operator.greaterThanOrEqual, 12),
                    Not(Predicate("context.date", Operator.lessThan, date(2026, 2, 1))),
                )
            ),
        )
    )
    assert policy.alternates[0].productOffering == "fibre-500"
    assert policy.alternates[0].reasonCodes == ("CREDIT_CHECK_FAILED",)


def test_an_order_flow_has_steps_per_action_with_durations(release: CatalogRelease) -> None:
    flow = release.order_flow("fibre-provisioning")
    reserve, install = flow.steps(ItemAction.add)
    assert reserve.timeout == timedelta(hours=1)
    assert reserve.compensation is not None and reserve.compensation.action is ServiceAction.delete
    assert install.dependsOn == ("reserve-port",)
    assert install.pointOfNoReturn and install.timeout == timedelta(days=5)
    assert flow.steps(ItemAction.modify)[0].timeout == timedelta(days=1, hours=2)
    assert flow.steps(ItemAction.delete)[0].action is ServiceAction.delete
    assert flow.steps(ItemAction.delete)[0].timeout == timedelta(minutes=30)


def test_a_specification_has_characteristics_with_values_and_ranges(release: CatalogRelease) -> None:
    spec = release.specification("fibre-access")
    speed = spec.characteristic("downloadSpeed")
    assert speed is not None and speed.valueType is CharacteristicValueType.integer
    assert speed.default == 500 and speed.allowed_values == (500, 1000)
    ips = spec.characteristic("staticIpCount")
    assert ips is not None and ips.admits(8) and not ips.admits(9)


def test_categories_service_specifications_and_tax_rates(release: CatalogRelease) -> None:
    assert {c.id: c.parentId for c in release.all(Category)} == {"fixed": None, "broadband": "fixed"}
    assert {s.id for s in release.all(ServiceSpecification)} == {"cfs-internet-access", "rfs-olt-port"}
    tax = release.tax_table()
    assert tax is not None
    rate = tax.rate_for("standard", "ES-CN", "ES")
    assert rate is not None and rate.rate == Decimal(7)
    assert [r.rate for r in tax.rates] == [Decimal(21), Decimal("9.0"), Decimal(7)]


def test_parsed_objects_are_immutable_all_the_way_down(release: CatalogRelease) -> None:
    flow = release.order_flow("fibre-provisioning")
    assert isinstance(flow, OrderFlow)
    with pytest.raises(dataclasses.FrozenInstanceError):
        flow.name = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        flow.actions[ItemAction.noChange] = ()  # type: ignore[index]
    with pytest.raises(TypeError):
        flow.source.positions["$"] = (9, 9)  # type: ignore[index]
    expect = release.offering("fibre-500").examples[0].expect
    with pytest.raises(TypeError):
        expect.recurringTotal["month"] = Decimal(0)  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT1H", timedelta(hours=1)),
        ("P5D", timedelta(days=5)),
        ("PT30M", timedelta(minutes=30)),
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("P2W", timedelta(weeks=2)),
        ("PT90S", timedelta(seconds=90)),
        ("P1DT1H1M1S", timedelta(days=1, hours=1, minutes=1, seconds=1)),
    ],
)
def test_iso_durations_are_parsed(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["P", "PT", "P1DT", "P1M", "P1Y", "1H", "PT1.5H", "pt1h", "P99999999999D"])
def test_durations_without_a_fixed_length_or_malformed_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-01", JAN_1),
        ("2026-01-01T00:00:00Z", JAN_1),
        ("2026-07-01T02:00:00+02:00", datetime(2026, 7, 1, tzinfo=UTC)),
        ("2026-01-01T00:00Z", JAN_1),
    ],
)
def test_datetimes_are_timezone_aware(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text, "$.spec.validFor.startDateTime")
    assert parsed == expected and parsed.tzinfo is not None


@pytest.mark.parametrize("text", ["2026-02-30", "2026-01-01T10:00:00", "yesterday"])
def test_invalid_or_naive_datetimes_are_refused_with_their_path(text: str) -> None:
    with pytest.raises(SpecParseError) as raised:
        parse_datetime(text, "$.spec.effectiveDate")
    assert raised.value.problems[0].path == "$.spec.effectiveDate"
    assert raised.value.problems[0].code == "INVALID_DATETIME"
