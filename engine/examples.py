"""Run the examples stored next to each offering: facts in, expected qualification and price out.

A mismatch is a semantic validation error located at the example, so a catalog whose examples disagree
with its own rules or prices cannot be published.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from engine.eligibility import QualificationResult
from engine.errors import EngineError
from engine.facts import EvaluationRequest
from engine.pricing import Quote, quote
from engine.pricing.model import ChargeTotal
from engine.spec.product import ExpectedOutcome, OfferingExample, ProductOffering
from engine.spec.release import CatalogRelease
from engine.validation.report import SpecError

Qualify = Callable[[EvaluationRequest], QualificationResult]


@dataclass(frozen=True, slots=True)
class ExampleOutcome:
    offering: ProductOffering
    example: OfferingExample
    mismatches: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.mismatches


def _reasons(result: QualificationResult) -> set[str]:
    return {r.code for item in result.items for r in item.eligibilityUnavailabilityReason}


def _alternates(result: QualificationResult) -> set[str]:
    return {a for item in result.items for a in item.alternates}


def _check_qualification(expect: ExpectedOutcome, result: QualificationResult) -> Iterator[str]:
    if result.qualificationResult != expect.qualification:
        reasons = ", ".join(sorted(_reasons(result))) or "none"
        yield (
            f"expected qualification {expect.qualification.value}, got {result.qualificationResult.value} "
            f"(reasons: {reasons})"
        )
    missing = set(expect.reasons) - _reasons(result)
    if missing:
        yield f"expected reason codes {sorted(missing)} not reported (got {sorted(_reasons(result))})"
    unexpected = _reasons(result) - set(expect.reasons)
    if expect.reasons and unexpected:
        yield f"unexpected reason codes {sorted(unexpected)}"
    missing_alternates = set(expect.alternates) - _alternates(result)
    if missing_alternates:
        yield f"expected alternates {sorted(missing_alternates)} not proposed (got {sorted(_alternates(result))})"


def _compare(label: str, expected: Decimal | None, actual: Decimal) -> Iterator[str]:
    if expected is not None and expected != actual:
        yield f"expected {label} {expected}, got {actual}"


def _compare_periods(
    label: str, expected: Mapping[str, Decimal], actual: Mapping[str, ChargeTotal], tax_included: bool
) -> Iterator[str]:
    for period, amount in expected.items():
        total = actual.get(period)
        got = (
            Decimal(0)
            if total is None
            else (total.taxIncludedAmount.value if tax_included else total.dutyFreeAmount.value)
        )
        yield from _compare(f"{label} per {period}", amount, got)


def _check_price(expect: ExpectedOutcome, priced: Quote) -> Iterator[str]:
    totals = priced.totals
    yield from _compare("oneTimeTotal", expect.oneTimeTotal, totals.oneTime.dutyFreeAmount.value)
    yield from _compare(
        "taxIncludedOneTimeTotal", expect.taxIncludedOneTimeTotal, totals.oneTime.taxIncludedAmount.value
    )
    yield from _compare_periods("recurringTotal", expect.recurringTotal, totals.recurring, False)
    yield from _compare_periods(
        "taxIncludedRecurringTotal", expect.taxIncludedRecurringTotal, totals.recurring, True
    )


def _expects_price(expect: ExpectedOutcome) -> bool:
    return bool(
        expect.oneTimeTotal is not None
        or expect.taxIncludedOneTimeTotal is not None
        or expect.recurringTotal
        or expect.taxIncludedRecurringTotal
    )


def run_example(release: CatalogRelease, qualify: Qualify, example: OfferingExample) -> tuple[str, ...]:
    """The mismatches between an example's expectation and what the engine answers; empty when it holds."""
    mismatches: list[str] = []
    try:
        mismatches.extend(_check_qualification(example.expect, qualify(example.request)))
        if _expects_price(example.expect):
            mismatches.extend(_check_price(example.expect, quote(release, example.request)))
    except EngineError as error:
        mismatches.append(f"the engine refused the example: {error}")
    return tuple(mismatches)


def run_examples(release: CatalogRelease, qualify: Qualify) -> tuple[ExampleOutcome, ...]:
    """Every example of every offering version in the release."""
    return tuple(
        ExampleOutcome(offering, example, run_example(release, qualify, example))
        for offering in release.all(ProductOffering)
        for example in offering.examples
    )


def example_errors(outcomes: tuple[ExampleOutcome, ...]) -> tuple[SpecError, ...]:
    """Example mismatches as located semantic errors."""
    return tuple(
        SpecError.at(
            outcome.offering.source,
            outcome.example.path,
            f"example {outcome.example.name!r}: {mismatch}",
            code="EXAMPLE_MISMATCH",
        )
        for outcome in outcomes
        for mismatch in outcome.mismatches
    )
