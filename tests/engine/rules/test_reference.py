"""The reference interpreter: what each operator means, and refusals of missing or ill-typed facts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from engine.errors import FactError
from engine.rules.reference import evaluate
from engine.rules.values import FactValue, RuleError
from engine.spec.conditions import All, Any, Not, Operator, Predicate

FACTS: dict[str, FactValue] = {
    "customer.creditClass": "B",
    "account.tenureMonths": 12,
    "account.outstandingBalance": Decimal("50.00"),
    "address.fibreAvailable": False,
    "context.date": date(2026, 3, 1),
    "cart.offerings": ("fibre-500", "tv-essential"),
}


@pytest.mark.parametrize(
    ("fact", "operator", "value", "holds"),
    [
        ("customer.creditClass", Operator.equal, "B", True),
        ("customer.creditClass", Operator.notEqual, "B", False),
        ("customer.creditClass", Operator.isIn, ("A", "B"), True),
        ("customer.creditClass", Operator.notIn, ("A", "B"), False),
        ("customer.creditClass", Operator.isIn, (), False),
        ("customer.creditClass", Operator.notIn, (), True),
        ("account.tenureMonths", Operator.lessThan, 12, False),
        ("account.tenureMonths", Operator.lessThanOrEqual, 12, True),
        ("account.tenureMonths", Operator.greaterThan, 11, True),
        ("account.tenureMonths", Operator.greaterThanOrEqual, 13, False),
        ("account.outstandingBalance", Operator.equal, Decimal("50"), True),
        ("account.outstandingBalance", Operator.lessThanOrEqual, 50, True),
        ("account.outstandingBalance", Operator.lessThan, Decimal("50.000001"), True),
        ("address.fibreAvailable", Operator.equal, False, True),
        ("context.date", Operator.greaterThanOrEqual, date(2026, 3, 1), True),
        ("context.date", Operator.lessThan, date(2026, 3, 1), False),
        ("cart.offerings", Operator.contains, "tv-essential", True),
        ("cart.offerings", Operator.notContains, "tv-essential", False),
        ("cart.offerings", Operator.notContains, "fibre-100", True),
    ],
)
def test_each_operator_means_what_the_spec_language_says(
    fact: str, operator: Operator, value: object, holds: bool
) -> None:
    assert evaluate(Predicate(fact, operator, value), FACTS) is holds  # type: ignore[arg-type]


def test_all_any_not_combine_and_empty_all_holds_while_empty_any_does_not() -> None:
    good_credit = Predicate("customer.creditClass", Operator.isIn, ("A", "B"))
    long_tenure = Predicate("account.tenureMonths", Operator.greaterThanOrEqual, 24)
    assert evaluate(Any((good_credit, long_tenure)), FACTS)
    assert not evaluate(All((good_credit, long_tenure)), FACTS)
    assert evaluate(Not(long_tenure), FACTS)
    assert evaluate(All(()), FACTS)
    assert not evaluate(Any(()), FACTS)


def test_a_missing_fact_is_a_fact_error_even_in_a_branch_that_is_not_taken() -> None:
    condition = Any(
        (
            Predicate("customer.creditClass", Operator.equal, "B"),
            Predicate("address.fiveGCoverage", Operator.equal, True),
        )
    )
    with pytest.raises(FactError) as raised:
        evaluate(condition, FACTS)
    assert raised.value.path == "$.address.fiveGCoverage"
    assert raised.value.code == "INVALID_FACT"


@pytest.mark.parametrize(
    ("fact", "value"),
    [
        ("account.tenureMonths", "12"),
        ("account.tenureMonths", True),
        ("account.outstandingBalance", 50.0),
        ("address.fibreAvailable", 1),
        ("context.date", "2026-03-01"),
        ("cart.offerings", "fibre-500"),
    ],
)
def test_a_fact_of_the_wrong_type_is_a_fact_error_at_its_path(fact: str, value: object) -> None:
    with pytest.raises(FactError) as raised:
        evaluate(_any_predicate(fact), {**FACTS, fact: value})  # type: ignore[dict-item]  # ill-typed on purpose
    assert raised.value.path == f"$.{fact}"


def _any_predicate(fact: str) -> Predicate:
    operands: dict[str, tuple[Operator, object]] = {
        "account.tenureMonths": (Operator.equal, 1),
        "account.outstandingBalance": (Operator.equal, Decimal(1)),
        "address.fibreAvailable": (Operator.equal, True),
        "context.date": (Operator.equal, date(2026, 1, 1)),
        "cart.offerings": (Operator.contains, "x"),
    }
    operator, value = operands[fact]
    return Predicate(fact, operator, value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "predicate",
    [
        Predicate("customer.shoeSize", Operator.equal, 42),
        Predicate("customer.creditClass", Operator.lessThan, "B"),
        Predicate("account.tenureMonths", Operator.equal, "12"),
        Predicate("account.tenureMonths", Operator.isIn, 12),
        Predicate("cart.offerings", Operator.equal, "fibre-500"),
        Predicate("address.fibreAvailable", Operator.isIn, (True,)),
    ],
)
def test_a_rule_the_vocabulary_does_not_allow_is_a_rule_error(predicate: Predicate) -> None:
    with pytest.raises(RuleError):
        evaluate(predicate, {**FACTS, "customer.shoeSize": 42})
