"""The operator table of the condition language: what the parser accepts and what the designer offers.

One row per `Operator`: its label for people, the value types of the facts it applies to (the inverse of
`engine.facts.OPERATORS_BY_TYPE`) and its arity: `single` (one value) or `list` (a list of values, `in`
and `notIn`). The policy parser reads operators through `parse_operator`, so an operator missing here
cannot be parsed, and one here that the enum lacks fails at import: the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from engine.facts import OPERATORS_BY_TYPE, ValueType
from engine.spec.conditions import Operator


class Arity(StrEnum):
    single = "single"  # the value is one scalar
    list = "list"  # the value is a list of scalars


@dataclass(frozen=True, slots=True)
class OperatorInfo:
    operator: Operator
    label: str
    valueTypes: tuple[ValueType, ...]
    arity: Arity

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.operator.value,
            "label": self.label,
            "valueTypes": [t.value for t in self.valueTypes],
            "arity": self.arity.value,
        }


_LABELS: Mapping[Operator, str] = {
    Operator.equal: "is",
    Operator.notEqual: "is not",
    Operator.lessThan: "is less than",
    Operator.lessThanOrEqual: "is at most",
    Operator.greaterThan: "is greater than",
    Operator.greaterThanOrEqual: "is at least",
    Operator.isIn: "is one of",
    Operator.notIn: "is none of",
    Operator.contains: "contains",
    Operator.notContains: "does not contain",
}


def _row(operator: Operator) -> OperatorInfo:
    types = tuple(t for t in ValueType if operator in OPERATORS_BY_TYPE[t])
    return OperatorInfo(
        operator, _LABELS[operator], types, Arity.list if operator.takes_list else Arity.single
    )


OPERATORS: Mapping[str, OperatorInfo] = {op.value: _row(op) for op in Operator}

if set(_LABELS) != set(Operator):  # pragma: no cover - a guard for whoever adds an operator
    raise RuntimeError(f"operators without a label: {sorted(set(Operator) - set(_LABELS))}")


class UnknownOperatorError(ValueError):
    """A name that is not an operator of the condition language."""


def parse_operator(name: str) -> Operator:
    """The operator named `name`, through the table."""
    row = OPERATORS.get(name)
    if row is None:
        raise UnknownOperatorError(f"{name!r} is not an operator; use one of {', '.join(OPERATORS)}")
    return row.operator


def operator_table() -> list[dict[str, object]]:
    """The table as plain data, in the enum's order."""
    return [row.to_dict() for row in OPERATORS.values()]
