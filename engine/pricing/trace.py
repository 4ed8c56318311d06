"""The explanation trace: every step of a quote in order, so support can answer "why is my price X"."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from engine.money import Money


class TraceStep(StrEnum):
    item = "item"  # a cart item priced or skipped
    characteristic = "characteristic"  # a characteristic value chosen or defaulted
    price = "price"  # a price component considered, selected or not in effect
    usage = "usage"  # a rate card and its estimated usage charge
    alteration = "alteration"  # a discount that fired, or did not and why
    rounding = "rounding"  # an exact line amount rounded to the currency's minor unit
    tax = "tax"  # the tax rate chosen for a line


@dataclass(frozen=True, slots=True)
class TraceEntry:
    itemId: str | None
    step: TraceStep
    message: str
    amount: Money | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "itemId": self.itemId,
            "step": self.step.value,
            "message": self.message,
            "amount": None if self.amount is None else money_dict(self.amount),
        }


@dataclass(slots=True)
class Trace:
    """Collects entries during one quote; local to that quote, then frozen into a tuple."""

    _entries: list[TraceEntry] = field(default_factory=list)

    def add(self, itemId: str | None, step: TraceStep, message: str, amount: Money | None = None) -> None:
        self._entries.append(TraceEntry(itemId, step, message, amount))

    def entries(self) -> tuple[TraceEntry, ...]:
        return tuple(self._entries)


def money_dict(money: Money) -> dict[str, str]:
    """TMF `Money` as JSON: the value as an exact decimal string."""
    return {"unit": money.unit, "value": str(money.value)}
