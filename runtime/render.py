"""Plain-text rendering of qualification results and quotes for the terminal."""

from __future__ import annotations

from engine.eligibility import QualificationResult
from engine.pricing import Quote
from engine.pricing.model import ChargeTotal, QuoteLine


def render_qualification(result: QualificationResult) -> str:
    lines = [f"qualification: {result.qualificationResult.value}"]
    for item in result.items:
        lines.append(f"  item {item.itemId} {item.productOffering}: {item.qualificationItemResult.value}")
        for reason in item.eligibilityUnavailabilityReason:
            lines.append(f"      {reason.code}: {reason.label}")
        if item.alternates:
            lines.append(f"      alternates: {', '.join(item.alternates)}")
    return "\n".join(lines)


def _line(line: QuoteLine) -> str:
    period = f"/{line.period}" if line.period else ""
    volume = f" ({line.usageVolume} {line.unitOfMeasure})" if line.usageVolume is not None else ""
    text = (
        f"    {line.priceType.value:<9} {line.name}{volume}: {line.dutyFreeAmount}{period}"
        f" + {line.taxRate}% tax = {line.taxIncludedAmount}{period}"
    )
    for alteration in line.priceAlteration:
        text += f"\n        - {alteration.name}: -{alteration.amount}"
        if alteration.applicationDuration is not None:
            text += f" for {alteration.applicationDuration} cycles"
    return text


def _total(label: str, total: ChargeTotal) -> str:
    return f"  {label:<16} {total.dutyFreeAmount} excl. tax, {total.taxIncludedAmount} incl. tax"


def render_quote(priced: Quote, *, with_trace: bool) -> str:
    out = [f"quote against release {priced.releaseId} on {priced.date} via {priced.channel}:"]
    for item in priced.items:
        out.append(
            f"  item {item.itemId} {item.productOffering}@{item.productOfferingVersion} x{item.quantity}"
        )
        out.extend(_line(line) for line in item.lines)
        for card in item.rateCards:
            tiers = ", ".join(
                f"{t.fromQuantity}-{t.toQuantity if t.toQuantity is not None else '∞'}: {t.price}"
                for t in card.tiers
            )
            out.append(
                f"    rate card {card.name}: {card.includedAllowance} {card.unitOfMeasure} included; "
                f"{card.tierMode.value} {tiers or card.price}"
            )
    out.append("totals:")
    out.append(_total("one-time", priced.totals.oneTime))
    out.extend(_total(f"per {period}", total) for period, total in priced.totals.recurring.items())
    if priced.totals.usage.dutyFreeAmount.value:
        out.append(_total("usage estimate", priced.totals.usage))
    if with_trace:
        out.append("trace:")
        out.extend(f"  [{e.itemId}] {e.step.value}: {e.message}" for e in priced.trace)
    return "\n".join(out)
