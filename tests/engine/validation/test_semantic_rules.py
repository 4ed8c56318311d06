from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from engine.spec.conditions import All, Any, Condition, Not, Operand, Operator, Predicate
from engine.spec.policy import EligibilityPolicy
from engine.spec.release import CatalogRelease
from engine.validation.semantic import check_release
from tests.engine.validation.catalog import Swap, at

RULE = "$.spec.rules[0].condition"


def _policy(base: CatalogRelease, condition: Condition, path: str = RULE) -> EligibilityPolicy:
    policy = base.policy("fibre-serviceability")
    rules = (replace(policy.rules[0], condition=condition), *policy.rules[1:])
    return replace(policy, rules=rules, source=at(path, 14, 11))


def _findings(swap: Swap, policy: EligibilityPolicy) -> list[tuple[str, str]]:
    return [(e.code, e.path) for e in check_release(swap(policy))]


def test_rule_on_a_fact_the_model_lacks_is_reported(base: CatalogRelease, swap: Swap) -> None:
    broken = _policy(base, Predicate("address.fibreAvailible", Operator.equal, True), f"{RULE}.fact")

    errors = check_release(swap(broken))

    assert [(e.code, e.line, e.column, e.path) for e in errors] == [("UNKNOWN_FACT", 14, 11, f"{RULE}.fact")]
    assert "did you mean 'address.fibreAvailable'?" in errors[0].message
    fixed = _policy(base, Predicate("address.fibreAvailable", Operator.equal, True))
    assert check_release(swap(fixed)) == ()


@pytest.mark.parametrize(
    ("fact", "operator", "value"),
    [
        ("customer.segment", Operator.greaterThan, "residential"),
        ("address.fibreAvailable", Operator.lessThan, True),
        ("cart.offerings", Operator.equal, "fibre-500"),
        ("account.tenureMonths", Operator.contains, 12),
    ],
)
def test_operator_not_allowed_for_the_facts_type_is_reported(
    base: CatalogRelease, swap: Swap, fact: str, operator: Operator, value: Operand
) -> None:
    errors = check_release(swap(_policy(base, Predicate(fact, operator, value))))

    assert [(e.code, e.path) for e in errors] == [("OPERATOR_NOT_ALLOWED", f"{RULE}.operator")]


@pytest.mark.parametrize(
    ("fact", "operator", "value", "path"),
    [
        ("account.tenureMonths", Operator.greaterThanOrEqual, "12", f"{RULE}.value"),
        ("account.tenureMonths", Operator.greaterThanOrEqual, True, f"{RULE}.value"),
        ("account.tenureMonths", Operator.greaterThanOrEqual, Decimal("1.5"), f"{RULE}.value"),
        ("address.fibreAvailable", Operator.equal, "true", f"{RULE}.value"),
        ("customer.segment", Operator.equal, 3, f"{RULE}.value"),
        ("account.outstandingBalance", Operator.lessThan, "10", f"{RULE}.value"),
        ("context.date", Operator.greaterThan, "March", f"{RULE}.value"),
        ("cart.offerings", Operator.contains, 7, f"{RULE}.value"),
        ("customer.creditClass", Operator.isIn, "A", f"{RULE}.value"),
        ("customer.creditClass", Operator.equal, ("A", "B"), f"{RULE}.value"),
        ("account.tenureMonths", Operator.isIn, (12, "24"), f"{RULE}.value[1]"),
    ],
)
def test_value_of_the_wrong_type_for_the_fact_is_reported(
    base: CatalogRelease, swap: Swap, fact: str, operator: Operator, value: Operand, path: str
) -> None:
    assert _findings(swap, _policy(base, Predicate(fact, operator, value))) == [("VALUE_TYPE_MISMATCH", path)]


@pytest.mark.parametrize(
    ("fact", "operator", "value"),
    [
        ("account.tenureMonths", Operator.greaterThanOrEqual, 12),
        ("account.outstandingBalance", Operator.lessThan, Decimal("10.50")),
        ("account.outstandingBalance", Operator.lessThan, 10),
        ("context.date", Operator.greaterThan, date(2026, 3, 1)),
        ("context.date", Operator.greaterThan, "2026-03-01"),
        ("cart.offerings", Operator.notContains, "fibre-500"),
        ("customer.creditClass", Operator.notIn, ("C", "D")),
        ("address.region", Operator.equal, "NL-NH"),
    ],
)
def test_value_of_the_facts_type_is_accepted(
    base: CatalogRelease, swap: Swap, fact: str, operator: Operator, value: Operand
) -> None:
    assert _findings(swap, _policy(base, Predicate(fact, operator, value))) == []


def test_value_outside_the_facts_allowed_values_is_reported(base: CatalogRelease, swap: Swap) -> None:
    broken = _policy(base, Predicate("customer.segment", Operator.equal, "residentail"))

    errors = check_release(swap(broken))

    assert [(e.code, e.path) for e in errors] == [("VALUE_NOT_ALLOWED", f"{RULE}.value")]
    assert "did you mean 'residential'?" in errors[0].message


def test_allowed_values_are_checked_inside_lists(base: CatalogRelease, swap: Swap) -> None:
    broken = _policy(base, Predicate("customer.creditClass", Operator.isIn, ("A", "E")))

    assert _findings(swap, broken) == [("VALUE_NOT_ALLOWED", f"{RULE}.value[1]")]


def test_predicates_nested_in_all_any_and_not_are_located(base: CatalogRelease, swap: Swap) -> None:
    nested = Any(
        (
            Predicate("customer.ageYears", Operator.greaterThan, 17),
            All((Not(Predicate("account.status", Operator.equal, "closed")),)),
        )
    )

    assert _findings(swap, _policy(base, nested)) == [
        ("VALUE_NOT_ALLOWED", f"{RULE}.any[1].all[0].not.value")
    ]


def test_empty_any_is_reported_because_it_can_never_be_met(base: CatalogRelease, swap: Swap) -> None:
    assert _findings(swap, _policy(base, Any(()))) == [("EMPTY_CONDITION", f"{RULE}.any")]
