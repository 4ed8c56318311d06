"""The TMF620 projection of a draft: as far as its document is valid, never an error.

A draft may be incomplete or invalid while it is being written. Its document is parsed as a published one
would be; when that fails, the spec fields the problems point at are set aside and the rest is parsed again,
so one bad field hides only itself. When even that fails (a missing name, a broken envelope) only the
envelope is shown. Every problem found in the full document is listed under `draft.problems`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from engine.errors import EngineError
from engine.spec.common import Entity, Kind, SourceInfo
from engine.spec.located import LocatedDocument
from engine.spec.parse import parse_entity
from engine.spec.parse_common import SpecParseError
from engine.spec.parse_schema import schema_errors
from runtime.catalog.contracts import Draft
from runtime.catalog.tmf620_common import Json, View, href, timestamp, type_fields
from runtime.catalog.tmf620_projection import project

DRAFT_FILE = "<draft>"
_SPEC_PREFIX = "$.spec."


def project_draft(draft: Draft, view: View) -> Json:
    entity, problems = salvage(draft.document)
    body = project(entity, view) if entity is not None and entity.kind is draft.kind else _envelope(draft)
    body["lastUpdate"] = timestamp(draft.updatedAt)
    status: Json = {"etag": draft.etag, "updatedBy": draft.updatedBy, "problems": problems}
    if draft.basedOnVersion is not None:
        status["basedOnVersion"] = draft.basedOnVersion
    body["draft"] = status
    return body


def salvage(document: Mapping[str, Any]) -> tuple[Entity | None, list[str]]:
    """The entity of a document, parsed without the spec fields that have problems, and every problem."""
    outcome = _parse(document)
    if isinstance(outcome, Entity):
        return outcome, []
    problems = [f"{path}: {message}" for path, message in outcome]
    trimmed = copy.deepcopy(dict(document))
    while not isinstance(outcome, Entity):
        spec = trimmed.get("spec")
        fields = {_spec_field(path) for path, _ in outcome}
        if not isinstance(spec, dict) or None in fields or not fields & spec.keys():
            return None, problems
        for field in fields:
            spec.pop(field, None)
        outcome = _parse(trimmed)
    return outcome, problems


def _parse(document: Mapping[str, Any]) -> Entity | list[tuple[str, str]]:
    errors = schema_errors(LocatedDocument(DRAFT_FILE, 0, document, {}))
    if errors:
        return [(error.path, error.message) for error in errors]
    try:
        return parse_entity(document, SourceInfo(DRAFT_FILE))
    except SpecParseError as error:
        return [(problem.path, problem.message) for problem in error.problems]
    except EngineError as error:
        return [(error.path or "$", error.message)]


def _spec_field(path: str) -> str | None:
    """The top-level spec field a problem is in; None when it is in the envelope or the spec as a whole."""
    if not path.startswith(_SPEC_PREFIX):
        return None
    rest = path[len(_SPEC_PREFIX) :]
    for separator in (".", "["):
        rest = rest.split(separator, 1)[0]
    return rest or None


def _envelope(draft: Draft) -> Json:
    """What can be shown of a document that does not parse: its id, and the plain texts it has."""
    document = draft.document
    metadata = document.get("metadata")
    spec = document.get("spec")
    body: Json = {"id": draft.id, "href": href(draft.kind, draft.id)}
    if isinstance(metadata, dict) and isinstance(metadata.get("version"), str):
        body["version"] = metadata["version"]
    for field in ("name", "description", "lifecycleStatus"):
        value = spec.get(field) if isinstance(spec, dict) else None
        if isinstance(value, str):
            body[field] = value
    return body | type_fields(Kind(draft.kind))
