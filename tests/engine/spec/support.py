"""Shared by the loader tests: where the minimal release is, a valid release manifest, and document surgery."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine.spec.loader import LoadResult

MINIMAL = Path(__file__).resolve().parents[2] / "fixtures" / "spec" / "minimal"

RELEASE_YAML = """\
apiVersion: switchboard.io/v1
kind: CatalogRelease
metadata: {id: "2026.1", version: "1"}
spec: {name: Test, effectiveDate: "2026-01-01T00:00:00Z"}
"""

LoadTexts = Callable[..., LoadResult]

# Values to put anywhere in a document: of every JSON type, in the shapes the schemas tell apart.
ODD: list[object] = [
    None, True, 0, -1, Decimal("12.50"), Decimal("-0.5"), "", "12.5", "-3", "x", "Bad Id", "2026-02-30",
    "2026-01-01T00:00:00Z", "PT1H", "EUR", "active", [], ["a", "a"], [1, "b"], {},
    {"all": []}, {"not": {"fact": "f", "operator": "equal", "value": 1}}, {"any": [{"not": {}}]},
    {"fact": "f", "operator": "in", "value": ["a", 1.5]}, {"unit": "EUR", "value": "1.5"},
]  # fmt: skip


def places(value: Any, at: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every place of a document: the path of keys and indexes to each value in it."""
    yield at
    if isinstance(value, dict | list):
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            yield from places(item, (*at, key))


def replaced(document: Any, at: tuple[str | int, ...], value: object) -> Any:
    """A copy of `document` with `value` at `at`."""
    if not at:
        return value
    copy = dict(document) if isinstance(document, dict) else list(document)
    copy[at[0]] = replaced(document[at[0]], at[1:], value)  # type: ignore[index]
    return copy
