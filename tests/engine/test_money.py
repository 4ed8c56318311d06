from decimal import Decimal

import pytest

from engine.money import Money, RoundingMode, RoundingRule


def test_half_up_rounds_half_away_from_zero() -> None:
    assert RoundingRule(RoundingMode.halfUp).round(Decimal("2.345"), "EUR") == Decimal("2.35")


def test_half_even_rounds_half_to_even() -> None:
    assert RoundingRule(RoundingMode.halfEven).round(Decimal("2.345"), "EUR") == Decimal("2.34")


def test_currency_without_minor_units_rounds_to_whole_units() -> None:
    assert RoundingRule().round(Decimal("1234.5"), "JPY") == Decimal("1235")


def test_money_refuses_floats() -> None:
    with pytest.raises(TypeError):
        Money(12.5, "EUR")  # type: ignore[arg-type]


def test_adding_different_currencies_is_refused() -> None:
    with pytest.raises(ValueError, match="currency mismatch"):
        Money.of("1", "EUR") + Money.of("1", "GBP")
