"""The whole validation of one or more release folders: syntax and schema, semantics, then examples.

Examples run only on a release whose semantics are clean: a dangling reference would otherwise surface as
a confusing engine error instead of the located semantic error that explains it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from engine.eligibility import QualificationResult
from engine.examples import ExampleOutcome, example_errors, run_examples
from engine.facts import EvaluationRequest
from engine.spec.loader import LoadResult, SourceDocument, load_documents, load_release
from engine.spec.release import CatalogRelease
from engine.validation.report import SpecError, ValidationReport
from engine.validation.semantic import check_release
from engine.validation.semantic.versions import check_published_versions


class Qualifier(Protocol):
    """What examples need from eligibility: qualification, and a close that frees the release's rulesets."""

    def qualify(self, request: EvaluationRequest) -> QualificationResult: ...

    def __enter__(self) -> Qualifier: ...

    def __exit__(self, *exc_info: object) -> None: ...


QualifierFactory = Callable[[CatalogRelease], Qualifier]


@dataclass(frozen=True, slots=True)
class CatalogValidation:
    releases: tuple[CatalogRelease, ...]  # every release that loaded, even with semantic errors
    report: ValidationReport
    examples: tuple[ExampleOutcome, ...]

    @property
    def ok(self) -> bool:
        return self.report.ok

    def release(self, path: Path) -> CatalogRelease | None:
        """The loaded release whose manifest came from the folder `path`."""
        folder = str(path)
        return next((r for r in self.releases if r.manifest.source.file.startswith(folder)), None)


def _default_qualifier(release: CatalogRelease) -> Qualifier:
    from engine.eligibility import EligibilityEngine

    return EligibilityEngine(release)


def _validate_loaded(
    loaded: LoadResult, run_example_checks: bool, make_qualifier: QualifierFactory
) -> tuple[list[SpecError], tuple[ExampleOutcome, ...]]:
    errors = list(loaded.report.errors)
    if loaded.release is None:
        return errors, ()
    semantic = check_release(loaded.release)
    errors.extend(semantic)
    if not run_example_checks or semantic:
        return errors, ()
    with make_qualifier(loaded.release) as engine:
        outcomes = run_examples(loaded.release, engine.qualify)
    errors.extend(example_errors(outcomes))
    return errors, outcomes


def validate_catalog(
    paths: Sequence[Path], *, run_example_checks: bool = True, qualifier: QualifierFactory | None = None
) -> CatalogValidation:
    """Load and check every folder; every error of every layer is reported, located."""
    errors: list[SpecError] = []
    releases: list[CatalogRelease] = []
    outcomes: list[ExampleOutcome] = []
    for path in paths:
        loaded = load_release(path)
        found, ran = _validate_loaded(loaded, run_example_checks, qualifier or _default_qualifier)
        errors.extend(found)
        outcomes.extend(ran)
        if loaded.release is not None:
            releases.append(loaded.release)
    errors.extend(check_published_versions(releases))
    return CatalogValidation(tuple(releases), ValidationReport.of(errors), tuple(outcomes))


def validate_documents(
    documents: Sequence[SourceDocument],
    *,
    origin: str = "<documents>",
    published: Sequence[CatalogRelease] = (),
    run_example_checks: bool = True,
    qualifier: QualifierFactory | None = None,
) -> CatalogValidation:
    """Check one release given as in-memory documents (drafts, an upload), against releases already
    published: a published entity version may not come back with other content.
    """
    loaded = load_documents(documents, origin=origin)
    errors, outcomes = _validate_loaded(loaded, run_example_checks, qualifier or _default_qualifier)
    if loaded.release is not None:
        errors.extend(check_published_versions([*published, loaded.release]))
    releases = () if loaded.release is None else (loaded.release,)
    return CatalogValidation(releases, ValidationReport.of(errors), outcomes)
