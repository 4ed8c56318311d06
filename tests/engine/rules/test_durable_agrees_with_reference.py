"""The durable compilation answers exactly as the reference interpreter, on random trees and random facts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any as AnyValue

import pytest
from condition_strategies import conditions, facts
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine.rules.compiler import CompiledRule, compile_rule
from engine.rules.durable_adapter import RuleHost
from engine.rules.reference import evaluate
from engine.rules.values import VOCABULARY_TYPES, RuleError
from engine.spec.conditions import Condition, Not

HOST = RuleHost()


@pytest.fixture(scope="module", autouse=True)
def _no_ruleset_left_behind() -> Iterator[None]:
    yield
    assert HOST._loaded == {}


def _compile(conditions: list[Condition]) -> list[CompiledRule]:
    compiled = []
    for index, condition in enumerate(conditions):
        try:
            compiled.append(compile_rule(f"rule-{index}", condition, VOCABULARY_TYPES))
        except RuleError as error:
            # Only the documented size limit may refuse a well-typed tree; such trees are rare here.
            assert "alternatives" in error.message
            assume(False)
    return compiled


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    trees=st.lists(conditions(), min_size=1, max_size=4), fact_sets=st.lists(facts(), min_size=1, max_size=3)
)
def test_durable_compilation_agrees_with_the_reference_interpreter(
    trees: list[Condition], fact_sets: list[dict[str, AnyValue]]
) -> None:
    # Each tree is also compiled negated, as the eligibility engine compiles every rule.
    both = [*trees, *(Not(tree) for tree in trees)]
    handle = HOST.load("property", _compile(both))
    try:
        for fact_set in fact_sets:
            expected = {
                f"rule-{index}" for index, condition in enumerate(both) if evaluate(condition, fact_set)
            }
            assert HOST.evaluate(handle, fact_set) == expected
    finally:
        HOST.unload(handle)
