"""Compile condition trees to durable-rules' JSON ruleset form.

durable-rules has no negation and, measured on 2.0.28, expands every `$or` nested in an `$and` into
disjunctive normal form itself: it fires a rule once per satisfied conjunction, refuses an expression with
more than 15 `$and`/`$or` nodes (error 113), and hangs forever registering a ruleset in which one node has
more than 512 successors. So the compiler does that expansion itself, where the limits are explicit:

1. `not` is pushed down to the predicates (De Morgan; each operator has an exact complement).
2. The tree is expanded to a disjunction of conjunctions ("terms"). `in` is one term per value, `notIn`
   one conjunction of `$neq`, `contains` an `$iany`, `notContains` an `$iall` of `$neq`.
3. Each term becomes one durable rule `{"$and": [...]}`; the rule holds when any of its terms fires.

A rule expanding to more than MAX_TERMS_PER_RULE terms, or a ruleset to more than MAX_TERMS_PER_RULESET,
is refused with a RuleError naming the rule, never handed to durable to hang on.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any as JsonAny

from engine.facts import ValueType
from engine.rules.encoding import EVALUATION_KEY, JsonScalar, durable_key, encode_operand
from engine.rules.values import FactTypes, RuleError, check_fact_name, fact_type, typed_operand
from engine.spec.conditions import All, Any, Condition, Not, Operator, Predicate

MAX_TERMS_PER_RULE = 64
# Below durable's 512 successors per node, with room for the catch-all rule the adapter adds.
MAX_TERMS_PER_RULESET = 480

DurableExpression = Mapping[str, JsonAny]
Literal = tuple[str, str, JsonScalar]  # (durable operator, durable key, encoded operand)
Term = tuple[Literal, ...]  # a conjunction; the empty term always holds

# Each operator's exact complement, used to push `not` down to the predicates.
COMPLEMENT: Mapping[Operator, Operator] = {
    Operator.equal: Operator.notEqual,
    Operator.notEqual: Operator.equal,
    Operator.lessThan: Operator.greaterThanOrEqual,
    Operator.greaterThanOrEqual: Operator.lessThan,
    Operator.lessThanOrEqual: Operator.greaterThan,
    Operator.greaterThan: Operator.lessThanOrEqual,
    Operator.isIn: Operator.notIn,
    Operator.notIn: Operator.isIn,
    Operator.contains: Operator.notContains,
    Operator.notContains: Operator.contains,
}

_DURABLE_OPERATOR: Mapping[Operator, str] = {
    Operator.equal: "$eq",
    Operator.notEqual: "$neq",
    Operator.lessThan: "$lt",
    Operator.lessThanOrEqual: "$lte",
    Operator.greaterThan: "$gt",
    Operator.greaterThanOrEqual: "$gte",
    Operator.contains: "$iany",
    Operator.notContains: "$iall",
}

# The term that always holds: every asserted fact carries EVALUATION_KEY.
ALWAYS: DurableExpression = {"$ex": {EVALUATION_KEY: 1}}


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule in durable form: it holds when any term holds; with no term it never holds."""

    id: str
    terms: tuple[DurableExpression, ...]
    facts: FactTypes  # every fact the rule reads, with its type: what an evaluation must supply


def compile_rule(rule_id: str, condition: Condition, fact_types: FactTypes) -> CompiledRule:
    """Compile one rule's condition; a RuleError names the rule when it cannot be compiled."""
    try:
        terms = _expand(condition, False, fact_types)
    except RuleError as error:
        raise RuleError(f"rule {rule_id}: {error.message}") from None
    read = _facts_read(condition, fact_types)
    return CompiledRule(rule_id, tuple(_durable_term(term) for term in terms), read)


def check_ruleset(rules: Sequence[CompiledRule]) -> None:
    """Refuse a ruleset durable-rules cannot register safely."""
    ids = [rule.id for rule in rules]
    if len(set(ids)) != len(ids):
        raise RuleError(f"duplicate rule ids in one ruleset: {sorted(i for i in ids if ids.count(i) > 1)}")
    total = sum(len(rule.terms) for rule in rules)
    if total > MAX_TERMS_PER_RULESET:
        raise RuleError(
            f"the ruleset expands to {total} alternatives; durable-rules registers at most "
            f"{MAX_TERMS_PER_RULESET} safely: simplify the rules (fewer `in` lists inside `all`)"
        )


def _facts_read(condition: Condition, fact_types: FactTypes) -> FactTypes:
    match condition:
        case Predicate(fact=name):
            return {check_fact_name(name): fact_type(condition, fact_types)}
        case All(conditions=children) | Any(conditions=children):
            read: dict[str, ValueType] = {}
            for child in children:
                read.update(_facts_read(child, fact_types))
            return read
        case Not(condition=child):
            return _facts_read(child, fact_types)
    raise TypeError(f"not a condition: {condition!r}")


def _expand(condition: Condition, negated: bool, fact_types: FactTypes) -> list[Term]:
    """The condition (negated when asked) as a disjunction of conjunctions."""
    match condition:
        case Predicate():
            return _predicate_terms(condition, negated, fact_types)
        case Not(condition=child):
            return _expand(child, not negated, fact_types)
        case All(conditions=children) if not negated:
            return _conjunction([_expand(c, False, fact_types) for c in children])
        case Any(conditions=children) if negated:
            return _conjunction([_expand(c, True, fact_types) for c in children])
        case All(conditions=children) | Any(conditions=children):
            return _disjunction([_expand(c, negated, fact_types) for c in children])
    raise TypeError(f"not a condition: {condition!r}")


def _conjunction(parts: Sequence[list[Term]]) -> list[Term]:
    size = 1
    for part in parts:
        size *= len(part)
        _check_size(size)
    return _unique([_merge(combination) for combination in itertools.product(*parts)])


def _disjunction(parts: Sequence[list[Term]]) -> list[Term]:
    _check_size(sum(len(part) for part in parts))
    return _unique([term for part in parts for term in part])


def _check_size(size: int) -> None:
    if size > MAX_TERMS_PER_RULE:
        raise RuleError(
            f"the condition expands to more than {MAX_TERMS_PER_RULE} alternatives "
            "(durable-rules evaluates a disjunction of conjunctions); split it into several rules"
        )


def _merge(terms: Sequence[Term]) -> Term:
    return tuple(dict.fromkeys(literal for term in terms for literal in term))


def _unique(terms: list[Term]) -> list[Term]:
    return list(dict.fromkeys(terms))


def _predicate_terms(predicate: Predicate, negated: bool, fact_types: FactTypes) -> list[Term]:
    operator = COMPLEMENT[predicate.operator] if negated else predicate.operator
    value_type = fact_type(predicate, fact_types)
    operand = typed_operand(predicate, fact_types)
    key = durable_key(check_fact_name(predicate.fact))
    if operator is Operator.isIn:
        assert isinstance(operand, tuple)
        return _unique(
            [((_DURABLE_OPERATOR[Operator.equal], key, encode_operand(v, value_type)),) for v in operand]
        )
    if operator is Operator.notIn:
        assert isinstance(operand, tuple)
        neq = _DURABLE_OPERATOR[Operator.notEqual]
        return [tuple(dict.fromkeys((neq, key, encode_operand(v, value_type)) for v in operand))]
    return [((_DURABLE_OPERATOR[operator], key, encode_operand(operand, value_type)),)]


def _literal(literal: Literal) -> DurableExpression:
    operator, key, value = literal
    if operator == "$eq":
        return {key: value}
    if operator == "$iany":
        return {"$iany": {key: {"$i": value}}}
    if operator == "$iall":
        return {"$iall": {key: {"$neq": {"$i": value}}}}
    return {operator: {key: value}}


def _durable_term(term: Term) -> DurableExpression:
    if not term:
        return ALWAYS
    if len(term) == 1:
        return _literal(term[0])
    return {"$and": [_literal(literal) for literal in term]}
