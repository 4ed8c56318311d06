"""The durable adapter under load: threads, more than 1,024 evaluations, unloading, and durable failures."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any as AnyValue

import pytest

from engine.errors import EngineError, FactError
from engine.rules.compiler import CompiledRule, compile_rule
from engine.rules.durable_adapter import RuleHost, RulesEngineError
from engine.rules.reference import evaluate
from engine.rules.values import VOCABULARY_TYPES
from engine.spec.conditions import All, Any, Condition, Not, Operator, Predicate

# Shaped like the sample catalog's policies: serviceability, credit, balance, age, holdings.
POLICY: dict[str, Condition] = {
    "fibre": Predicate("address.fibreAvailable", Operator.equal, True),
    "speed": Any(
        (
            Predicate("address.fibreAvailable", Operator.equal, False),
            Predicate("address.maxDownloadMbps", Operator.greaterThanOrEqual, 500),
        )
    ),
    "credit": Any(
        (
            Predicate("customer.creditClass", Operator.isIn, ("A", "B")),
            All(
                (
                    Predicate("customer.creditClass", Operator.equal, "C"),
                    Predicate("account.tenureMonths", Operator.greaterThanOrEqual, 12),
                )
            ),
        )
    ),
    "balance": Predicate("account.outstandingBalance", Operator.lessThanOrEqual, Decimal("50")),
    "adult": Predicate("customer.ageYears", Operator.greaterThanOrEqual, 18),
    "broadband": Any(
        (
            Predicate("cart.categories", Operator.contains, "broadband"),
            Predicate("inventory.categories", Operator.contains, "broadband"),
        )
    ),
    "not-youth": Not(Predicate("cart.offerings", Operator.contains, "mobile-youth")),
    "launched": Predicate("context.date", Operator.greaterThanOrEqual, date(2026, 1, 1)),
}


def _compiled() -> list[CompiledRule]:
    return [compile_rule(rule_id, condition, VOCABULARY_TYPES) for rule_id, condition in POLICY.items()]


def _random_facts(rng: random.Random) -> dict[str, AnyValue]:
    categories = ("broadband", "mobile", "tv")
    return {
        "address.fibreAvailable": rng.random() < 0.5,
        "address.maxDownloadMbps": rng.choice((100, 499, 500, 1000)),
        "customer.creditClass": rng.choice("ABCD"),
        "account.tenureMonths": rng.randint(10, 14),
        "account.outstandingBalance": Decimal(rng.choice(("0", "49.99", "50", "50.0000001", "120"))),
        "customer.ageYears": rng.randint(16, 20),
        "cart.categories": tuple(rng.sample(categories, rng.randint(0, 2))),
        "inventory.categories": tuple(rng.sample(categories, rng.randint(0, 2))),
        "cart.offerings": tuple(rng.sample(("mobile-youth", "fibre-500", "tv"), rng.randint(0, 2))),
        "context.date": date(2025, 12, 30) + timedelta(days=rng.randint(0, 3)),
    }


def _expected(facts: dict[str, AnyValue]) -> frozenset[str]:
    return frozenset(rule_id for rule_id, condition in POLICY.items() if evaluate(condition, facts))


@pytest.fixture
def host() -> Iterator[RuleHost]:
    rule_host = RuleHost()
    yield rule_host
    assert rule_host._loaded == {}, "a test left a ruleset loaded"


def test_eight_threads_evaluating_at_once_get_exactly_the_reference_answers(host: RuleHost) -> None:
    handle = host.load("concurrency", _compiled())
    threads, per_thread = 8, 2_000
    rng = random.Random(20260301)
    work = [[_random_facts(rng) for _ in range(per_thread)] for _ in range(threads)]
    expected = [[_expected(facts) for facts in batch] for batch in work]
    answers: list[list[frozenset[str]]] = [[] for _ in range(threads)]
    failures: list[BaseException] = []
    start = threading.Barrier(threads)

    def run(index: int) -> None:
        try:
            start.wait()
            answers[index] = [host.evaluate(handle, facts) for facts in work[index]]
        except BaseException as error:  # surfaced by the assertion below, with the thread's error
            failures.append(error)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    host.unload(handle)
    assert failures == []
    assert answers == expected
    assert {len(a) for a in answers} == {per_thread}


def test_more_than_1024_evaluations_work_because_every_state_is_deleted(host: RuleHost) -> None:
    handle = host.load("many", _compiled())
    rng = random.Random(7)
    try:
        for _ in range(1_500):
            facts = _random_facts(rng)
            assert host.evaluate(handle, facts) == _expected(facts)
    finally:
        host.unload(handle)


def test_facts_that_match_no_rule_are_still_handled_and_their_state_deleted(host: RuleHost) -> None:
    # Without the catch-all rule durable leaves such a state undeletable (deleting it segfaults).
    handle = host.load("never", [compile_rule("never", Any(()), VOCABULARY_TYPES)])
    try:
        for _ in range(1_100):
            assert host.evaluate(handle, {}) == frozenset()
    finally:
        host.unload(handle)


def test_unload_frees_the_ruleset_and_the_same_release_can_load_again(host: RuleHost) -> None:
    first = host.load("2026.1/fibre-500@1", _compiled())
    assert host.holds(first)
    host.unload(first)
    assert not host.holds(first)
    with pytest.raises(RulesEngineError, match="not loaded"):
        host.evaluate(first, _random_facts(random.Random(1)))
    host.unload(first)  # twice is harmless
    again = host.load("2026.1/fibre-500@1", _compiled())
    assert again.name != first.name
    facts = _random_facts(random.Random(2))
    assert host.evaluate(again, facts) == _expected(facts)
    host.unload(again)


def test_a_missing_fact_is_a_fact_error_and_the_host_keeps_working(host: RuleHost) -> None:
    handle = host.load("missing", _compiled())
    facts = _random_facts(random.Random(3))
    try:
        with pytest.raises(FactError) as raised:
            host.evaluate(handle, {**facts, "address.fibreAvailable": None})
        assert raised.value.path == "$.address.fibreAvailable"
        with pytest.raises(FactError) as wrong:
            host.evaluate(handle, {**facts, "customer.ageYears": "eighteen"})
        assert wrong.value.path == "$.customer.ageYears"
        assert host.evaluate(handle, facts) == _expected(facts)
    finally:
        host.unload(handle)


def test_a_ruleset_durable_refuses_becomes_an_engine_error(host: RuleHost) -> None:
    broken = CompiledRule("broken", ({"$and": 5},), {})
    with pytest.raises(EngineError, match="durable-rules refused"):
        host.load("broken", [broken])


def test_labels_cannot_turn_a_ruleset_into_a_durable_statechart(host: RuleHost) -> None:
    handle = host.load("odd$state$flow label", _compiled())
    assert "$" not in handle.name
    facts = _random_facts(random.Random(4))
    assert host.evaluate(handle, facts) == _expected(facts)
    host.unload(handle)
