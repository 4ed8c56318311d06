from __future__ import annotations

from dataclasses import replace

from engine.money import Money
from engine.spec.common import SourceInfo
from engine.spec.conditions import Operator, Predicate
from engine.spec.release import CatalogRelease
from engine.validation.semantic import SemanticCode, check_release
from tests.engine.validation.catalog import Swap


def test_the_base_release_is_valid(base: CatalogRelease) -> None:
    assert check_release(base) == ()


def test_every_error_is_reported_in_file_order(base: CatalogRelease, swap: Swap) -> None:
    offering = replace(
        base.offering("fibre-500"),
        productSpecification="nothing",
        orderFlow="nowhere",
        source=SourceInfo(
            "offerings.yaml", {"$.spec.productSpecification": (8, 3), "$.spec.orderFlow": (5, 3)}
        ),
    )
    price = replace(
        base.price("fibre-install-fee"),
        price=Money.of("1", "GBP"),
        source=SourceInfo("prices.yaml", {"$.spec.price": (2, 3)}),
    )

    errors = check_release(swap(offering, price))

    assert [(e.file, e.line, e.code) for e in errors] == [
        ("offerings.yaml", 1, "MIXED_CURRENCIES"),
        ("offerings.yaml", 5, "UNRESOLVED_REFERENCE"),
        ("offerings.yaml", 8, "UNRESOLVED_REFERENCE"),
        ("prices.yaml", 2, "CURRENCY_MISMATCH"),
    ]


def test_a_price_shared_by_two_offerings_is_reported_once(base: CatalogRelease, swap: Swap) -> None:
    flex = base.offering("fibre-flex")
    twin = replace(flex, id="fibre-flex-twin")
    broken = replace(base.price("fibre-flex-monthly"), matrix=None, price=None)

    assert [e.code for e in check_release(swap(twin, broken))] == ["MISSING_AMOUNT"]


def test_errors_render_as_file_line_column_path_message_code(base: CatalogRelease, swap: Swap) -> None:
    policy = base.policy("fibre-serviceability")
    path = "$.spec.rules[0].condition.value"
    located = SourceInfo("policies/fibre.yaml", {path: (12, 52)})
    rule = replace(policy.rules[0], condition=Predicate("customer.segment", Operator.equal, "smb"))
    broken = replace(policy, rules=(rule, *policy.rules[1:]), source=located)

    (error,) = check_release(swap(broken))

    assert str(error) == (
        "policies/fibre.yaml:12:52: $.spec.rules[0].condition.value: 'smb' is not a customer.segment: "
        "use one of residential, business, enterprise [VALUE_NOT_ALLOWED]"
    )
    assert error.layer == "semantic"


def test_codes_are_stable_strings_equal_to_their_names() -> None:
    assert all(code.value == code.name for code in SemanticCode)
