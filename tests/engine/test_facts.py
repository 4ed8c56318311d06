"""Parsing requests: absurd numbers are clear errors, never an arithmetic crash later."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from engine.errors import FactError
from engine.facts import parse_request

CONTEXT = {"channel": "web", "date": "2026-07-15"}


def _request(item: dict[str, Any]) -> dict[str, Any]:
    return {"context": CONTEXT, "cart": [{"productOffering": "fibre-500", **item}]}


@pytest.mark.parametrize(
    ("item", "path"),
    [
        ({"quantity": 10**30}, "$.cart[0].quantity"),
        ({"quantity": 0}, "$.cart[0].quantity"),
        ({"usage": {"GB": "1e999999"}}, "$.cart[0].usage.GB"),
        ({"usage": {"GB": "NaN"}}, "$.cart[0].usage.GB"),
        ({"usage": {"GB": "0.0000001"}}, "$.cart[0].usage.GB"),
    ],
)
def test_out_of_range_numbers_are_fact_errors_with_their_path(item: dict[str, Any], path: str) -> None:
    with pytest.raises(FactError) as raised:
        parse_request(_request(item))
    assert raised.value.path == path


def test_ordinary_numbers_parse_exactly() -> None:
    request = parse_request(_request({"quantity": 20, "usage": {"GB": "12.5"}}))
    assert request.cart[0].quantity == 20
    assert request.cart[0].usage["GB"] == Decimal("12.5")


def test_a_float_is_refused_as_inexact() -> None:
    with pytest.raises(FactError, match="exact"):
        parse_request(_request({"usage": {"GB": 12.5}}))
