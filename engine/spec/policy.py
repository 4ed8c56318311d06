"""EligibilityPolicy: rules over the fact model, each with a reason code, plus alternate proposals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from engine.spec.common import Entity, Kind
from engine.spec.conditions import Condition


@dataclass(frozen=True, slots=True)
class EligibilityRule:
    """The rule is met when `condition` holds; when it does not, `reasonCode` and `message` say why."""

    id: str
    reasonCode: str
    message: str
    condition: Condition


@dataclass(frozen=True, slots=True)
class AlternateProposal:
    """Offer `productOffering` instead when the policy fails for one of `reasonCodes` (empty: any)."""

    productOffering: str
    reasonCodes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EligibilityPolicy(Entity):
    kind: ClassVar[Kind] = Kind.EligibilityPolicy
    rules: tuple[EligibilityRule, ...] = ()
    alternates: tuple[AlternateProposal, ...] = ()
