from __future__ import annotations

from dataclasses import replace

import pytest

from engine.spec.common import LifecycleStatus, TimePeriod
from engine.spec.product import BundledProductOffering, ProductOffering
from engine.spec.release import CatalogRelease
from engine.validation.semantic import check_release
from tests.engine.validation.catalog import T0, Swap, at

OPTION = "$.spec.bundledProductOffering[1].bundledProductOfferingOption"


def _with_mobile_option(base: CatalogRelease, lower: int, upper: int, default: int) -> ProductOffering:
    bundle = base.offering("converged-home")
    fibre = bundle.bundledProductOffering[0]
    mobile = BundledProductOffering("mobile-5g-m", lower, upper, default)
    return replace(bundle, bundledProductOffering=(fibre, mobile), source=at(OPTION, 30))


@pytest.mark.parametrize(
    ("lower", "upper", "default", "field", "message"),
    [
        (3, 1, 1, "numberRelOfferLowerLimit", "lower limit 3 of 'mobile-5g-m' is above its upper limit 1"),
        (1, 4, 5, "numberRelOfferDefault", "default 5 of 'mobile-5g-m' is outside 1..4"),
        (1, 4, 0, "numberRelOfferDefault", "default 0 of 'mobile-5g-m' is outside 1..4"),
        (
            -1,
            4,
            1,
            "numberRelOfferLowerLimit",
            "numberRelOfferLowerLimit of 'mobile-5g-m' is -1: a count cannot be negative",
        ),
        (0, 0, 0, "numberRelOfferUpperLimit", "upper limit 0: the bundle can never include 'mobile-5g-m'"),
    ],
)
def test_impossible_bundle_cardinality_is_reported(
    base: CatalogRelease, swap: Swap, lower: int, upper: int, default: int, field: str, message: str
) -> None:
    errors = check_release(swap(_with_mobile_option(base, lower, upper, default)))

    assert [(e.code, e.path, e.line, e.message) for e in errors] == [
        ("BUNDLE_CARDINALITY", f"{OPTION}.{field}", 30, message)
    ]
    assert check_release(swap(_with_mobile_option(base, 0, 4, 0))) == ()


def test_bundle_without_bundled_offerings_is_reported(base: CatalogRelease, swap: Swap) -> None:
    hollow = replace(base.offering("converged-home"), bundledProductOffering=(), productOfferingPrice=())

    assert [(e.code, e.path) for e in check_release(swap(hollow))] == [("BUNDLE_MISMATCH", "$.spec.isBundle")]
    assert check_release(swap(replace(hollow, isBundle=False))) == ()


def test_bundled_offerings_on_an_offering_that_is_not_a_bundle_are_reported(
    base: CatalogRelease, swap: Swap
) -> None:
    liar = replace(base.offering("converged-home"), isBundle=False)

    assert [(e.code, e.path) for e in check_release(swap(liar))] == [
        ("BUNDLE_MISMATCH", "$.spec.bundledProductOffering")
    ]


@pytest.mark.parametrize(
    "status", [LifecycleStatus.retired, LifecycleStatus.obsolete, LifecycleStatus.inDesign]
)
def test_unsellable_component_of_a_sellable_bundle_is_reported(
    base: CatalogRelease, swap: Swap, status: LifecycleStatus
) -> None:
    dead = replace(base.offering("mobile-5g-m"), lifecycleStatus=status)

    errors = check_release(swap(dead))

    assert [(e.code, e.path) for e in errors] == [
        ("BUNDLED_OFFERING_NOT_SELLABLE", "$.spec.bundledProductOffering[1].id")
    ]
    assert f"'mobile-5g-m' is {status}, but the bundle is active" in errors[0].message


def test_retired_bundle_may_keep_retired_components(base: CatalogRelease, swap: Swap) -> None:
    retired = LifecycleStatus.retired
    component = replace(base.offering("mobile-5g-m"), lifecycleStatus=retired)
    bundle = replace(base.offering("converged-home"), lifecycleStatus=retired)

    assert check_release(swap(component, bundle)) == ()


def test_component_sold_only_within_bundles_is_fine(base: CatalogRelease, swap: Swap) -> None:
    # TMF: isSellable false means "only within a bundle", exactly what a component is.
    component = replace(base.offering("mobile-5g-m"), isSellable=False)

    assert check_release(swap(component)) == ()


def test_component_that_expires_before_the_bundle_starts_is_reported(
    base: CatalogRelease, swap: Swap
) -> None:
    expired = replace(base.offering("mobile-5g-m"), validFor=TimePeriod(endDateTime=T0))
    bundle = replace(base.offering("converged-home"), validFor=TimePeriod(startDateTime=T0))

    errors = check_release(swap(expired, bundle))

    assert [e.code for e in errors] == ["BUNDLED_OFFERING_NOT_SELLABLE"]
    assert "has no version valid while the bundle is" in errors[0].message


def test_a_component_listed_twice_is_reported(base: CatalogRelease, swap: Swap) -> None:
    bundle = base.offering("converged-home")
    twice = replace(
        bundle, bundledProductOffering=(*bundle.bundledProductOffering, bundle.bundledProductOffering[0])
    )

    errors = check_release(swap(twice))

    assert [(e.code, e.path) for e in errors] == [("DUPLICATE_ID", "$.spec.bundledProductOffering[2].id")]
