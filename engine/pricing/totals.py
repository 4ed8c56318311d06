"""Totals as sums of rounded lines, so a total always equals the sum of its lines."""

from __future__ import annotations

from collections.abc import Iterable

from engine.pricing.model import ChargeTotal, QuoteLine, Totals
from engine.spec.price import PriceType


def totals_of(lines: Iterable[QuoteLine], currency: str) -> Totals:
    """One-time, recurring per period label and usage estimate totals of these lines."""
    one_time = ChargeTotal.zero(currency)
    usage = ChargeTotal.zero(currency)
    recurring: dict[str, ChargeTotal] = {}
    for line in lines:
        if line.priceType is PriceType.oneTime:
            one_time = one_time.plus(line)
        elif line.priceType is PriceType.usage:
            usage = usage.plus(line)
        else:
            # A recurring line always has a period: the charge step refuses a recurring price without one.
            period = line.period or ""
            recurring[period] = recurring.get(period, ChargeTotal.zero(currency)).plus(line)
    return Totals(oneTime=one_time, recurring=dict(sorted(recurring.items())), usage=usage)
