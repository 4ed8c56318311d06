"""Helpers every kind's parser uses: entity fields, dates, durations, decimals, money, frozen collections.

Parsers run on documents the JSON Schema has accepted, so they trust the shape; what the schema cannot
see (a 30 February, an example's facts) raises `SpecParseError` with the JSON path of the problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, NoReturn, TypedDict, TypeVar

from engine.errors import EngineError
from engine.money import Money
from engine.spec.common import ALWAYS, LifecycleStatus, SourceInfo, TimePeriod
from engine.spec.located import child_path

K = TypeVar("K")
V = TypeVar("V")

# Weeks, days, hours, minutes and whole seconds: the units with a fixed length (a month has none).
_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    message: str
    code: str = "INVALID_VALUE"


class SpecParseError(EngineError):
    """A schema-valid document that still cannot become a model object; `problems` are located by path."""

    code = "INVALID_SPEC"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0]
        super().__init__(first.message, path=first.path)


def fail(path: str, message: str, code: str = "INVALID_VALUE") -> NoReturn:
    raise SpecParseError([Problem(path, message, code)])


class EntityFields(TypedDict):
    id: str
    version: str
    name: str
    description: str
    lifecycleStatus: LifecycleStatus
    validFor: TimePeriod
    source: SourceInfo


def entity_fields(document: Mapping[str, Any], source: SourceInfo) -> EntityFields:
    """The envelope and the fields every kind's `spec` shares."""
    spec = document["spec"]
    validFor = spec.get("validFor")
    return EntityFields(
        id=document["metadata"]["id"],
        version=document["metadata"]["version"],
        name=spec["name"],
        description=spec.get("description", ""),
        lifecycleStatus=LifecycleStatus(spec.get("lifecycleStatus", LifecycleStatus.active)),
        validFor=ALWAYS if validFor is None else time_period(validFor, "$.spec.validFor"),
        source=source,
    )


def time_period(data: Mapping[str, Any], path: str) -> TimePeriod:
    start, end = data.get("startDateTime"), data.get("endDateTime")
    return TimePeriod(
        startDateTime=None if start is None else parse_datetime(start, child_path(path, "startDateTime")),
        endDateTime=None if end is None else parse_datetime(end, child_path(path, "endDateTime")),
    )


def parse_datetime(text: str, path: str) -> datetime:
    """A timezone-aware datetime; a bare date means midnight UTC of that day."""
    try:
        return to_datetime(text)
    except ValueError as error:
        fail(path, str(error), "INVALID_DATETIME")


def to_datetime(text: str) -> datetime:
    """ISO 8601 date, or date and time with a time zone (`Z` accepted), as an aware datetime."""
    try:
        if len(text) == len("2026-01-01"):
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a valid date or date and time") from None
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} needs a time zone, e.g. {text}Z")
    return moment


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 duration such as `PT1H`, `P5D`, `PT30M`, `P1DT2H` or `P2W`."""
    match = _DURATION.match(text)
    parts = {unit: int(amount) for unit, amount in (match.groupdict() if match else {}).items() if amount}
    if not parts or text.endswith("T"):
        raise ValueError(f"{text!r} is not an ISO 8601 duration in weeks, days, hours, minutes or seconds")
    try:
        return timedelta(**parts)
    except OverflowError:
        raise ValueError(f"{text!r} is too long a duration") from None


def duration(text: str, path: str) -> timedelta:
    try:
        return parse_duration(text)
    except ValueError as error:
        fail(path, str(error), "INVALID_DURATION")


def decimal(value: str | int | Decimal, path: str) -> Decimal:
    """An exact Decimal in plain notation (YAML `1e3` becomes 1000, not 1E+3)."""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError):
        fail(path, f"{value!r} is not a decimal number")
    if not number.is_finite():
        fail(path, f"{value!r} is not a finite decimal number")
    return Decimal(format(number, "f"))


def optional_decimal(value: str | int | Decimal | None, path: str) -> Decimal | None:
    return None if value is None else decimal(value, path)


def money(data: Mapping[str, Any], path: str) -> Money:
    amount = decimal(data["value"], child_path(path, "value"))
    try:
        return Money(amount, data["unit"])
    except ValueError as error:
        fail(child_path(path, "unit"), str(error), "UNKNOWN_CURRENCY")


def optional_money(data: Mapping[str, Any] | None, path: str) -> Money | None:
    return None if data is None else money(data, path)


def strings(data: Iterable[Any] | None) -> tuple[str, ...]:
    return tuple(str(item) for item in data or ())


def frozen_mapping(items: Mapping[K, V]) -> Mapping[K, V]:
    """A read-only view of a private copy, so a frozen model object is immutable all the way down."""
    return MappingProxyType(dict(items))
