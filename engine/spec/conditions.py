"""Condition trees for eligibility rules: all / any / not over predicates on named facts.

A tree is data, built by a designer from the exported fact vocabulary, never typed as an expression.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

Scalar = str | int | Decimal | bool | date
Operand = Scalar | tuple[Scalar, ...]


class Operator(StrEnum):
    equal = "equal"
    notEqual = "notEqual"
    lessThan = "lessThan"
    lessThanOrEqual = "lessThanOrEqual"
    greaterThan = "greaterThan"
    greaterThanOrEqual = "greaterThanOrEqual"
    # `in`/`notIn`: the fact's scalar value is (not) one of the listed values.
    isIn = "in"
    notIn = "notIn"
    # `contains`/`notContains`: the fact is a list, and it (does not) hold the value.
    contains = "contains"
    notContains = "notContains"

    @property
    def takes_list(self) -> bool:
        return self in (Operator.isIn, Operator.notIn)

    @property
    def needs_list_fact(self) -> bool:
        return self in (Operator.contains, Operator.notContains)

    @property
    def is_ordering(self) -> bool:
        return self in (
            Operator.lessThan,
            Operator.lessThanOrEqual,
            Operator.greaterThan,
            Operator.greaterThanOrEqual,
        )


@dataclass(frozen=True, slots=True)
class Predicate:
    fact: str
    operator: Operator
    value: Operand


@dataclass(frozen=True, slots=True)
class All:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Any:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    condition: Condition


Condition = Predicate | All | Any | Not


def facts_used(condition: Condition) -> frozenset[str]:
    """Every fact name a tree reads."""
    match condition:
        case Predicate(fact=fact):
            return frozenset({fact})
        case All(conditions=children) | Any(conditions=children):
            return frozenset().union(*(facts_used(c) for c in children))
        case Not(condition=child):
            return facts_used(child)
    raise TypeError(f"not a condition: {condition!r}")
