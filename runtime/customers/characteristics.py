"""The customer characteristics eligibility reads, typed by the engine's fact model.

TMF629 gives a customer free name/value `characteristic`s; these few carry facts and so must have the
fact's type and allowed values. Other names are stored as given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.facts import FACTS, FactDefinition, ValueType
from runtime.api.errors import Unprocessable

FACT_OF_CHARACTERISTIC: Mapping[str, FactDefinition] = {
    "segment": FACTS["customer.segment"],
    "creditClass": FACTS["customer.creditClass"],
    "fibreAvailable": FACTS["address.fibreAvailable"],
    "maxDownloadMbps": FACTS["address.maxDownloadMbps"],
    "fiveGCoverage": FACTS["address.fiveGCoverage"],
}


def characteristic_values(characteristics: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Characteristic name -> value."""
    return {c["name"]: c["value"] for c in characteristics if "name" in c and "value" in c}


def check_characteristics(characteristics: Sequence[Mapping[str, Any]]) -> None:
    seen: set[str] = set()
    for characteristic in characteristics:
        name = characteristic["name"]
        fact = FACT_OF_CHARACTERISTIC.get(name)
        if fact is None:
            continue
        if name in seen:
            raise Unprocessable(f"characteristic {name!r} is given twice", code="INVALID_CHARACTERISTIC")
        seen.add(name)
        if not _conforms(characteristic["value"], fact):
            raise Unprocessable(
                f"characteristic {name!r} must be {_expected(fact)}, got {characteristic['value']!r}",
                code="INVALID_CHARACTERISTIC",
            )


def _conforms(value: Any, fact: FactDefinition) -> bool:
    if fact.valueType is ValueType.boolean:
        return isinstance(value, bool)
    if fact.valueType is ValueType.integer:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if fact.valueType is ValueType.string:
        return isinstance(value, str) and (not fact.allowedValues or value in fact.allowedValues)
    raise AssertionError(f"no customer characteristic carries a {fact.valueType} fact")


def _expected(fact: FactDefinition) -> str:
    if fact.allowedValues:
        return "one of " + ", ".join(fact.allowedValues)
    return {ValueType.boolean: "true or false", ValueType.integer: "a non-negative integer"}.get(
        fact.valueType, f"a {fact.valueType}"
    )
