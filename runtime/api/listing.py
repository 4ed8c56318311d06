"""TMF list conventions: attribute filters, `fields=`, `offset`/`limit`, X-Total-Count / X-Result-Count.

Filters are equality on an attribute path (`lifecycleStatus=launched`, `channel.id=web`); a path through a
list matches when any element matches. A filter or a `fields=` entry naming an unknown attribute is a 400,
never silently ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from runtime.api.errors import ApiError

RESERVED = frozenset({"fields", "offset", "limit", "sort", "releaseId", "at"})
MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1  # databases take OFFSET as a (signed) integer; beyond it a query would fail
DEFAULT_LIMIT = 100
ALWAYS_INCLUDED = ("id", "href", "@type")


class BadQuery(ApiError):
    status, code = 400, "INVALID_QUERY"


@dataclass(frozen=True, slots=True)
class ListQuery:
    filters: tuple[tuple[str, str], ...]
    fields: tuple[str, ...] | None
    offset: int
    limit: int

    @classmethod
    def parse(cls, params: Mapping[str, Any], attributes: Iterable[str]) -> ListQuery:
        """Parse the query string; `attributes` are the top-level attribute names of the resource."""
        known = frozenset(attributes)
        filters: list[tuple[str, str]] = []
        for key, value in _items(params):
            if key in RESERVED:
                continue
            if key.split(".", 1)[0] not in known:
                raise BadQuery(f"cannot filter on unknown attribute {key!r}")
            filters.append((key, value))
        return cls(
            tuple(filters),
            _fields(params.get("fields"), known),
            _int(params, "offset", 0, 0, MAX_OFFSET),
            _int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        )

    def apply(self, items: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], int]:
        """The page of matching items (with only the selected fields) and the total number of matches."""
        matching = [item for item in items if all(_matches(item, p.split("."), v) for p, v in self.filters)]
        page = matching[self.offset : self.offset + self.limit]
        return [self.select(item) for item in page], len(matching)

    def select(self, item: Mapping[str, Any]) -> dict[str, Any]:
        if self.fields is None:
            return dict(item)
        wanted = set(self.fields) | set(ALWAYS_INCLUDED)
        return {key: value for key, value in item.items() if key in wanted}


def list_headers(total: int, returned: int) -> dict[str, str]:
    return {"X-Total-Count": str(total), "X-Result-Count": str(returned)}


def _items(params: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    multi = getattr(params, "multi_items", None)
    if callable(multi):
        yield from multi()
    else:
        for key, value in params.items():
            yield key, str(value)


def _fields(raw: Any, known: frozenset[str]) -> tuple[str, ...] | None:
    if raw is None:
        return None
    names = tuple(name.strip() for name in str(raw).split(",") if name.strip())
    if not names:
        raise BadQuery("fields= names no attribute")
    unknown = [name for name in names if name not in known]
    if unknown:
        raise BadQuery(f"fields= names unknown attributes: {', '.join(unknown)}")
    return names


def _int(params: Mapping[str, Any], name: str, default: int, low: int, high: int | None) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(str(raw))
    except ValueError:
        raise BadQuery(f"{name} must be an integer, got {raw!r}") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise BadQuery(f"{name} must be {bound}, got {value}")
    return value


def _matches(value: Any, path: list[str], expected: str) -> bool:
    if isinstance(value, list):
        return any(_matches(element, path, expected) for element in value)
    if not path:
        return _text(value) == expected
    if not isinstance(value, Mapping) or path[0] not in value:
        return False
    return _matches(value[path[0]], path[1:], expected)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
