"""The reference interpreter: what a condition tree means, in plain Python.

The durable compilation must agree with it on every tree and every typed fact set (a property test checks
that); support can also use it to replay a decision without the rules engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from engine.facts import ValueType
from engine.rules.values import (
    VOCABULARY_TYPES,
    FactTypes,
    FactValue,
    RuleError,
    typed_fact,
    typed_operand,
)
from engine.spec.conditions import All, Any, Condition, Not, Operator, Predicate, facts_used


def evaluate(
    condition: Condition, facts: Mapping[str, FactValue], fact_types: FactTypes = VOCABULARY_TYPES
) -> bool:
    """Whether `condition` holds; every fact it reads must be present and typed, even in a branch not taken."""
    typed = {
        name: typed_fact(name, facts.get(name), _type_of(name, fact_types)) for name in facts_used(condition)
    }
    return _holds(condition, typed, fact_types)


def _type_of(name: str, fact_types: FactTypes) -> ValueType:
    value_type = fact_types.get(name)
    if value_type is None:
        raise RuleError(f"unknown fact {name!r}")
    return value_type


def _holds(condition: Condition, facts: Mapping[str, FactValue], fact_types: FactTypes) -> bool:
    match condition:
        case Predicate():
            return _predicate(condition, facts[condition.fact], fact_types)
        case All(conditions=children):
            return all(_holds(child, facts, fact_types) for child in children)
        case Any(conditions=children):
            return any(_holds(child, facts, fact_types) for child in children)
        case Not(condition=child):
            return not _holds(child, facts, fact_types)
    raise TypeError(f"not a condition: {condition!r}")


def _predicate(predicate: Predicate, value: FactValue, fact_types: FactTypes) -> bool:
    operand = typed_operand(predicate, fact_types)
    match predicate.operator:
        case Operator.equal:
            return value == operand
        case Operator.notEqual:
            return value != operand
        case Operator.isIn:
            return isinstance(operand, tuple) and value in operand
        case Operator.notIn:
            return isinstance(operand, tuple) and value not in operand
        case Operator.contains:
            return isinstance(value, tuple) and operand in value
        case Operator.notContains:
            return isinstance(value, tuple) and operand not in value
    return _ordered(predicate.operator, value, operand)


def _ordered(operator: Operator, value: object, operand: object) -> bool:
    left, right = _number(value), _number(operand)
    match operator:
        case Operator.lessThan:
            return left < right
        case Operator.lessThanOrEqual:
            return left <= right
        case Operator.greaterThan:
            return left > right
        case Operator.greaterThanOrEqual:
            return left >= right
    raise TypeError(f"not an operator: {operator!r}")


def _number(value: object) -> Decimal | int:
    # The vocabulary admits ordering only on integers, decimals and dates; a date orders as its day number.
    if isinstance(value, date):
        return value.toordinal()
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return value
    raise TypeError(f"not an ordered value: {value!r}")
