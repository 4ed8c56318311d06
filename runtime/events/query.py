"""The `query` of a hub subscription: which events of its API the listener wants.

A query string, as TMF shows it: `eventType=ProductOrderStateChangeEvent,ProductOrderCreateEvent` picks
event types, and `field=value` compares a top-level field of the event's resource (`state=completed`).
Values may be comma lists (any of them matches); clauses joined by `&` must all match; empty = every event.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from runtime.api.errors import ApiError
from runtime.events.apis import event_types

_FIELD = re.compile(r"[A-Za-z@][A-Za-z0-9_@]*")


class InvalidQuery(ApiError):
    status, code = 400, "INVALID_QUERY"


@dataclass(frozen=True, slots=True)
class EventFilter:
    event_types: frozenset[str] | None  # None: every event type
    fields: tuple[tuple[str, frozenset[str]], ...]

    @classmethod
    def parse(cls, api: str, query: str) -> EventFilter:
        try:
            pairs = parse_qsl(query.strip(), keep_blank_values=True, strict_parsing=True)
        except ValueError:
            raise InvalidQuery(f"query {query!r} is not of the form key=value&key=value") from None
        wanted: frozenset[str] | None = None
        fields: list[tuple[str, frozenset[str]]] = []
        for raw_key, raw_values in pairs:
            key, values = raw_key.strip(), frozenset(v.strip() for v in raw_values.split(",") if v.strip())
            if not values:
                raise InvalidQuery(f"query clause {key!r} has no value")
            if key == "eventType":
                _check_event_types(api, values)
                wanted = values if wanted is None else wanted & values
            elif _FIELD.fullmatch(key):
                fields.append((key, values))
            else:
                raise InvalidQuery(f"cannot filter on {key!r}: name a top-level field of the resource")
        return cls(wanted, tuple(fields))

    def matches(self, event_type: str, resource: Mapping[str, Any]) -> bool:
        if self.event_types is not None and event_type not in self.event_types:
            return False
        return all(_text(resource.get(key)) in values for key, values in self.fields)


def _check_event_types(api: str, names: frozenset[str]) -> None:
    unknown = sorted(names - event_types(api).keys())
    if unknown:
        known = ", ".join(event_types(api))
        raise InvalidQuery(f"{api} publishes no {', '.join(unknown)}; its event types: {known}")


def _text(value: Any) -> str | None:
    """A scalar as it is written in a query; None for what a simple filter cannot compare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None
