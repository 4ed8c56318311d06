"""Hypothesis strategies: random condition trees over the fact vocabulary, and random typed fact sets.

Values come partly from small pools, so that equality and order between facts and rule values actually
happen, and partly from wide ranges and arbitrary text, to hit durable's parsing and number limits.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any as AnyValue

from hypothesis import strategies as st

from engine.facts import OPERATORS_BY_TYPE, ValueType
from engine.rules.encoding import DECIMAL_PLACES, INTEGER_LIMIT
from engine.rules.values import VOCABULARY_TYPES
from engine.spec.conditions import All, Any, Condition, Not, Predicate

TRICKY_STRINGS = (
    "A",
    "B",
    "web",
    "",
    "0",
    "1.0",
    "false",
    "true",
    "null",
    "=x",
    "$s",
    'a"b',
    "\\",
    "é",
    "e\u0301",
)
DECIMAL_POOL = tuple(
    Decimal(v)
    for v in (
        "0",
        "0.00",
        "0.5",
        "50",
        "50.000001",
        "50.0000001",
        "-0.000001",
        "-0.0000001",
        "49.9999995",
        "-3",
    )
)
DAY_POOL = (date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 2), date(2026, 7, 1))

strings = st.one_of(st.sampled_from(TRICKY_STRINGS), st.text(max_size=4))
integers = st.one_of(st.integers(-3, 3), st.integers(-INTEGER_LIMIT + 1, INTEGER_LIMIT - 1))
dates = st.one_of(st.sampled_from(DAY_POOL), st.dates(date(1900, 1, 1), date(2999, 12, 31)))


def _decimals(max_places: int) -> st.SearchStrategy[Decimal]:
    pool = [d for d in DECIMAL_POOL if -d.as_tuple().exponent <= max_places]  # type: ignore[operator]
    drawn = st.integers(0, max_places).flatmap(
        lambda places: st.decimals(-(10**9), 10**9, places=places, allow_nan=False, allow_infinity=False)
    )
    return st.one_of(st.sampled_from(pool), drawn)


SCALARS: dict[ValueType, st.SearchStrategy[AnyValue]] = {
    ValueType.string: strings,
    ValueType.integer: integers,
    ValueType.decimal: _decimals(DECIMAL_PLACES),
    ValueType.boolean: st.booleans(),
    ValueType.date: dates,
    ValueType.stringList: strings,  # the operand of contains / notContains
}
FACT_VALUES: dict[ValueType, st.SearchStrategy[AnyValue]] = {
    **SCALARS,
    ValueType.decimal: _decimals(12),  # a fact may be more precise than any rule value
    ValueType.stringList: st.lists(strings, max_size=4).map(tuple),
}


def facts() -> st.SearchStrategy[dict[str, AnyValue]]:
    """A complete, well-typed fact set over the vocabulary."""
    return st.fixed_dictionaries(
        {name: FACT_VALUES[value_type] for name, value_type in VOCABULARY_TYPES.items()}
    )


def _predicate(name: str) -> st.SearchStrategy[Predicate]:
    value_type = VOCABULARY_TYPES[name]

    def with_operand(operator: AnyValue) -> st.SearchStrategy[Predicate]:
        scalar = SCALARS[value_type]
        operand = st.lists(scalar, max_size=3).map(tuple) if operator.takes_list else scalar
        return operand.map(lambda value: Predicate(name, operator, value))

    return st.sampled_from(OPERATORS_BY_TYPE[value_type]).flatmap(with_operand)


predicates = st.sampled_from(sorted(VOCABULARY_TYPES)).flatmap(_predicate)


def conditions(max_leaves: int = 6) -> st.SearchStrategy[Condition]:
    """Random trees of all / any / not over well-typed predicates."""

    def extend(children: st.SearchStrategy[Condition]) -> st.SearchStrategy[Condition]:
        lists = st.lists(children, max_size=3).map(tuple)
        return st.one_of(lists.map(All), lists.map(Any), children.map(Not))

    return st.recursive(predicates, extend, max_leaves=max_leaves)
