"""Compilation to durable's JSON form: encodings, `not` pushed down, and the limits durable cannot take."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from engine.errors import FactError
from engine.facts import ValueType
from engine.rules.compiler import ALWAYS, MAX_TERMS_PER_RULE, check_ruleset, compile_rule
from engine.rules.encoding import encode_fact, encode_facts
from engine.rules.values import VOCABULARY_TYPES, RuleError
from engine.spec.conditions import All, Any, Condition, Not, Operator, Predicate

CREDIT = "customer.creditClass"


def terms(condition: Condition) -> tuple[object, ...]:
    return compile_rule("r", condition, VOCABULARY_TYPES).terms


def test_fact_names_are_flattened_and_in_becomes_one_alternative_per_value() -> None:
    assert terms(Predicate(CREDIT, Operator.isIn, ("A", "B"))) == (
        {"customer__creditClass": "A"},
        {"customer__creditClass": "B"},
    )


def test_not_is_pushed_down_with_de_morgan_to_complementary_operators() -> None:
    condition = Not(
        Any(
            (
                Predicate(CREDIT, Operator.isIn, ("A", "B")),
                Predicate("account.tenureMonths", Operator.lessThan, 12),
            )
        )
    )
    assert terms(condition) == (
        {
            "$and": [
                {"$neq": {"customer__creditClass": "A"}},
                {"$neq": {"customer__creditClass": "B"}},
                {"$gte": {"account__tenureMonths": 12}},
            ]
        },
    )


def test_contains_and_not_contains_use_item_quantifiers_over_prefixed_items() -> None:
    assert terms(Predicate("cart.offerings", Operator.contains, "tv")) == (
        {"$iany": {"cart__offerings": {"$i": "=tv"}}},
    )
    assert terms(Not(Predicate("cart.offerings", Operator.contains, "tv"))) == (
        {"$iall": {"cart__offerings": {"$neq": {"$i": "=tv"}}}},
    )


def test_constant_conditions_become_always_or_no_term_at_all() -> None:
    assert terms(All(())) == (ALWAYS,)
    assert terms(Any(())) == ()
    assert terms(Predicate(CREDIT, Operator.notIn, ())) == (ALWAYS,)
    assert terms(Predicate(CREDIT, Operator.isIn, ())) == ()


def test_dates_compare_as_yyyymmdd_and_decimals_as_scaled_even_integers() -> None:
    assert terms(Predicate("context.date", Operator.lessThan, date(2026, 7, 1))) == (
        {"$lt": {"context__date": 20260701}},
    )
    assert terms(Predicate("account.outstandingBalance", Operator.lessThanOrEqual, Decimal("50.5"))) == (
        {"$lte": {"account__outstandingBalance": 101_000_000}},
    )


@pytest.mark.parametrize(
    ("fact", "encoded"),
    [
        (Decimal("50"), 100_000_000),  # exact: even, equal to the rule value 50
        (Decimal("50.0000001"), 100_000_001),  # between 50 and 50.000001: odd, strictly between
        (Decimal("49.9999999"), 99_999_999),
        (Decimal("-0.0000001"), -1),  # floor, not truncation
        (Decimal("1E+3"), 2_000_000_000),
    ],
)
def test_a_decimal_fact_of_any_precision_compares_exactly_with_rule_values(
    fact: Decimal, encoded: int
) -> None:
    assert encode_fact("account.outstandingBalance", fact, ValueType.decimal) == encoded


def test_a_rule_value_with_more_decimal_places_than_durable_can_compare_is_refused() -> None:
    with pytest.raises(RuleError, match="more than 6 decimal places"):
        terms(Predicate("account.outstandingBalance", Operator.equal, Decimal("0.0000001")))


def test_string_lists_end_with_a_marker_so_that_not_contains_holds_on_an_empty_list() -> None:
    assert encode_fact("cart.offerings", (), ValueType.stringList) == [""]
    assert encode_fact("cart.offerings", ("a",), ValueType.stringList) == ["=a", ""]


def test_integers_beyond_what_durable_compares_exactly_are_refused() -> None:
    with pytest.raises(FactError) as raised:
        encode_facts({"customer.ageYears": 2**63}, {"customer.ageYears": ValueType.integer})
    assert raised.value.path == "$.customer.ageYears"
    with pytest.raises(RuleError):
        terms(Predicate("customer.ageYears", Operator.equal, -(2**62)))


def test_only_the_facts_a_ruleset_reads_are_sent_and_each_is_checked() -> None:
    facts = {"customer.creditClass": "A", "customer.segment": None, "account.tenureMonths": 3}
    assert encode_facts(facts, {"customer.creditClass": ValueType.string}) == {
        "_evaluation": 1,
        "customer__creditClass": "A",
    }
    with pytest.raises(FactError) as raised:
        encode_facts(facts, {"customer.segment": ValueType.string})
    assert raised.value.path == "$.customer.segment"


def test_a_rule_expanding_beyond_the_term_limit_is_refused_with_its_id() -> None:
    wide = All(
        tuple(
            Predicate(f, Operator.isIn, ("A", "B", "C"))
            for f in (CREDIT, "customer.segment", "account.status", "address.country")
        )
    )
    assert MAX_TERMS_PER_RULE < 3**4
    with pytest.raises(RuleError, match=r"rule credit-and-more: .*alternatives"):
        compile_rule("credit-and-more", wide, VOCABULARY_TYPES)


def test_a_ruleset_beyond_the_term_limit_or_with_duplicate_ids_is_refused() -> None:
    rule = compile_rule("r", Predicate(CREDIT, Operator.isIn, tuple("ABCDEFGH")), VOCABULARY_TYPES)
    with pytest.raises(RuleError, match="alternatives"):
        check_ruleset(
            [
                compile_rule(f"r{i}", Predicate(CREDIT, Operator.isIn, tuple("ABCDEFGH")), VOCABULARY_TYPES)
                for i in range(61)
            ]
        )
    with pytest.raises(RuleError, match="duplicate"):
        check_ruleset([rule, rule])


def test_a_policy_reading_an_internal_or_unknown_fact_is_refused() -> None:
    with pytest.raises(RuleError, match="unknown fact"):
        compile_rule("r", Predicate("item.otherOfferings", Operator.contains, "x"), VOCABULARY_TYPES)
