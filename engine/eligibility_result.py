"""Qualification results in TMF679 terms: an outcome per item with every unmet rule, alternates, a trace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engine.spec.product import QualificationOutcome


@dataclass(frozen=True, slots=True)
class UnavailabilityReason:
    """TMF679 `eligibilityUnavailabilityReason`; `source` is the policy id, "catalog" or "cart"."""

    code: str
    label: str
    ruleId: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "ruleId": self.ruleId, "source": self.source}


@dataclass(frozen=True, slots=True)
class ItemQualification:
    """One cart item's outcome; `trace` lists every rule evaluated and its outcome, for support."""

    itemId: str
    productOffering: str
    qualificationItemResult: QualificationOutcome
    eligibilityUnavailabilityReason: tuple[UnavailabilityReason, ...] = ()
    alternates: tuple[str, ...] = ()
    trace: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "itemId": self.itemId,
            "productOffering": self.productOffering,
            "qualificationItemResult": self.qualificationItemResult.value,
            "eligibilityUnavailabilityReason": [r.to_dict() for r in self.eligibilityUnavailabilityReason],
            "alternates": list(self.alternates),
            "trace": list(self.trace),
        }


@dataclass(frozen=True, slots=True)
class QualificationResult:
    """qualified if every item is; else unqualified if any item is; else alternate."""

    qualificationResult: QualificationOutcome
    items: tuple[ItemQualification, ...]

    @classmethod
    def of(cls, items: Sequence[ItemQualification]) -> QualificationResult:
        outcomes = {item.qualificationItemResult for item in items}
        if outcomes <= {QualificationOutcome.qualified}:
            overall = QualificationOutcome.qualified
        elif QualificationOutcome.unqualified in outcomes:
            overall = QualificationOutcome.unqualified
        else:
            overall = QualificationOutcome.alternate
        return cls(overall, tuple(items))

    def to_dict(self) -> dict[str, Any]:
        return {
            "qualificationResult": self.qualificationResult.value,
            "items": [i.to_dict() for i in self.items],
        }
