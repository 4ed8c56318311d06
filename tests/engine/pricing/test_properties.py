"""Properties every quote keeps, over generated catalogs and carts."""

from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from pricing_builders import discount, item, offering, one_time, recurring, release, request

from engine.facts import CartItem, InventoryItem, ItemAction
from engine.money import Money, RoundingMode
from engine.pricing import Quote, quote
from engine.spec.price import AlterationScope, ProductOfferingPrice
from engine.spec.release import CatalogRelease

OFFERINGS = ("fibre", "mobile", "tv")
HALF_CENT = Decimal("0.005")

amounts = st.decimals(min_value=0, max_value=500, places=3, allow_nan=False, allow_infinity=False)
percentages = st.decimals(min_value=0, max_value=150, places=2, allow_nan=False, allow_infinity=False)
modes = st.sampled_from(RoundingMode)


@dataclass(frozen=True)
class Case:
    release: CatalogRelease
    cart: tuple[CartItem, ...]
    inventory: tuple[InventoryItem, ...]


@st.composite
def discounts(draw: st.DrawFn, owner: str) -> list[ProductOfferingPrice]:
    result = []
    for n in range(draw(st.integers(0, 3))):
        fixed = draw(st.booleans())
        result.append(
            discount(
                f"{owner}-off-{n}",
                percentage=None if fixed else str(draw(percentages)),
                amount=str(draw(amounts)) if fixed else None,
                priority=draw(st.integers(0, 3)),
                applies_to=draw(st.sampled_from(((), (f"{owner}-monthly",), (f"{owner}-once",)))),
                condition=draw(
                    st.none()
                    | st.builds(
                        lambda o, n, s: ((o,), n, s),
                        st.sampled_from(OFFERINGS),
                        st.integers(1, 3),
                        st.sampled_from(AlterationScope),
                    )
                ),
            )
        )
    return result


@st.composite
def cases(draw: st.DrawFn) -> Case:
    entities: list[object] = []
    for name in OFFERINGS:
        offs = draw(discounts(name))
        monthly = recurring(f"{name}-monthly", str(draw(amounts)))
        once = one_time(
            f"{name}-once", str(draw(amounts)), tax_category=draw(st.sampled_from(("standard", "reduced")))
        )
        entities += [offering(name, monthly.id, once.id, *(d.id for d in offs)), monthly, once, *offs]
    cart = tuple(
        item(
            draw(st.sampled_from(OFFERINGS)),
            str(i),
            quantity=draw(st.integers(1, 4)),
            action=draw(st.sampled_from(ItemAction)),
        )
        for i in range(draw(st.integers(0, 6)))
    )
    inventory = tuple(InventoryItem(o) for o in draw(st.lists(st.sampled_from(OFFERINGS), max_size=3)))
    return Case(release(*entities, mode=draw(modes)), cart, inventory)  # type: ignore[arg-type]


def _quote(case: Case, cart: tuple[CartItem, ...] | None = None) -> Quote:
    return quote(case.release, request(*(case.cart if cart is None else cart), inventory=case.inventory))


def _sum(values: list[Money]) -> Decimal:
    return sum((m.value for m in values), Decimal(0))


@given(cases())
def test_every_total_equals_the_sum_of_its_rounded_lines(case: Case) -> None:
    result = _quote(case)

    for period, total in result.totals.recurring.items():
        lines = [line for line in result.lines if line.period == period]
        assert total.dutyFreeAmount.value == _sum([line.dutyFreeAmount for line in lines])
        assert total.taxIncludedAmount.value == _sum([line.taxIncludedAmount for line in lines])
    once = [line for line in result.lines if line.period is None]
    assert result.totals.oneTime.dutyFreeAmount.value == _sum([line.dutyFreeAmount for line in once])
    assert result.totals.oneTime.taxIncludedAmount.value == _sum([line.taxIncludedAmount for line in once])
    per_item = [i.totals.oneTime.taxIncludedAmount for i in result.items]
    assert result.totals.oneTime.taxIncludedAmount.value == _sum(per_item)


@given(cases())
def test_a_discount_never_makes_a_charge_negative(case: Case) -> None:
    for line in _quote(case).lines:
        assert line.dutyFreeAmount.value >= 0
        assert line.taxIncludedAmount.value >= line.dutyFreeAmount.value
        assert _sum([a.amount for a in line.priceAlteration]) <= line.unitPrice.value * line.quantity


@given(cases())
def test_the_order_of_cart_items_does_not_change_the_totals(case: Case) -> None:
    assert _quote(case, tuple(reversed(case.cart))).totals == _quote(case).totals


@given(amounts, st.integers(1, 5), st.none() | percentages, modes)
def test_rounding_stays_within_half_a_minor_unit_of_the_exact_amounts(
    value: Decimal, quantity: int, percentage: Decimal | None, mode: RoundingMode
) -> None:
    offs = [] if percentage is None else [discount("off", percentage=str(percentage))]
    rel = release(
        offering("o", "monthly", *(d.id for d in offs)), recurring("monthly", str(value)), *offs, mode=mode
    )

    (line,) = quote(rel, request(item("o", quantity=quantity))).lines

    kept = max(Decimal(0), 1 - (percentage or Decimal(0)) / 100)
    exact = value * quantity * kept
    assert abs(line.dutyFreeAmount.value - exact) <= HALF_CENT
    assert abs(line.taxAmount.value - line.dutyFreeAmount.value * line.taxRate / 100) <= HALF_CENT
    assert line.dutyFreeAmount.value == line.dutyFreeAmount.value.quantize(Decimal("0.01"))
