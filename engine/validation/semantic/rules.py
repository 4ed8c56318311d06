"""Eligibility rules speak the fact model: known facts, operators of the fact's type, values of that type."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from engine.facts import FACTS, FactDefinition, ValueType
from engine.spec.conditions import All, Any, Condition, Not, Operand, Predicate, Scalar
from engine.spec.policy import EligibilityPolicy
from engine.spec.release import CatalogRelease
from engine.validation.report import SpecError
from engine.validation.semantic.codes import SemanticCode
from engine.validation.semantic.common import Problem, spec_error, suggestion

_SCALAR_TYPE = {ValueType.stringList: ValueType.string}  # `contains` compares one element of the list


def _is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _fits(value: Scalar, value_type: ValueType) -> bool:
    # bool is an int in Python; a boolean where a number is due is still the wrong type.
    if isinstance(value, bool):
        return value_type is ValueType.boolean
    match value_type:
        case ValueType.string | ValueType.stringList:
            return isinstance(value, str)
        case ValueType.integer:
            return isinstance(value, int)
        case ValueType.decimal:
            return isinstance(value, int | Decimal)
        case ValueType.date:
            # A quoted YAML date stays a string; the fact model reads ISO dates the same way.
            return isinstance(value, date) or (isinstance(value, str) and _is_iso_date(value))
        case ValueType.boolean:
            return False


def _scalar(value: Scalar, fact: FactDefinition, path: str) -> Iterator[Problem]:
    expected = _SCALAR_TYPE.get(fact.valueType, fact.valueType)
    if not _fits(value, expected):
        message = f"{value!r} is not a {expected} value, as {fact.name} needs"
        yield path, message, SemanticCode.VALUE_TYPE_MISMATCH
    elif fact.allowedValues and str(value) not in fact.allowedValues:
        hint = suggestion(str(value), fact.allowedValues)
        message = f"{value!r} is not a {fact.name}: use one of {', '.join(fact.allowedValues)}{hint}"
        yield path, message, SemanticCode.VALUE_NOT_ALLOWED


def _value(p: Predicate, fact: FactDefinition, path: str) -> Iterator[Problem]:
    value: Operand = p.value
    if p.operator.takes_list != isinstance(value, tuple):
        shape = "a list of values" if p.operator.takes_list else "a single value, not a list"
        yield f"{path}.value", f"operator {p.operator} takes {shape}", SemanticCode.VALUE_TYPE_MISMATCH
    elif isinstance(value, tuple):
        for k, element in enumerate(value):
            yield from _scalar(element, fact, f"{path}.value[{k}]")
    else:
        yield from _scalar(value, fact, f"{path}.value")


def _predicate(p: Predicate, path: str) -> Iterator[Problem]:
    fact = FACTS.get(p.fact)
    if fact is None:
        message = f"{p.fact!r} is not in the fact model{suggestion(p.fact, FACTS)}"
        yield f"{path}.fact", message, SemanticCode.UNKNOWN_FACT
        return
    if p.operator not in fact.operators:
        allowed = ", ".join(fact.operators)
        message = f"operator {p.operator} does not apply to {fact.name} ({fact.valueType}); use {allowed}"
        yield f"{path}.operator", message, SemanticCode.OPERATOR_NOT_ALLOWED
        return
    yield from _value(p, fact, path)


def _condition(condition: Condition, path: str) -> Iterator[Problem]:
    match condition:
        case Predicate():
            yield from _predicate(condition, path)
        case All(conditions=children) | Any(conditions=children):
            key = "all" if isinstance(condition, All) else "any"
            if not children:
                message = f"an empty {key} is {'always' if key == 'all' else 'never'} met"
                yield f"{path}.{key}", message, SemanticCode.EMPTY_CONDITION
            for i, child in enumerate(children):
                yield from _condition(child, f"{path}.{key}[{i}]")
        case Not(condition=child):
            yield from _condition(child, f"{path}.not")


def check_rules(release: CatalogRelease) -> Iterator[SpecError]:
    """Every predicate of every policy can be evaluated against the fact model."""
    for policy in release.all(EligibilityPolicy):
        for i, rule in enumerate(policy.rules):
            for path, message, code in _condition(rule.condition, f"$.spec.rules[{i}].condition"):
                yield spec_error(policy, path, message, code)
