"""The designer's forms as plain rows, and the spec documents (docs/spec-language.md) they stand for.

Form values stay text, as typed: a money amount is sent as the decimal string the manager wrote, so it never
passes through a binary float. Validation is the engine's job (through the API); this module only shapes.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

API_VERSION = "switchboard.io/v1"
CHANNELS = ["web", "app", "retail", "callcentre", "partner"]
SEGMENTS = ["residential", "business", "enterprise"]
LIFECYCLE = ["inStudy", "inDesign", "inTest", "active", "launched", "retired", "obsolete", "rejected"]
PRICE_TYPES = ["oneTime", "recurring", "usage", "discount"]
PERIODS = ["month", "year", "week", "day"]
TIER_MODES = ["graduated", "volume"]
RELATIONSHIP_TYPES = ["requires", "excludes", "upgradesTo", "downgradesTo"]
VALUE_TYPES = ["string", "integer", "decimal", "boolean"]
_MISSING_FIELD = re.compile(r"missing required field '([A-Za-z]+)'")


@dataclasses.dataclass
class TierRow:
    from_quantity: str = ""
    to_quantity: str = ""
    price: str = ""


@dataclasses.dataclass
class PriceRow:
    id: str = ""
    name: str = ""
    price_type: str = "recurring"
    amount: str = ""
    period: str = "month"
    unit_of_measure: str = ""
    included_allowance: str = ""
    tier_mode: str = "graduated"
    percentage: str = ""
    duration: str = ""
    tiers: list[TierRow] = dataclasses.field(default_factory=list)
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class PredicateRow:
    fact: str = ""
    operator: str = "equal"
    value: str = ""


@dataclasses.dataclass
class RuleRow:
    id: str = ""
    reason_code: str = ""
    message: str = ""
    mode: str = "all"
    predicates: list[PredicateRow] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class CharacteristicRow:
    name: str = ""
    value_type: str = "string"
    value_list: str = ""
    configurable: bool = False


@dataclasses.dataclass
class LinkRow:
    """A bundled offering (with cardinality) or a relationship to another offering."""

    id: str = ""
    kind: str = "requires"
    lower: str = "1"
    upper: str = "1"
    default: str = "1"


@dataclasses.dataclass
class OfferingForm:
    id: str = ""
    name: str = ""
    description: str = ""
    lifecycle_status: str = "inDesign"
    valid_from: str = ""
    valid_to: str = ""
    channels: list[str] = dataclasses.field(default_factory=list)
    segments: list[str] = dataclasses.field(default_factory=list)
    categories: str = ""
    specification: str = ""
    order_flow: str = ""
    is_bundle: bool = False
    prices: list[PriceRow] = dataclasses.field(default_factory=list)
    rules: list[RuleRow] = dataclasses.field(default_factory=list)
    characteristics: list[CharacteristicRow] = dataclasses.field(default_factory=list)
    bundled: list[LinkRow] = dataclasses.field(default_factory=list)
    relationships: list[LinkRow] = dataclasses.field(default_factory=list)
    policy: str = ""
    kept_rules: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


def policy_id(offering_id: str) -> str:
    return f"{offering_id}-eligibility"


def form_policy(form: OfferingForm) -> str:
    """The offering's eligibility policy: the one it already names, or one of its own."""
    return form.policy or policy_id(form.id)


def specification_id(offering_id: str) -> str:
    return f"{offering_id}-spec"


def key(kind: str, entity_id: str) -> str:
    return f"{kind}/{entity_id}"


def _envelope(kind: str, entity_id: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": API_VERSION, "kind": kind, "metadata": {"id": entity_id}, "spec": spec}


def _words(text: str) -> list[str]:
    return [w for w in (part.strip() for part in text.split(",")) if w]


def _number(text: str) -> str | int:
    """A quantity as typed: whole numbers as integers, anything else as the exact text (the API checks it)."""
    stripped = text.strip()
    return int(stripped) if stripped.isdigit() else stripped


def _money(value: str, currency: str) -> dict[str, str]:
    return {"unit": currency, "value": value.strip()}


def _put(spec: dict[str, Any], name: str, value: Any) -> None:
    if value not in ("", [], {}, None):
        spec[name] = value


def offering_document(form: OfferingForm) -> dict[str, Any]:
    spec: dict[str, Any] = {**form.extra, "name": form.name}
    _put(spec, "description", form.description)
    spec["lifecycleStatus"] = form.lifecycle_status
    valid_for = {k: v for k, v in (("startDateTime", form.valid_from), ("endDateTime", form.valid_to)) if v}
    _put(spec, "validFor", valid_for)
    _put(spec, "productSpecification", form.specification)
    if form.is_bundle:
        spec["isBundle"] = True
        spec["bundledProductOffering"] = [_bundled(row) for row in form.bundled if row.id]
    _put(spec, "channel", [c for c in CHANNELS if c in form.channels])
    _put(spec, "marketSegment", [s for s in SEGMENTS if s in form.segments])
    _put(spec, "category", _words(form.categories))
    _put(spec, "productOfferingPrice", [p.id for p in form.prices if p.id])
    if form.rules or form.kept_rules:
        spec["eligibilityPolicy"] = form_policy(form)
    _put(spec, "orderFlow", form.order_flow)
    _put(
        spec,
        "productOfferingRelationship",
        [{"id": r.id, "relationshipType": r.kind} for r in form.relationships if r.id],
    )
    return _envelope("ProductOffering", form.id, spec)


def _bundled(row: LinkRow) -> dict[str, Any]:
    option = {
        "numberRelOfferLowerLimit": _number(row.lower),
        "numberRelOfferUpperLimit": _number(row.upper),
        "numberRelOfferDefault": _number(row.default),
    }
    return {"id": row.id, "bundledProductOfferingOption": option}


def price_document(row: PriceRow, currency: str) -> dict[str, Any]:
    spec: dict[str, Any] = {**row.extra, "name": row.name, "priceType": row.price_type}
    if row.price_type == "recurring":
        spec["recurringChargePeriodType"] = row.period
        spec["recurringChargePeriodLength"] = 1
    if row.price_type == "usage":
        _put(spec, "unitOfMeasure", row.unit_of_measure.strip())
        if row.included_allowance.strip():
            spec["includedAllowance"] = _number(row.included_allowance)
    if row.price_type == "discount":
        if row.percentage.strip():
            spec["percentage"] = _number(row.percentage)
        if row.duration.strip():
            spec["applicationDuration"] = _number(row.duration)
    if row.price_type == "usage" and row.tiers:
        spec["tierMode"] = row.tier_mode
        spec["tiers"] = [_tier(t, currency) for t in row.tiers]
    elif row.amount.strip() or (row.price_type != "discount" and "matrix" not in row.extra):
        spec["price"] = _money(row.amount, currency)
    return _envelope("ProductOfferingPrice", row.id, spec)


def _tier(row: TierRow, currency: str) -> dict[str, Any]:
    tier: dict[str, Any] = {"fromQuantity": _number(row.from_quantity)}
    if row.to_quantity.strip():
        tier["toQuantity"] = _number(row.to_quantity)
    tier["price"] = _money(row.price, currency)
    return tier


def typed_value(text: str, fact_type: str, operator: str) -> Any:
    """A rule's value in the fact's type: lists for `in`/`notIn`, booleans and integers as JSON values."""
    if operator in ("in", "notIn"):
        return [typed_value(part, fact_type, "equal") for part in _words(text)]
    stripped = text.strip()
    if fact_type == "boolean" and stripped.lower() in ("true", "false"):
        return stripped.lower() == "true"
    if fact_type == "integer" and re.fullmatch(r"-?[0-9]+", stripped):
        return int(stripped)
    return stripped


def _condition(rule: RuleRow, fact_types: dict[str, str]) -> dict[str, Any]:
    predicates = [
        {
            "fact": p.fact,
            "operator": p.operator,
            "value": typed_value(p.value, fact_types.get(p.fact, ""), p.operator),
        }
        for p in rule.predicates
    ]
    if len(predicates) == 1:
        return predicates[0]
    return {rule.mode: predicates}


def policy_document(form: OfferingForm, fact_types: dict[str, str]) -> dict[str, Any]:
    rules = [
        {
            "id": r.id,
            "reasonCode": r.reason_code,
            "message": r.message,
            "condition": _condition(r, fact_types),
        }
        for r in form.rules
    ]
    spec = {"name": f"{form.name} eligibility", "rules": rules + form.kept_rules}
    return _envelope("EligibilityPolicy", form_policy(form), spec)


def specification_document(form: OfferingForm) -> dict[str, Any]:
    characteristics = []
    for row in form.characteristics:
        values = [{"value": typed_value(v, row.value_type, "equal")} for v in _words(row.value_list)]
        item: dict[str, Any] = {
            "name": row.name,
            "valueType": row.value_type,
            "configurable": row.configurable,
        }
        _put(item, "productSpecCharacteristicValue", values)
        characteristics.append(item)
    spec = {"name": f"{form.name} specification", "productSpecCharacteristic": characteristics}
    return _envelope("ProductSpecification", specification_id(form.id), spec)


def documents(form: OfferingForm, currency: str, fact_types: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Every draft document the form stands for, by `kind/id`."""
    if form.characteristics and not form.specification:
        form = dataclasses.replace(form, specification=specification_id(form.id))
    result = {key("ProductOffering", form.id): offering_document(form)}
    for row in form.prices:
        if row.id:
            result[key("ProductOfferingPrice", row.id)] = price_document(row, currency)
    if form.rules or form.kept_rules:
        result[key("EligibilityPolicy", form_policy(form))] = policy_document(form, fact_types)
    if form.specification == specification_id(form.id) and form.characteristics:
        result[key("ProductSpecification", form.specification)] = specification_document(form)
    return result


def error_field(error: dict[str, Any]) -> str:
    """The form field an API validation error concerns, as `kind/id:json.path`.

    A missing field is reported at its parent object; the field's own path is where the form shows it.
    """
    file = str(error.get("file", ""))
    entity = file.removeprefix("draft:") if file.startswith("draft:") else file
    path = str(error.get("path", "$"))
    missing = _MISSING_FIELD.search(str(error.get("message", "")))
    if missing:
        path = f"{path}.{missing.group(1)}"
    return f"{entity}:{path}"


_OFFERING_FIELDS = {
    "name": "offering-name",
    "description": "offering-description",
    "lifecycleStatus": "offering-lifecycle",
    "validFor": "offering-valid-from",
    "channel": "offering-channels",
    "marketSegment": "offering-segments",
    "category": "offering-categories",
    "productSpecification": "offering-specification",
    "orderFlow": "offering-order-flow",
    "productOfferingPrice": "prices",
    "eligibilityPolicy": "rules",
    "bundledProductOffering": "bundled",
    "productOfferingRelationship": "relationships",
}
_PRICE_FIELDS = {
    "name": "name",
    "priceType": "type",
    "price": "amount",
    "recurringChargePeriodType": "period",
    "unitOfMeasure": "unit",
    "includedAllowance": "allowance",
    "tierMode": "tier-mode",
    "tiers": "tiers",
    "percentage": "percentage",
    "applicationDuration": "duration",
}
_TIER_FIELDS = {"fromQuantity": "from", "toQuantity": "to", "price": "price"}
_RULE_FIELDS = {"id": "id", "reasonCode": "reason", "message": "message"}
_PREDICATE_FIELDS = {"fact": "fact", "operator": "operator", "value": "value"}
_STEP = re.compile(r"\.([A-Za-z]+)|\[([0-9]+)\]")


def _steps(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _STEP.findall(path)]


def field_id(form: OfferingForm, error: dict[str, Any]) -> str:
    """The id of the form input an API validation error concerns, or "" when no input of the form does."""
    entity, _, path = error_field(error).partition(":")
    kind, _, entity_id = entity.partition("/")
    steps = _steps(path)[1:] if _steps(path)[:1] == ["spec"] else []
    if not steps:
        return ""
    head = steps[0]
    if kind == "ProductOffering" and entity_id == form.id:
        return _OFFERING_FIELDS.get(str(head), "")
    if kind == "ProductOfferingPrice":
        index = next((i for i, p in enumerate(form.prices) if p.id == entity_id), None)
        if index is None:
            return ""
        if head == "tiers" and len(steps) >= 3 and isinstance(steps[1], int):
            return f"price-{index}-tier-{steps[1]}-{_TIER_FIELDS.get(str(steps[2]), 'price')}"
        return f"price-{index}-{_PRICE_FIELDS[str(head)]}" if str(head) in _PRICE_FIELDS else ""
    if kind == "EligibilityPolicy" and entity_id == form_policy(form):
        return _rule_field(steps)
    return ""


def _rule_field(steps: list[str | int]) -> str:
    if steps[0] != "rules" or len(steps) < 3 or not isinstance(steps[1], int):
        return "rules"
    rule = steps[1]
    if steps[2] in _RULE_FIELDS:
        return f"rule-{rule}-{_RULE_FIELDS[str(steps[2])]}"
    predicate = next((s for s in steps[3:] if isinstance(s, int)), 0)
    last = str(steps[-1])
    return f"rule-{rule}-predicate-{predicate}-{_PREDICATE_FIELDS.get(last, 'value')}"
