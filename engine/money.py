"""Exact money: Decimal amounts with an ISO 4217 currency, and the one declared rounding rule."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from enum import StrEnum

# Minor units per currency (ISO 4217). Currencies outside this table are refused, not guessed.
MINOR_UNITS: dict[str, int] = {
    "EUR": 2,
    "GBP": 2,
    "USD": 2,
    "CHF": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "PLN": 2,
    "CZK": 2,
    "HUF": 2,
    "RON": 2,
    "JPY": 0,
    "KWD": 3,
}


class RoundingMode(StrEnum):
    halfUp = "halfUp"
    halfEven = "halfEven"

    @property
    def decimal_mode(self) -> str:
        return ROUND_HALF_UP if self is RoundingMode.halfUp else ROUND_HALF_EVEN


@dataclass(frozen=True, slots=True)
class RoundingRule:
    """Declared once per release: charge lines are rounded to the currency's minor unit with this mode."""

    mode: RoundingMode = RoundingMode.halfUp

    def round(self, amount: Decimal, currency: str) -> Decimal:
        quantum = Decimal(1).scaleb(-MINOR_UNITS[currency])
        return amount.quantize(quantum, rounding=self.mode.decimal_mode)


@dataclass(frozen=True, slots=True)
class Money:
    """TMF `Money`: `unit` is the ISO currency, `value` an exact Decimal (never a float)."""

    value: Decimal
    unit: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, Decimal):
            raise TypeError(f"Money.value must be Decimal, got {type(self.value).__name__}")
        if self.unit not in MINOR_UNITS:
            raise ValueError(f"unknown currency {self.unit!r}")

    @classmethod
    def of(cls, value: str | int | Decimal, unit: str) -> Money:
        return cls(Decimal(value), unit)

    @classmethod
    def zero(cls, unit: str) -> Money:
        return cls(Decimal(0), unit)

    def _same(self, other: Money) -> None:
        if other.unit != self.unit:
            raise ValueError(f"currency mismatch: {self.unit} and {other.unit}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.value + other.value, self.unit)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.value - other.value, self.unit)

    def times(self, factor: Decimal | int) -> Money:
        return Money(self.value * Decimal(factor), self.unit)

    def rounded(self, rule: RoundingRule) -> Money:
        return Money(rule.round(self.value, self.unit), self.unit)

    def __str__(self) -> str:
        return f"{self.value} {self.unit}"
