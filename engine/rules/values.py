"""Typed fact values and rule operands: the checks the reference interpreter and the compiler share.

A fact value is checked against the value type its name has in the vocabulary; a predicate is checked for an
operator its fact's type admits and an operand of the right type. Both sides agree on these checks, so the
durable compilation and the reference interpreter never see a value the other would read differently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from engine.errors import EngineError, FactError
from engine.facts import FACTS, OPERATORS_BY_TYPE, ValueType
from engine.spec.conditions import Operand, Predicate, Scalar

FactValue = str | int | Decimal | bool | date | tuple[str, ...]
FactTypes = Mapping[str, ValueType]

# The fact vocabulary as name -> value type: what policy rules may read.
VOCABULARY_TYPES: FactTypes = {name: definition.valueType for name, definition in FACTS.items()}

# `customer.segment`: two or more dot-separated segments. Flattening dots to `__` stays injective, and no
# fact can be named like durable's own `sid` and `id` properties.
_FACT_NAME = re.compile(r"[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+")

_EXPECTED = {
    ValueType.string: "a string",
    ValueType.integer: "an integer",
    ValueType.decimal: "an exact decimal",
    ValueType.boolean: "a boolean",
    ValueType.date: "a date",
    ValueType.stringList: "a list of strings",
}


class RuleError(EngineError):
    """A rule the engine cannot evaluate: unknown fact, operator the fact's type lacks, ill-typed operand."""

    code = "INVALID_RULE"


def fact_path(name: str) -> str:
    """The request path of a fact: `customer.segment` is read from `$.customer.segment`."""
    return f"$.{name}"


def check_fact_name(name: str) -> str:
    if not _FACT_NAME.fullmatch(name):
        raise RuleError(f"fact name {name!r} is not of the form `group.fact`")
    return name


def _scalar(value: object, value_type: ValueType) -> Scalar | None:
    """`value` as a scalar of `value_type`, or None when it is not one."""
    # bool is a subclass of int: refuse it wherever a number is due.
    if value_type is ValueType.string and isinstance(value, str):
        return value
    if value_type is ValueType.integer and isinstance(value, int) and not isinstance(value, bool):
        return value
    if value_type is ValueType.decimal and isinstance(value, Decimal) and value.is_finite():
        return value
    if value_type is ValueType.decimal and isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if value_type is ValueType.boolean and isinstance(value, bool):
        return value
    if value_type is ValueType.date and isinstance(value, datetime):
        return value.date()
    if value_type is ValueType.date and isinstance(value, date):
        return value
    return None


def typed_fact(name: str, value: object, value_type: ValueType) -> FactValue:
    """A fact value checked against its type; a lacking or ill-typed fact is a FactError at its path."""
    if value is None:
        raise FactError(f"the request lacks the fact {name}, which a rule reads", path=fact_path(name))
    if value_type is ValueType.stringList:
        if isinstance(value, list | tuple | frozenset | set) and all(isinstance(v, str) for v in value):
            return tuple(value)
    else:
        scalar = _scalar(value, value_type)
        if scalar is not None:
            return scalar
    got = type(value).__name__
    raise FactError(f"{name} must be {_EXPECTED[value_type]}, got {got}", path=fact_path(name))


def fact_type(predicate: Predicate, fact_types: FactTypes) -> ValueType:
    """The value type of the fact a predicate reads, after checking its operator applies to it."""
    value_type = fact_types.get(predicate.fact)
    if value_type is None:
        raise RuleError(f"unknown fact {predicate.fact!r}")
    if predicate.operator not in OPERATORS_BY_TYPE[value_type]:
        raise RuleError(
            f"operator {predicate.operator.value} does not apply to {predicate.fact} ({value_type})"
        )
    return value_type


def typed_operand(predicate: Predicate, fact_types: FactTypes) -> Operand:
    """The predicate's operand checked against its fact's type (a list for in/notIn, a string for contains)."""
    value_type = fact_type(predicate, fact_types)
    element_type = ValueType.string if value_type is ValueType.stringList else value_type
    values = predicate.value if isinstance(predicate.value, tuple) else None
    if predicate.operator.takes_list and values is not None:
        typed = tuple(_scalar(v, element_type) for v in values)
        if all(v is not None for v in typed):
            return tuple(v for v in typed if v is not None)
    elif not predicate.operator.takes_list and values is None:
        scalar = _scalar(predicate.value, element_type)
        if scalar is not None:
            return scalar
    shape = "a list, each value " if predicate.operator.takes_list else ""
    raise RuleError(
        f"{predicate.fact} {predicate.operator.value} needs {shape}{_EXPECTED[element_type]}, "
        f"got {predicate.value!r}"
    )
