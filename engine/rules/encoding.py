"""How typed values travel to durable-rules, whose JSON parser knows strings, C longs, doubles and booleans.

Every encoding keeps equality and order exact (measured quirks of durable-rules 2.0.28 in parentheses):
- fact names: `customer.segment` becomes the key `customer__segment` (keys are flat; dots are not).
- integers: as they are, inside +-2**62 (a C long; durable compares two integers as longs, exactly).
- dates: the integer yyyymmdd, which orders as the date does.
- decimals: never a double. A rule value `v` (at most DECIMAL_PLACES decimals) becomes the even integer
  2*v*10**6. A fact `f` becomes 2*f*10**6 when that is whole, else 2*floor(f*10**6)+1: an odd number strictly
  between its neighbours, so every comparison with any rule value is exact at any precision of the fact.
- booleans: JSON booleans (durable also reads 1/0 and the string "false" as booleans: never send those).
- string lists: every item prefixed with `=`, then the end marker `""` (`$iall` is false on an empty list,
  and a non-string marker would compare equal to some string: durable reads "0" == 0 and "false" == false).
  The marker keeps `$iall` true for an empty list, and the prefix keeps the marker unlike any item.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from engine.errors import EngineError, FactError
from engine.facts import ValueType
from engine.rules.values import FactTypes, FactValue, RuleError, fact_path, typed_fact

JsonScalar = str | int | bool
Json = JsonScalar | list[str]

DECIMAL_PLACES = 6
INTEGER_LIMIT = 2**62
LIST_ITEM_PREFIX = "="
LIST_END = ""
# Every fact asserted carries this key; the catch-all rule and the always-true term test it. A fact name
# never starts with `_`, so it cannot collide.
EVALUATION_KEY = "_evaluation"


def durable_key(fact: str) -> str:
    return fact.replace(".", "__")


def list_item(value: str) -> str:
    return LIST_ITEM_PREFIX + value


def _integer(value: int, error: type[EngineError], what: str, path: str | None) -> int:
    if not -INTEGER_LIMIT < value < INTEGER_LIMIT:
        raise error(f"{what} {value} is outside the range the rules engine compares exactly", path=path)
    return value


def _scaled(value: Decimal) -> tuple[int, bool]:
    """floor(value * 10**DECIMAL_PLACES) and whether that is exact, in integer arithmetic (no rounding)."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    magnitude = int("".join(map(str, digits)) or "0")
    numerator = -magnitude if sign else magnitude
    shift = exponent + DECIMAL_PLACES
    if shift >= 0:
        return numerator * 10**shift, True
    quotient, remainder = divmod(numerator, 10**-shift)
    return quotient, remainder == 0


def _day(value: date) -> int:
    return value.year * 10_000 + value.month * 100 + value.day


def encode_operand(value: object, value_type: ValueType) -> JsonScalar:
    """A typed rule operand (scalar; a string for a list fact) as durable compares it."""
    match value_type:
        case ValueType.decimal:
            assert isinstance(value, Decimal)
            scaled, exact = _scaled(value)
            if not exact:
                raise RuleError(f"rule value {value} has more than {DECIMAL_PLACES} decimal places")
            return _integer(2 * scaled, RuleError, "rule value", None)
        case ValueType.stringList:
            assert isinstance(value, str)
            return list_item(value)
    return _plain(value, RuleError, "rule value", None)


def encode_fact(name: str, value: FactValue, value_type: ValueType) -> Json:
    """A typed fact value as durable compares it."""
    match value_type:
        case ValueType.decimal:
            assert isinstance(value, Decimal)
            scaled, exact = _scaled(value)
            encoded = 2 * scaled if exact else 2 * scaled + 1
            return _integer(encoded, FactError, f"{name} =", fact_path(name))
        case ValueType.stringList:
            assert isinstance(value, tuple)
            return [*map(list_item, value), LIST_END]
    return _plain(value, FactError, f"{name} =", fact_path(name))


def _plain(value: object, error: type[EngineError], what: str, path: str | None) -> JsonScalar:
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return _integer(value, error, what, path)
    if isinstance(value, date):
        return _day(value)
    raise TypeError(f"cannot encode {value!r}")


def encode_facts(facts: Mapping[str, object], fact_types: FactTypes) -> dict[str, Json]:
    """The durable fact for an evaluation: exactly the facts `fact_types` names, checked and encoded."""
    encoded: dict[str, Json] = {EVALUATION_KEY: 1}
    for name, value_type in fact_types.items():
        typed = typed_fact(name, facts.get(name), value_type)
        encoded[durable_key(name)] = encode_fact(name, typed, value_type)
    return encoded
