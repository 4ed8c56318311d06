"""Other breaking changes: dead bundle components, removed characteristic values, narrowed eligibility."""

from __future__ import annotations

from collections.abc import Iterator

from engine.diff.common import effective, upcoming
from engine.diff.model import Change
from engine.lifecycle import is_sellable
from engine.spec.common import Kind
from engine.spec.policy import EligibilityPolicy
from engine.spec.product import (
    CharacteristicValue,
    ProductOffering,
    ProductSpecCharacteristic,
    ProductSpecification,
)
from engine.spec.release import CatalogRelease

BUNDLE_REASON = "a sellable bundle still includes an offering that can no longer be sold"
VALUE_REASON = "customers may hold a product configured with a value that no longer exists"
NARROWED_REASON = "eligibility narrowed: customers who qualified before may no longer qualify"


def _including_bundles(new: CatalogRelease, offering_id: str, during: ProductOffering | None) -> list[str]:
    found: list[str] = []
    for bundle_id in new.ids(Kind.ProductOffering):
        for bundle in upcoming(new, ProductOffering, bundle_id):
            sellable = is_sellable(bundle.lifecycleStatus)
            includes = any(b.id == offering_id for b in bundle.bundledProductOffering)
            overlaps = during is None or bundle.validFor.overlaps(during.validFor)
            if sellable and includes and overlaps and bundle_id not in found:
                found.append(bundle_id)
    return found


def bundle_components(old: CatalogRelease, new: CatalogRelease) -> Iterator[Change]:
    """An offering sellable before that is retired, obsolete or removed while a sellable bundle includes it."""
    for offering_id in old.ids(Kind.ProductOffering):
        before = effective(old, ProductOffering, offering_id)
        if before is None or not is_sellable(before.lifecycleStatus):
            continue
        after = upcoming(new, ProductOffering, offering_id)
        dead: list[tuple[str, ProductOffering | None]] = [("removed", None)] if not after else []
        dead += [(str(v.lifecycleStatus), v) for v in after if not is_sellable(v.lifecycleStatus)]
        for state, version in dead:
            bundles = _including_bundles(new, offering_id, version)
            if bundles:
                description = f"{state} while bundle {', '.join(bundles)} still includes it"
                yield Change(Kind.ProductOffering, offering_id, description, True, BUNDLE_REASON)


def _lost_values(old: ProductSpecCharacteristic, new: ProductSpecCharacteristic) -> Iterator[str]:
    value: CharacteristicValue
    for value in old.productSpecCharacteristicValue:
        if value.value is not None and not new.admits(value.value):
            yield f"value {value.value} of {old.name} removed"
        for bound in (value.valueFrom, value.valueTo):
            if bound is not None and not new.admits(bound):
                yield f"range of {old.name} no longer admits {bound}"


def characteristic_values(old: CatalogRelease, new: CatalogRelease) -> Iterator[Change]:
    """A characteristic, or one of its values, that a held product may use and the new release drops."""
    for spec_id in old.ids(Kind.ProductSpecification):
        before = effective(old, ProductSpecification, spec_id)
        if before is None:
            continue
        for after in upcoming(new, ProductSpecification, spec_id):
            for characteristic in before.productSpecCharacteristic:
                current = after.characteristic(characteristic.name)
                findings = (
                    [f"characteristic {characteristic.name} removed"]
                    if current is None
                    else list(_lost_values(characteristic, current))
                )
                for finding in findings:
                    yield Change(Kind.ProductSpecification, spec_id, finding, True, VALUE_REASON)


def _rule_changes(before: EligibilityPolicy, after: EligibilityPolicy) -> Iterator[Change]:
    old_rules = {r.id: r for r in before.rules}
    new_rules = {r.id: r for r in after.rules}
    for rule_id, rule in new_rules.items():
        if rule_id not in old_rules:
            yield Change(Kind.EligibilityPolicy, before.id, f"rule {rule_id} added", True, NARROWED_REASON)
        elif rule.condition != old_rules[rule_id].condition:
            description = f"condition of rule {rule_id} changed"
            yield Change(Kind.EligibilityPolicy, before.id, description, True, NARROWED_REASON)
    for rule_id in old_rules:
        if rule_id not in new_rules:
            yield Change(Kind.EligibilityPolicy, before.id, f"rule {rule_id} removed (eligibility widened)")


def _shrank(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    # An empty list restricts nothing, like a price's `channel`: emptying a list widens, filling one narrows.
    if not new:
        return False
    return not old or any(value not in new for value in old)


def _offering_narrowing(before: ProductOffering, after: ProductOffering) -> Iterator[str]:
    for name, old, new in (
        ("channel", before.channel, after.channel),
        ("marketSegment", before.marketSegment, after.marketSegment),
    ):
        if _shrank(old, new):
            yield f"{name} narrowed: [{', '.join(old) or 'any'}] → [{', '.join(new)}]"
    if after.eligibilityPolicy is not None and after.eligibilityPolicy != before.eligibilityPolicy:
        yield f"eligibilityPolicy: {before.eligibilityPolicy or 'none'} → {after.eligibilityPolicy}"


def eligibility(old: CatalogRelease, new: CatalogRelease) -> Iterator[Change]:
    """Rules added or changed, channels or segments shrunk, a policy put on an offering: all narrow it."""
    for policy_id in old.ids(Kind.EligibilityPolicy):
        before = effective(old, EligibilityPolicy, policy_id)
        for after in upcoming(new, EligibilityPolicy, policy_id):
            if before is not None:
                yield from _rule_changes(before, after)
    for offering_id in old.ids(Kind.ProductOffering):
        was = effective(old, ProductOffering, offering_id)
        for now in upcoming(new, ProductOffering, offering_id):
            for finding in _offering_narrowing(was, now) if was is not None else ():
                yield Change(Kind.ProductOffering, offering_id, finding, True, NARROWED_REASON)
