"""Parsing of EligibilityPolicy documents and of the condition trees their rules hold."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from engine.facts import FACTS, ValueType
from engine.spec.common import SourceInfo
from engine.spec.conditions import All, Condition, Not, Operand, Predicate, Scalar
from engine.spec.conditions import Any as AnyOf
from engine.spec.located import child_path
from engine.spec.operators import parse_operator
from engine.spec.parse_common import decimal, entity_fields, strings
from engine.spec.policy import AlternateProposal, EligibilityPolicy, EligibilityRule


def parse_eligibility_policy(document: Mapping[str, Any], source: SourceInfo) -> EligibilityPolicy:
    spec = document["spec"]
    return EligibilityPolicy(
        **entity_fields(document, source),
        rules=tuple(_rule(item, f"$.spec.rules[{i}]") for i, item in enumerate(spec["rules"])),
        alternates=tuple(
            AlternateProposal(item["productOffering"], strings(item.get("reasonCodes")))
            for item in spec.get("alternates", ())
        ),
    )


def _rule(data: Mapping[str, Any], path: str) -> EligibilityRule:
    return EligibilityRule(
        id=data["id"],
        reasonCode=data["reasonCode"],
        message=data["message"],
        condition=parse_condition(data["condition"], child_path(path, "condition")),
    )


def parse_condition(data: Mapping[str, Any], path: str) -> Condition:
    """A schema-valid condition tree as All/Any/Not/Predicate objects."""
    if "all" in data:
        return All(tuple(parse_condition(c, f"{path}.all[{i}]") for i, c in enumerate(data["all"])))
    if "any" in data:
        return AnyOf(tuple(parse_condition(c, f"{path}.any[{i}]") for i, c in enumerate(data["any"])))
    if "not" in data:
        return Not(parse_condition(data["not"], child_path(path, "not")))
    fact = data["fact"]
    return Predicate(
        fact, parse_operator(data["operator"]), _operand(fact, data["value"], child_path(path, "value"))
    )


def _operand(fact: str, value: Any, path: str) -> Operand:
    if isinstance(value, list):
        return tuple(_scalar(fact, item, f"{path}[{i}]") for i, item in enumerate(value))
    return _scalar(fact, value, path)


def _scalar(fact: str, value: Scalar, path: str) -> Scalar:
    if isinstance(value, Decimal):
        return decimal(value, path)
    definition = FACTS.get(fact)
    # YAML dates stay strings in the document; a date fact compares dates. A malformed one is left as
    # written for the semantic layer, which reports values that do not fit their fact's type.
    if definition is not None and definition.valueType is ValueType.date and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value
