"""YAML (and JSON, which is YAML) into plain values, with the line and column of every JSON path.

Plain scalars resolve by the YAML 1.2 core schema, the one JSON shares, rather than PyYAML's YAML 1.1:
only `true`/`false` are booleans (the region `NO` stays a string), `010` is ten, `12:30` is a string,
and dates stay the ISO strings written. Floats become `Decimal` built from the literal text, never
through a binary float, so `12.99` is exactly 12.99.

A JSON object, the form exports and generated releases are written in, is read by `json` when that
provably gives the values YAML would; its positions are then found by YAML only when first asked for,
which is when an error is to be located.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.spec.common import SourceInfo
from engine.validation.report import SpecError

_TAG = "tag:yaml.org,2002:"
NULL, BOOL, INT, FLOAT, STR = (f"{_TAG}{name}" for name in ("null", "bool", "int", "float", "str"))
TIMESTAMP, MAP, SEQ = (f"{_TAG}{name}" for name in ("timestamp", "map", "seq"))

# Far deeper than any spec needs (a condition tree nests a few levels); it bounds what one draft can cost.
MAX_DEPTH = 100

_IDENTIFIER_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")


_CORE_RESOLVERS = (
    (NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (FLOAT, r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", list("-+.0123456789")),
)


def core_schema_loader(base: type[Any]) -> type[Any]:
    """`base` (a PyYAML safe loader) resolving plain scalars by the YAML 1.2 core schema only."""
    loader: type[Any] = type(f"CoreSchema{base.__name__}", (base,), {"yaml_implicit_resolvers": {}})
    for tag, pattern, first in _CORE_RESOLVERS:
        loader.add_implicit_resolver(tag, re.compile(pattern), first)
    return loader


# libyaml's loader when PyYAML was built with it (it composes about fifteen times faster), else the
# pure-Python one. Both resolve tags through the same Python table, so they read every text alike.
LOADER = core_schema_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@dataclass(frozen=True, slots=True)
class LocatedDocument:
    """One YAML document as plain data (dict, list, str, int, Decimal, bool, None) and its positions."""

    file: str
    index: int  # 0-based position of the document in its file
    data: Any
    positions: Mapping[str, tuple[int, int]]
    # Problems inside this document (duplicate keys, unsupported tags); its data is then incomplete.
    problems: tuple[SpecError, ...] = ()

    def locate(self, path: str) -> tuple[int, int]:
        """Position of `path`, or of its nearest located ancestor."""
        return SourceInfo(self.file, self.positions).locate(path)


@dataclass(frozen=True, slots=True)
class ParsedSource:
    """The documents of one text, and every syntax error in it (the documents' own problems included)."""

    documents: tuple[LocatedDocument, ...]
    errors: tuple[SpecError, ...]


def child_path(parent: str, key: str | int) -> str:
    """The JSON path of a mapping key or list index below `parent`, e.g. `$.spec.price` or `$.rows[0]`."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if _IDENTIFIER_KEY.match(key):
        return f"{parent}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{parent}['{escaped}']"


def parse_source(file: str, text: str) -> ParsedSource:
    """Every document of a YAML or JSON text; syntax problems are located errors, never exceptions."""
    fast = _read_json(file, text)
    if fast is not None:
        return ParsedSource((fast,), ())
    documents: list[LocatedDocument] = []
    errors: list[SpecError] = []
    try:
        for index, node in enumerate(yaml.compose_all(text, Loader=LOADER)):
            if node is None or (node.tag == NULL and isinstance(node, ScalarNode)):
                continue  # an empty document, e.g. after a trailing `---`
            builder = _Builder(file)
            data = builder.build(node, "$", 0)
            problems = tuple(builder.errors)
            documents.append(
                LocatedDocument(file, index, data, MappingProxyType(builder.positions), problems)
            )
            errors.extend(problems)
    except yaml.YAMLError as error:
        errors.append(_yaml_error(file, error))
    except RecursionError:
        errors.append(_syntax(file, (1, 1), "$", "the document nests too deeply", "YAML_TOO_DEEP"))
    return ParsedSource(tuple(documents), tuple(errors))


# Texts `json` and YAML might read differently, or YAML not at all, are left to YAML: escapes, tabs (one
# PyYAML back end refuses them), characters YAML refuses or reads as line breaks, and keys YAML cannot
# find the `:` of, being a line or more than 1024 characters away from where they start (see `_object`).
_JSON_START = re.compile(r"[ \r\n]*\{")
_NOT_PLAIN_CHARACTER = re.compile(
    r"[^\n\r\x20-\x5b\x5d-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_KEY_AWAY_FROM_COLON = re.compile(r'"[ \r\n]*[\r\n][ \r\n]*:|" {32,}:')
_SPACED_COLON = '"' + " " * 32  # what the second form starts with
_MAX_JSON_KEY = 200  # characters, so at most 800 bytes
_JSON_STRING = re.compile(r'"[^"]*"|[^][{}]+')


class _NotPlainJsonError(ValueError):
    pass


def _read_json(file: str, text: str) -> LocatedDocument | None:
    """The document of a plain JSON object text, read as YAML would read it; None for any other text."""
    if not _JSON_START.match(text) or not _plain(text) or _nests_too_deep(text):
        return None
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_float=Decimal, parse_constant=_constant)
    except (ValueError, RecursionError):  # not JSON, or not plainly: YAML reads it and says what is wrong
        return None
    return LocatedDocument(file, 0, data, _LazyPositions(file, text))


def _plain(text: str) -> bool:
    """Whether `json` reads `text` as YAML does, when it reads it at all (see the comment above)."""
    if text.isascii():  # `json` refuses every other control character itself
        if "\\" in text or "\t" in text or "\x7f" in text:
            return False
    elif _NOT_PLAIN_CHARACTER.search(text):
        return False
    if "\n" in text or "\r" in text or _SPACED_COLON in text:
        return _KEY_AWAY_FROM_COLON.search(text) is None
    return True


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) < len(pairs) or max(map(len, result), default=0) > _MAX_JSON_KEY:
        raise _NotPlainJsonError("a duplicate or long key")
    return result


def _constant(name: str) -> Any:
    raise _NotPlainJsonError(f"{name} is not a JSON number")


def _nests_too_deep(text: str) -> bool:
    """Whether containers might nest MAX_DEPTH deep, which YAML reports (strings hold no escapes here)."""
    if text.count("{") + text.count("[") < MAX_DEPTH:
        return False
    depth = deepest = 0
    for bracket in _JSON_STRING.sub("", text):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest >= MAX_DEPTH


class _LazyPositions(Mapping[str, tuple[int, int]]):
    """The positions of a document `json` read, found by reading its text as YAML on first use."""

    __slots__ = ("_file", "_positions", "_text")

    def __init__(self, file: str, text: str) -> None:
        self._file, self._text = file, text
        self._positions: Mapping[str, tuple[int, int]] | None = None

    def _load(self) -> Mapping[str, tuple[int, int]]:
        if self._positions is None:
            builder, node = _Builder(self._file), yaml.compose(self._text, Loader=LOADER)
            if node is not None:  # it is: the text is a JSON object
                builder.build(node, "$", 0)
            self._positions, self._text = MappingProxyType(builder.positions), ""
        return self._positions

    def __getitem__(self, path: str) -> tuple[int, int]:
        return self._load()[path]

    def __contains__(self, path: object) -> bool:
        return path in self._load()

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return repr(self._load())


def _syntax(file: str, position: tuple[int, int], path: str, message: str, code: str) -> SpecError:
    return SpecError(file, position[0], position[1], path, message, code, "syntax")


def _yaml_error(file: str, error: yaml.YAMLError) -> SpecError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    position = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if isinstance(error, yaml.MarkedYAMLError):
        message = error.problem or "invalid YAML"
        if "maximum nesting depth" in message:  # libyaml's own limit, met before ours
            return _syntax(file, position, "$", "the document nests too deeply", "YAML_TOO_DEEP")
        if error.context:
            where = f" at line {error.context_mark.line + 1}" if error.context_mark else ""
            message = f"{message} ({error.context}{where})"
    else:
        message = str(error)
    return _syntax(file, position, "$", message, "YAML_SYNTAX")


def _position(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass
class _Builder:
    """Turns a composed node tree into plain values, recording positions and collecting every problem."""

    file: str
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    errors: list[SpecError] = field(default_factory=list)
    built: set[int] = field(default_factory=set)  # ids of the nodes built: one met again is an alias

    def problem(self, node: Node, path: str, message: str, code: str = "UNSUPPORTED_YAML") -> None:
        self.errors.append(_syntax(self.file, _position(node), path, message, code))

    def build(self, node: Node, path: str, depth: int) -> Any:
        if id(node) in self.built:
            self.alias(node, path)
            return None
        self.built.add(id(node))
        self.positions.setdefault(path, _position(node))
        if depth > MAX_DEPTH:
            self.problem(node, path, f"the document nests deeper than {MAX_DEPTH} levels", "YAML_TOO_DEEP")
            return None
        if isinstance(node, MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            if node.tag != SEQ:
                self.problem(node, path, _unsupported_tag(node))
            return [self.build(item, child_path(path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self.scalar(node, path)

    def alias(self, node: Node, path: str) -> None:
        # An alias would put one node at several paths, so errors inside it could only point at the anchor,
        # and alias chains expand exponentially ("billion laughs") in drafts sent to the API. The composer
        # hands an alias over as the anchored node itself: where it is written is known from its path only,
        # the key it is the value of, or else the list holding it.
        position = self.positions.get(path) or self.positions[path[: path.rfind("[")]]
        message = "aliases (*name) are not supported in spec files; write the value out"
        where = f" (its anchor is at line {_position(node)[0]})"
        self.errors.append(_syntax(self.file, position, path, message + where, "UNSUPPORTED_YAML"))

    def mapping(self, node: MappingNode, path: str, depth: int) -> dict[str, Any]:
        if node.tag != MAP:
            self.problem(node, path, _unsupported_tag(node))
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, path, "a mapping key must be a plain string, not a list or a mapping")
                continue
            # Keys are the text written, so `24:` and `"24":` are the same key, as in JSON.
            key = key_node.value
            key_path = child_path(path, key)
            if key in result:
                first = self.positions[key_path]
                self.problem(
                    key_node, key_path, f"duplicate key {key!r} (first at line {first[0]})", "DUPLICATE_KEY"
                )
                continue
            # A mapping entry is located at its key: that is where a reader looks for `price:`.
            self.positions[key_path] = _position(key_node)
            result[key] = self.build(value_node, key_path, depth + 1)
        return result

    def scalar(self, node: ScalarNode, path: str) -> Any:
        text: str = node.value
        if node.tag in (STR, TIMESTAMP):
            return text
        if node.tag == NULL:
            return None
        try:
            if node.tag == BOOL:
                return _core_bool(text)
            if node.tag == INT:
                return _core_int(text)
            if node.tag == FLOAT:
                return _exact_decimal(text)
        except ValueError as error:
            self.problem(node, path, str(error), "YAML_SCALAR")
            return None
        self.problem(node, path, _unsupported_tag(node))
        return None


def _unsupported_tag(node: Node) -> str:
    tag = f"!!{node.tag.removeprefix(_TAG)}" if node.tag.startswith(_TAG) else node.tag
    return f"the YAML tag {tag} is not supported in spec files"


def _core_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered not in ("true", "false"):
        raise ValueError(f"{text!r} is not a boolean; write true or false")
    return lowered == "true"


def _core_int(text: str) -> int:
    try:
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an integer") from None


def _exact_decimal(text: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a decimal number") from None
    if not number.is_finite():
        raise ValueError(f"{text!r} is not a finite decimal number")
    return number
