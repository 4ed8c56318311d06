"""Usage tiers: ascending, contiguous from 0, non-overlapping, the last one open-ended."""

from __future__ import annotations

from collections.abc import Iterator

from engine.spec.price import PriceTier, ProductOfferingPrice
from engine.validation.semantic.codes import SemanticCode
from engine.validation.semantic.common import Problem


def _order(tiers: tuple[PriceTier, ...]) -> Iterator[Problem]:
    for i, tier in enumerate(tiers):
        path = f"$.spec.tiers[{i}]"
        if tier.fromQuantity < 0:
            yield (
                f"{path}.fromQuantity",
                f"fromQuantity {tier.fromQuantity} is negative",
                SemanticCode.TIER_ORDER,
            )
        if tier.toQuantity is not None and tier.toQuantity <= tier.fromQuantity:
            message = (
                f"tier {tier.fromQuantity}..{tier.toQuantity} is empty: toQuantity must exceed fromQuantity"
            )
            yield f"{path}.toQuantity", message, SemanticCode.TIER_ORDER
        if i and tier.fromQuantity < tiers[i - 1].fromQuantity:
            message = f"tiers must ascend: {tier.fromQuantity} comes after {tiers[i - 1].fromQuantity}"
            yield f"{path}.fromQuantity", message, SemanticCode.TIER_ORDER


def _coverage(tiers: tuple[PriceTier, ...]) -> Iterator[Problem]:
    if tiers[0].fromQuantity > 0:
        message = f"the first tier starts at {tiers[0].fromQuantity}: usage below it has no price"
        yield "$.spec.tiers[0].fromQuantity", message, SemanticCode.TIER_GAP
    for i in range(1, len(tiers)):
        previous, tier = tiers[i - 1], tiers[i]
        path = f"$.spec.tiers[{i}].fromQuantity"
        if previous.toQuantity is None:
            message = f"tier {i - 1} has no upper bound, so tier {i} overlaps it"
            yield path, message, SemanticCode.TIER_OVERLAP
        elif tier.fromQuantity < previous.toQuantity:
            message = (
                f"starts at {tier.fromQuantity}, inside the previous tier ending at {previous.toQuantity}"
            )
            yield path, message, SemanticCode.TIER_OVERLAP
        elif tier.fromQuantity > previous.toQuantity:
            message = f"starts at {tier.fromQuantity}: usage from {previous.toQuantity} has no price"
            yield path, message, SemanticCode.TIER_GAP
    last = tiers[-1]
    if last.toQuantity is not None:
        message = f"the last tier ends at {last.toQuantity}: usage above it has no price (omit toQuantity)"
        yield f"$.spec.tiers[{len(tiers) - 1}].toQuantity", message, SemanticCode.TIER_GAP


def tier_errors(p: ProductOfferingPrice) -> Iterator[Problem]:
    """Tier problems; gaps and overlaps are only judged once the tiers are in order."""
    if not p.tiers:
        return
    disorder = list(_order(p.tiers))
    yield from disorder
    if not disorder:
        yield from _coverage(p.tiers)
