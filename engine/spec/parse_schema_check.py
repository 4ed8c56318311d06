"""A yes/no check of a document against a JSON Schema, compiled once, that agrees with jsonschema.

Most documents of a release are valid, and proving it with jsonschema's error-collecting walk costs many
times what a check compiled for the one schema does. So a document is first checked here, and only one
that fails is handed to jsonschema, which finds and explains its errors. Each keyword compiled here
decides exactly as jsonschema's own (draft 2020-12) does, inside `anyOf`, `not` or `if` too; a schema
using a keyword not compiled here (`unevaluatedProperties`, say) does not compile, and every document of
it goes to jsonschema.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema._utils import equal

Check = Callable[[Any], bool]

# Keywords that only look at the instance itself: compiled through jsonschema's own implementation.
_LEAF_KEYWORDS = frozenset(
    {
        "uniqueItems",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "maxLength",
        "maxItems",
        "minProperties",
        "maxProperties",
        "dependentRequired",
    }
)
_COMPILED_KEYWORDS = frozenset(
    {"$ref", "type", "required", "properties", "additionalProperties", "propertyNames", "items", "minItems"}
    | {"minLength", "pattern", "enum", "const", "format", "allOf", "anyOf", "oneOf", "not", "if"}
)
_TYPES: Mapping[str, Check] = {
    "array": lambda x: isinstance(x, list),
    "boolean": lambda x: isinstance(x, bool),
    "integer": lambda x: (
        not isinstance(x, bool) and (isinstance(x, int) or (isinstance(x, float) and x.is_integer()))
    ),
    "null": lambda x: x is None,
    "number": lambda x: not isinstance(x, bool) and isinstance(x, numbers.Number),
    "object": lambda x: isinstance(x, dict),
    "string": lambda x: isinstance(x, str),
}


class _UnsupportedError(Exception):
    pass


def compile_check(schema: Any, refs: Mapping[int, Any], formats: FormatChecker) -> Check | None:
    """A check of `schema`, its `$ref`s followed through `refs` (the id() of a schema holding a `$ref`
    to the schema it points at); None when the schema uses a keyword this module does not compile."""
    try:
        return _Compiler(refs, formats).compile(schema)
    except _UnsupportedError:
        return None


def _always(_: Any) -> bool:
    return True


def _never(_: Any) -> bool:
    return False


def _every(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]

    def check(instance: Any) -> bool:
        for each in checks:  # noqa: SIM110 - a loop costs less than all() over a generator, here per value
            if not each(instance):
                return False
        return True

    return check


class _Compiler:
    def __init__(self, refs: Mapping[int, Any], formats: FormatChecker) -> None:
        self.refs, self.formats = refs, formats
        self.targets: dict[int, Check] = {}  # the compiled target of each `$ref`, once: refs may recurse
        self.validator = Draft202012Validator({}, format_checker=formats)  # for leaf keywords

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict):
            raise _UnsupportedError(schema)
        keywords = set(schema) & set(Draft202012Validator.VALIDATORS)
        if keywords - _COMPILED_KEYWORDS - _LEAF_KEYWORDS:
            raise _UnsupportedError(keywords)
        checks = [self._type(schema["type"])] if "type" in schema else []
        if keywords & {"required", "properties", "additionalProperties", "propertyNames"}:
            checks.append(self._object(schema))
        if keywords & {"items", "minItems"}:
            checks.append(self._array(schema))
        if keywords & {"minLength", "pattern"}:
            checks.append(self._string(schema))
        for keyword in sorted(keywords & {"enum", "const", "format"}):
            checks.append(self._value(keyword, schema[keyword]))
        checks += [self._leaf(keyword, schema) for keyword in sorted(keywords & _LEAF_KEYWORDS)]
        checks += [
            self._applicator(keyword, schema)
            for keyword in ("$ref", "allOf", "anyOf", "oneOf", "not", "if")
            if keyword in schema
        ]
        return _every(checks)

    def _type(self, names: Any) -> Check:
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not all(name in _TYPES for name in names):
            raise _UnsupportedError(names)
        tests = [_TYPES[name] for name in names]
        return tests[0] if len(tests) == 1 else lambda x: any(test(x) for test in tests)

    def _object(self, schema: Mapping[str, Any]) -> Check:
        required = frozenset(schema.get("required", ()))
        properties = {name: self.compile(sub) for name, sub in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties", True)
        if not isinstance(extra, dict | bool):
            raise _UnsupportedError(extra)
        other = None if extra is True else self.compile(extra)  # checks the members `properties` does not
        names = self.compile(schema["propertyNames"]) if "propertyNames" in schema else None

        def check(instance: Any) -> bool:
            if not isinstance(instance, dict):
                return True
            if not required <= instance.keys():
                return False
            for key, value in instance.items():
                test = properties.get(key, other)
                if (test is not None and not test(value)) or (names is not None and not names(key)):
                    return False
            return True

        return check

    def _array(self, schema: Mapping[str, Any]) -> Check:
        minimum = schema.get("minItems", 0)
        items = self.compile(schema["items"]) if "items" in schema else _always

        def check(instance: Any) -> bool:
            if not isinstance(instance, list):
                return True
            return len(instance) >= minimum and all(map(items, instance))

        return check

    def _string(self, schema: Mapping[str, Any]) -> Check:
        minimum = schema.get("minLength", 0)
        pattern = re.compile(schema["pattern"]) if "pattern" in schema else None

        def check(instance: Any) -> bool:
            if not isinstance(instance, str):
                return True
            return len(instance) >= minimum and (pattern is None or pattern.search(instance) is not None)

        return check

    def _value(self, keyword: str, expected: Any) -> Check:
        if keyword == "format":
            if expected not in self.formats.checkers:
                return _always
            return lambda x: self.formats.conforms(x, expected)
        allowed = [expected] if keyword == "const" else list(expected)
        if all(isinstance(value, str) for value in allowed):
            texts = frozenset(allowed)
            return lambda x: isinstance(x, str) and x in texts
        return lambda x: any(equal(value, x) for value in allowed)

    def _leaf(self, keyword: str, schema: Mapping[str, Any]) -> Check:
        function, value, validator = Draft202012Validator.VALIDATORS[keyword], schema[keyword], self.validator
        return lambda x: next(iter(function(validator, value, x, schema) or ()), None) is None

    def _applicator(self, keyword: str, schema: Mapping[str, Any]) -> Check:
        if keyword == "$ref":
            return self._reference(schema)
        if keyword == "not":
            negated = self.compile(schema["not"])
            return lambda x: not negated(x)
        if keyword == "if":
            condition = self.compile(schema["if"])
            then = self.compile(schema.get("then", True))
            otherwise = self.compile(schema.get("else", True))
            return lambda x: then(x) if condition(x) else otherwise(x)
        branches = [self.compile(branch) for branch in schema[keyword]]
        if keyword == "allOf":
            return _every(branches)
        if keyword == "anyOf":
            return lambda x: any(branch(x) for branch in branches)
        return lambda x: sum(1 for branch in branches if branch(x)) == 1  # oneOf

    def _reference(self, schema: Mapping[str, Any]) -> Check:
        target = self.refs.get(id(schema))
        if target is None:
            raise _UnsupportedError(schema["$ref"])
        key = id(target)
        if key not in self.targets:
            compiled: list[Check] = []
            self.targets[key] = lambda x: compiled[0](x)  # until compiled: a reference may recurse
            compiled.append(self.compile(target))
            self.targets[key] = compiled[0]
        return self.targets[key]
