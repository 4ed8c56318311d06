"""The rules an item is checked against: its policy's, and those the engine derives from the catalog.

Derived rules that are conditions over facts (channel, segment, requires, excludes, exclusivity) are built
as condition trees and compile to durable like policy rules. Each has an engine-owned reason code:
- CHANNEL_NOT_ALLOWED: the request's channel is not one of the offering's `channel` (none listed: any).
- SEGMENT_NOT_ALLOWED: the customer's segment is not one of its `marketSegment` (none listed: any).
- REQUIRES_MISSING: one rule per `requires` relationship, all of them must hold: a requires target the
  customer would not hold alongside the item (`item.otherOfferings`). Several `requires` entries mean all-of;
  an any-of need is written as a policy rule over categories.
- EXCLUDED_BY: one rule per excluded offering, in either direction: the item's own `excludes` and every
  offering of the release (any version) that excludes the item's offering.
- EXCLUSIVITY_GROUP: another offering of the item's exclusivity group, or another instance of the same
  offering, held alongside it (`item.otherGroups` contains the group).
Structural checks that are not conditions over facts (sellable, in effect, bundle membership and
cardinality) are evaluated in Python, in `engine.eligibility_bundles` and `engine.eligibility`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.eligibility_facts import CATALOG_FACT_TYPES, OTHER_GROUPS, OTHER_OFFERINGS
from engine.rules.compiler import CompiledRule, compile_rule
from engine.rules.values import VOCABULARY_TYPES
from engine.spec.conditions import Condition, Not, Operator, Predicate
from engine.spec.policy import EligibilityPolicy
from engine.spec.product import ProductOffering, RelationshipType
from engine.spec.release import CatalogRelease

CATALOG = "catalog"
CART = "cart"


@dataclass(frozen=True, slots=True)
class ItemRule:
    """A rule evaluated for a cart item: met when `condition` holds, else it reports `reasonCode`."""

    source: str  # the policy id, or "catalog"
    ruleId: str
    reasonCode: str
    message: str
    condition: Condition

    @property
    def key(self) -> str:
        return f"{self.source}:{self.ruleId}"


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one rule for one item."""

    source: str
    ruleId: str
    reasonCode: str
    message: str
    met: bool

    def describe(self) -> str:
        outcome = "met" if self.met else f"unmet ({self.reasonCode})"
        return f"{self.source}/{self.ruleId}: {outcome}"


@dataclass(frozen=True, slots=True)
class CatalogIndex:
    """Relationships that span offerings, computed once per release."""

    excludedBy: Mapping[str, frozenset[str]]  # offering id -> ids of the offerings that exclude it

    @classmethod
    def of(cls, release: CatalogRelease) -> CatalogIndex:
        excluded_by: dict[str, set[str]] = {}
        for offering in release.all(ProductOffering):
            for excluded in offering.related(RelationshipType.excludes):
                excluded_by.setdefault(excluded, set()).add(offering.id)
        return cls({k: frozenset(v) for k, v in excluded_by.items()})


def _not_held(offering_id: str) -> Predicate:
    return Predicate(OTHER_OFFERINGS, Operator.notContains, offering_id)


def catalog_rules(offering: ProductOffering, index: CatalogIndex) -> tuple[ItemRule, ...]:
    """The derived rules of one offering version that are conditions over facts."""
    rules: list[ItemRule] = []
    if offering.channel:
        rules.append(
            ItemRule(
                CATALOG,
                "channel",
                "CHANNEL_NOT_ALLOWED",
                f"{offering.name} is sold only through {', '.join(offering.channel)}",
                Predicate("context.channel", Operator.isIn, offering.channel),
            )
        )
    if offering.marketSegment:
        rules.append(
            ItemRule(
                CATALOG,
                "segment",
                "SEGMENT_NOT_ALLOWED",
                f"{offering.name} is sold only to {', '.join(offering.marketSegment)} customers",
                Predicate("customer.segment", Operator.isIn, offering.marketSegment),
            )
        )
    for required in dict.fromkeys(offering.related(RelationshipType.requires)):
        rules.append(
            ItemRule(
                CATALOG,
                f"requires:{required}",
                "REQUIRES_MISSING",
                f"{offering.name} requires {required}, held or ordered together",
                Predicate(OTHER_OFFERINGS, Operator.contains, required),
            )
        )
    excluded = set(offering.related(RelationshipType.excludes)) | index.excludedBy.get(
        offering.id, frozenset()
    )
    for other in sorted(excluded):
        rules.append(
            ItemRule(
                CATALOG,
                f"excludes:{other}",
                "EXCLUDED_BY",
                f"{offering.name} cannot be combined with {other}",
                _not_held(other),
            )
        )
    group = offering.exclusivityGroup
    if group is not None:
        rules.append(
            ItemRule(
                CATALOG,
                f"exclusivity:{group}",
                "EXCLUSIVITY_GROUP",
                f"A customer may hold only one offering of the group {group}",
                Predicate(OTHER_GROUPS, Operator.notContains, group),
            )
        )
    return tuple(rules)


def policy_rules(policy: EligibilityPolicy | None) -> tuple[ItemRule, ...]:
    if policy is None:
        return ()
    return tuple(
        ItemRule(policy.id, rule.id, rule.reasonCode, rule.message, rule.condition) for rule in policy.rules
    )


def compile_item_rules(derived: tuple[ItemRule, ...], policy: tuple[ItemRule, ...]) -> list[CompiledRule]:
    """Compile an item's rules as their negations: durable then fires only for unmet rules, so a qualifying
    item costs one action callback instead of one per rule. Policies may read only the vocabulary."""
    return [compile_rule(r.key, Not(r.condition), CATALOG_FACT_TYPES) for r in derived] + [
        compile_rule(r.key, Not(r.condition), VOCABULARY_TYPES) for r in policy
    ]
