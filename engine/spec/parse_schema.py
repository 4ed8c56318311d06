"""The schema stage of parsing: each document against its kind's JSON Schema, with clear, located errors.

The schemas are package data read once; `$ref`s resolve through an in-memory `referencing.Registry`,
so validation never touches the network, and each is resolved once (`schema_refs`). A document is first
checked by a check compiled from its kind's schema; only one that fails it is walked by jsonschema.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing._core import Resolver  # the public package re-exports Registry, not Resolver
from referencing.jsonschema import DRAFT202012

from engine.spec.common import Kind
from engine.spec.located import LocatedDocument, child_path
from engine.spec.parse_common import to_datetime
from engine.spec.parse_schema_check import Check, compile_check
from engine.validation.report import SpecError

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMA_BASE_URI = "https://switchboard.io/schemas/v1/"
DATE_TIME_FORMAT = "switchboard-date-time"

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean (true or false)",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def schema_file(kind: Kind | str) -> Path:
    """Where the JSON Schema of a kind (or `common`) is."""
    return SCHEMA_DIR / f"{kind}.schema.json"


@cache
def _schemas() -> Mapping[str, Mapping[str, Any]]:
    names = [*(kind.value for kind in Kind), "common"]
    return {name: json.loads(schema_file(name).read_text(encoding="utf-8")) for name in names}


def schema_for(kind: Kind | str) -> dict[str, Any]:
    """The parsed JSON Schema of a kind (a copy: callers may change it freely)."""
    return copy.deepcopy(dict(kind_schema(Kind(kind))))


def kind_schema(kind: Kind) -> Mapping[str, Any]:
    """The shared, cached JSON Schema of a kind; read it, never change it (`schema_for` gives a copy)."""
    return _schemas()[kind.value]


@cache
def schema_registry() -> Registry[Any]:
    """Every schema under its `$id`, so relative `$ref`s resolve without a network."""
    resources = [Resource.from_contents(schema) for schema in _schemas().values()]
    return Registry().with_resources((str(r.contents["$id"]), r) for r in resources)


# Keywords whose value is a schema, a list of schemas, or a mapping of names to schemas.
_SCHEMA_KEYWORDS = frozenset(
    {"items", "additionalProperties", "propertyNames", "not", "if", "then", "else", "contains"}
    | {"unevaluatedItems", "unevaluatedProperties", "contentSchema"}
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_MAPPINGS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})


@cache
def schema_refs() -> Mapping[int, Mapping[str, Any]]:
    """The schema every `$ref` of the spec schemas points at, by the id() of the schema holding the `$ref`.

    The schemas are read once and never changed, so their ids stay theirs as long as the process runs.
    """
    refs: dict[int, Mapping[str, Any]] = {}
    seen: set[int] = set()

    def visit(schema: Any, resolver: Resolver[Any]) -> None:
        if not isinstance(schema, Mapping) or id(schema) in seen:
            return
        seen.add(id(schema))
        if "$id" in schema:
            resolver = resolver.in_subresource(DRAFT202012.create_resource(schema))
        if isinstance(schema.get("$ref"), str):
            resolved = resolver.lookup(schema["$ref"])
            refs[id(schema)] = resolved.contents
            visit(resolved.contents, resolved.resolver)
        for keyword, value in schema.items():
            if keyword in _SCHEMA_KEYWORDS:
                visit(value, resolver)
            elif keyword in _SCHEMA_LISTS and isinstance(value, list):
                for each in value:
                    visit(each, resolver)
            elif keyword in _SCHEMA_MAPPINGS and isinstance(value, Mapping):
                for each in value.values():
                    visit(each, resolver)

    for schema in _schemas().values():
        visit(schema, schema_registry().resolver(base_uri=str(schema["$id"])))
    return refs


def _ref(validator: Draft202012Validator, ref: str, instance: Any, schema: Mapping[str, Any]) -> Any:
    """jsonschema's `$ref`, through the references resolved once rather than a lookup each time."""
    target = schema_refs().get(id(schema))
    if target is None:  # not a spec schema: looked up as jsonschema does
        return Draft202012Validator.VALIDATORS["$ref"](validator, ref, instance, schema)
    return validator.descend(instance, target)


_Validator = cast(
    type[Draft202012Validator],
    validators.extend(Draft202012Validator, {"$ref": _ref}),  # type: ignore[no-untyped-call]
)


@cache
def _validator(kind: Kind) -> Draft202012Validator:
    validator: Draft202012Validator = _Validator(
        kind_schema(kind), registry=schema_registry(), format_checker=format_checker()
    )
    return validator


@cache
def _check(kind: Kind) -> Check:
    """The compiled check of a kind: True when jsonschema would find no error in the document."""
    return compile_check(kind_schema(kind), schema_refs(), format_checker()) or (lambda _: False)


@cache
def format_checker() -> FormatChecker:
    """The one asserted format: a real calendar date-time (the pattern alone admits 30 February)."""
    checker = FormatChecker(formats=())
    shape = re.compile(_schemas()["common"]["$defs"]["DateTime"]["pattern"])

    @checker.checks(DATE_TIME_FORMAT, raises=ValueError)
    def _date_time(instance: object) -> bool:
        # A malformed text is the pattern's to report; say it once.
        if isinstance(instance, str) and shape.match(instance):
            to_datetime(instance)
        return True

    return checker


def schema_errors(document: LocatedDocument) -> list[SpecError]:
    """Every schema error of one document, at its deepest useful path; none means the document is valid."""
    data = document.data
    if not isinstance(data, dict):
        message = f"a spec document is a mapping with apiVersion, kind, metadata and spec, not {_show(data)}"
        return [_located(document, "$", message, "NOT_A_DOCUMENT")]
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in Kind.__members__:
        known = ", ".join(Kind)
        message = (
            f"missing kind; expected one of: {known}"
            if kind is None
            else f"unknown kind {kind!r}{_did_you_mean(kind, [k.value for k in Kind])}; expected one of: {known}"
        )
        return [_located(document, "$.kind" if "kind" in data else "$", message, "UNKNOWN_KIND")]
    if _check(Kind(kind))(data):
        return []
    found: dict[tuple[str, str], SpecError] = {}
    for error in _validator(Kind(kind)).iter_errors(data):
        for path, message, code in _explain(error):
            # Several branches of one schema can report the same problem; say it once.
            found.setdefault((path, message), _located(document, path, message, code))
    return list(found.values())


def _located(document: LocatedDocument, path: str, message: str, code: str) -> SpecError:
    line, column = document.locate(path)
    return SpecError(document.file, line, column, path, message, code, "schema")


def _path(parts: Iterable[str | int]) -> str:
    path = "$"
    for part in parts:
        path = child_path(path, part)
    return path


Explained = tuple[str, str, str]  # (JSON path, message, code)


def _explain(error: ValidationError) -> Iterator[Explained]:
    """Turn one jsonschema error into plain-language, located problems."""
    path = _path(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    expected: Any = error.validator_value
    match error.validator:
        case "additionalProperties":
            yield from _unknown_fields(path, instance, schema)
        case "required":
            for name in expected:
                if isinstance(instance, dict) and name not in instance:
                    yield path, f"missing required field {name!r}{_context(schema)}", "MISSING_FIELD"
        case "type":
            yield path, _wrong_type(expected, instance), "WRONG_TYPE"
        case "enum":
            allowed = [str(value) for value in expected]
            hint = _did_you_mean(instance, allowed)
            yield (
                path,
                f"{_show(instance)} is not allowed{hint}; expected one of: {', '.join(allowed)}",
                "NOT_ALLOWED",
            )
        case "const":
            yield path, f"expected {_show(expected)}, got {_show(instance)}", "NOT_ALLOWED"
        case "pattern":
            rule = schema.get("patternErrorMessage", f"must match {expected}")
            yield path, f"{_show(instance)} {rule}", "INVALID_VALUE"
        case "not" if _under_property_names(error):
            yield (
                child_path(path, instance),
                f"field {instance!r} does not apply to {schema.get('title', 'this object')}",
                "FIELD_NOT_APPLICABLE",
            )
        case "format":
            yield path, str(error.cause or error.message), "INVALID_DATETIME"
        case "anyOf" | "oneOf":
            yield from _alternatives(path, instance, schema, error)
        case _:
            yield path, _default_message(error), "INVALID_VALUE"


def _unknown_fields(path: str, instance: Any, schema: Mapping[str, Any]) -> Iterator[Explained]:
    allowed = list(schema.get("properties", {}))
    for name in instance:
        if name not in allowed:
            listing = f"; allowed: {', '.join(allowed)}" if allowed else ""
            message = f"unknown field {name!r}{_did_you_mean(name, allowed)}{listing}"
            yield child_path(path, name), message, "UNKNOWN_FIELD"


def _under_property_names(error: ValidationError) -> bool:
    return len(error.relative_schema_path) >= 2 and error.relative_schema_path[-2] == "propertyNames"


def _alternatives(
    path: str, instance: Any, schema: Mapping[str, Any], error: ValidationError
) -> Iterator[Explained]:
    # A schema that names its own rule (`errorMessage`, which editors show too) says it best; otherwise
    # the most relevant failing branch does, at its own, deeper path.
    rule = schema.get("errorMessage")
    if rule is not None:
        scalar = not isinstance(instance, dict | list)
        yield path, f"{_show(instance)} {rule}" if scalar else str(rule), "INVALID_VALUE"
        return
    branch = best_match(error.context) if error.context else None
    if branch is None:
        yield path, _default_message(error), "INVALID_VALUE"
    else:
        yield from _explain(branch)


def _context(schema: Mapping[str, Any]) -> str:
    title = schema.get("title")
    return f" ({title})" if title else ""


def _wrong_type(expected: str | list[str], instance: Any) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    described = [_TYPE_NAMES.get(name, name) for name in names]
    wanted = " or ".join(filter(None, [", ".join(described[:-1]), described[-1]]))
    message = f"expected {wanted}, got {_kind_of(instance)}"
    if "string" in names and isinstance(instance, bool | int | Decimal):
        message += f' (quote it: "{_show(instance)}")'
    return message


def _kind_of(instance: Any) -> str:
    if instance is None:
        return "nothing (an empty value)"
    if isinstance(instance, bool):
        return f"the boolean {_show(instance)}"
    if isinstance(instance, int | Decimal):
        return f"the number {_show(instance)}"
    if isinstance(instance, str):
        return f"the string {instance!r}"
    return "a mapping" if isinstance(instance, dict) else "a list"


def _show(value: Any) -> str:
    """A value as the spec author wrote it: YAML/JSON spelling, not Python's."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        return repr(value)
    return "a mapping" if isinstance(value, dict) else "a list"


def _did_you_mean(value: Any, choices: list[str]) -> str:
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _default_message(error: ValidationError) -> str:
    keyword, limit = error.validator, error.validator_value
    instance: Any = error.instance
    if keyword == "minLength" and limit == 1:
        return "must not be empty"
    if keyword == "minItems":
        return f"needs at least {limit} item{'s' if limit != 1 else ''}"
    if keyword == "uniqueItems":
        repeated = next((item for i, item in enumerate(instance) if item in instance[:i]), None)
        return f"{_show(repeated)} is listed more than once; list each item once"
    if keyword == "minimum":
        return f"{_show(instance)} is less than the minimum of {limit}"
    return str(error.message)
