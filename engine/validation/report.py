"""Located validation errors, shared by the syntax, schema and semantic layers, and the report that gathers them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from engine.spec.common import SourceInfo

Layer = Literal["syntax", "schema", "semantic"]


@dataclass(frozen=True, slots=True)
class SpecError:
    """One error in a spec file, located like a compiler error: `file:line:column: path: message [code]`."""

    file: str
    line: int
    column: int
    path: str
    message: str
    code: str
    layer: Layer

    @classmethod
    def at(
        cls, source: SourceInfo, path: str, message: str, *, code: str, layer: Layer = "semantic"
    ) -> SpecError:
        """An error at `path` of the entity `source` describes, or at its nearest located ancestor."""
        line, column = source.locate(path)
        return cls(source.file, line, column, path, message, code, layer)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.path}: {self.message} [{self.code}]"


def _order(error: SpecError) -> tuple[str, int, int, str, str, str]:
    return (error.file, error.line, error.column, error.path, error.code, error.message)


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Every error found, in file order without repeats; a release is valid when there are none."""

    errors: tuple[SpecError, ...] = ()

    def __post_init__(self) -> None:
        # Sorted and deduplicated here so every way of building a report gives the same, stable order.
        object.__setattr__(self, "errors", tuple(sorted(set(self.errors), key=_order)))

    @classmethod
    def of(cls, errors: Iterable[SpecError]) -> ValidationReport:
        return cls(tuple(errors))

    @property
    def ok(self) -> bool:
        return not self.errors

    def merged(self, errors: Iterable[SpecError]) -> ValidationReport:
        """This report plus more errors (e.g. the semantic layer's after the schema layer's)."""
        return ValidationReport((*self.errors, *errors))

    def in_layer(self, layer: Layer) -> tuple[SpecError, ...]:
        return tuple(e for e in self.errors if e.layer == layer)

    def __iter__(self) -> Iterator[SpecError]:
        return iter(self.errors)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
