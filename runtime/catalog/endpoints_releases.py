"""Switchboard's catalog API (an extension, not TMF620): releases, publishing, drafts.

Reads of releases: channel and product_manager. Drafts, reads included, and every write: product_manager
(admin is always admitted). Drafts are unreleased commercial plans, so a channel key (which may be a
partner's) sees only what is published.

- `GET /api/v1/releases`: every release with its effective date, content hash and status (`inEffect`,
  `scheduled`, `superseded`); TMF list filters (`?status=scheduled`), `fields=`, paging.
- `GET /api/v1/releases/{id}`: one release and its entity versions; `.../documents`: its documents as
  `{file, text}`, the body `POST /api/v1/releases` takes (an export over the API).
- `POST /api/v1/releases`: publish `{documents: [{file, text}], effectiveDate?}` (422 with every located
  error, 409 for a release id already published).
- `GET /api/v1/drafts`, `POST /api/v1/drafts/validate` (`{effectiveDate?}` → `{valid, errors}`),
  `POST /api/v1/drafts/publish` (`{releaseId, name, effectiveDate}`).
- `GET|PUT|DELETE /api/v1/drafts/{kind}/{id}`: the PUT body is the spec document itself; the responses
  are the draft with its document and an `ETag` header. PUT without `If-Match` creates (201) and is a 428
  when the draft exists; with `If-Match` it replaces (200); DELETE needs `If-Match`.
- `POST /api/v1/drafts/{kind}/{id}/lifecycle` (`{lifecycleStatus}`, `If-Match` optional).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from litestar import Request, Response, delete, get, post, put
from litestar.datastructures import State

from engine.spec.common import Kind, LifecycleStatus
from engine.spec.loader import SourceDocument
from runtime.api.errors import NotFound
from runtime.api.listing import ListQuery, list_headers
from runtime.auth.middleware import requires
from runtime.auth.roles import Principal, Role
from runtime.bootstrap import Services
from runtime.catalog.contracts import Draft, ReleaseInfo
from runtime.catalog.drafts import DRAFTABLE, InvalidDraft, parse_json
from runtime.catalog.service import ReleaseStatus

READ_RELEASES = requires(Role.channel, Role.product_manager)
PRODUCT_MANAGER = requires(Role.product_manager)
RELEASE_ATTRIBUTES = [
    "id",
    "name",
    "contentHash",
    "effectiveDate",
    "publishedAt",
    "publishedBy",
    "entityCount",
    "status",
]
DRAFT_ATTRIBUTES = [
    "kind",
    "id",
    "version",
    "name",
    "lifecycleStatus",
    "basedOnVersion",
    "etag",
    "updatedAt",
    "updatedBy",
]

AnyRequest = Request[Principal, Any, Any]


@dataclass
class UploadedDocument:
    file: str
    text: str


@dataclass
class PublishRelease:
    documents: list[UploadedDocument]
    effectiveDate: datetime | None = None


@dataclass
class ValidateDrafts:
    effectiveDate: datetime | None = None


@dataclass
class PublishDrafts:
    releaseId: str
    name: str
    effectiveDate: datetime


@dataclass
class LifecycleChange:
    lifecycleStatus: LifecycleStatus


@get("/api/v1/releases", guards=[READ_RELEASES], summary="Published catalog releases")
async def list_releases(request: AnyRequest, state: State) -> Response[list[dict[str, Any]]]:
    services: Services = state.services
    async with services.database.sessions() as session:
        releases = await services.catalog.releases(session)
        statuses = await services.catalog.statuses(session)
    items = [_release_view(info, statuses) for info in releases]
    page, total = ListQuery.parse(request.query_params, RELEASE_ATTRIBUTES).apply(items)
    return Response(page, headers=list_headers(total, len(page)))


@get("/api/v1/releases/{release_id:str}", guards=[READ_RELEASES], summary="A release and its entity versions")
async def get_release(release_id: str, state: State) -> dict[str, Any]:
    services: Services = state.services
    async with services.database.sessions() as session:
        info = await services.catalog.release(session, release_id)
        entities = await services.catalog.entities(session, release_id)
        view = _release_view(info, await services.catalog.statuses(session))
    return view | {
        "entities": [
            {"kind": e.kind, "id": e.entity_id, "version": e.version, "digest": e.digest} for e in entities
        ]
    }


@get(
    "/api/v1/releases/{release_id:str}/documents",
    guards=[READ_RELEASES],
    summary="A release's documents as canonical JSON files, as POST /api/v1/releases takes them",
)
async def release_documents(release_id: str, state: State) -> dict[str, Any]:
    services: Services = state.services
    async with services.database.sessions() as session:
        files = await services.catalog.export(session, release_id)
    return {"releaseId": release_id, "documents": [{"file": str(f.path), "text": f.text} for f in files]}


@post("/api/v1/releases", guards=[PRODUCT_MANAGER], summary="Publish a release from uploaded spec documents")
async def publish_release(request: AnyRequest, state: State, data: PublishRelease) -> dict[str, Any]:
    services: Services = state.services
    sources = [SourceDocument(d.file, d.text) for d in data.documents]
    async with services.database.unit_of_work() as session:
        info = await services.catalog.publish(
            session, request.user, sources, origin="<upload>", effective_date=data.effectiveDate
        )
        statuses = await services.catalog.statuses(session)
    return _release_view(info, statuses)


@get("/api/v1/drafts", guards=[PRODUCT_MANAGER], summary="Every draft, without its document")
async def list_drafts(request: AnyRequest, state: State) -> Response[list[dict[str, Any]]]:
    services: Services = state.services
    async with services.database.sessions() as session:
        drafts = await services.catalog.drafts(session)
    page, total = ListQuery.parse(request.query_params, DRAFT_ATTRIBUTES).apply([_summary(d) for d in drafts])
    return Response(page, headers=list_headers(total, len(page)))


@post("/api/v1/drafts/validate", guards=[PRODUCT_MANAGER], status_code=200, summary="Validate the drafts")
async def validate_drafts(state: State, data: ValidateDrafts | None = None) -> dict[str, Any]:
    services: Services = state.services
    async with services.database.sessions() as session:
        report = await services.catalog.validate_drafts(session, data.effectiveDate if data else None)
    return {"valid": report.ok, "errors": [asdict(error) for error in report]}


@post("/api/v1/drafts/publish", guards=[PRODUCT_MANAGER], summary="Publish the drafts as a new release")
async def publish_drafts(request: AnyRequest, state: State, data: PublishDrafts) -> dict[str, Any]:
    services: Services = state.services
    async with services.database.unit_of_work() as session:
        info = await services.catalog.publish_drafts(
            session, request.user, data.effectiveDate, data.releaseId, data.name
        )
        statuses = await services.catalog.statuses(session)
    return _release_view(info, statuses)


@get("/api/v1/drafts/{kind:str}/{entity_id:str}", guards=[PRODUCT_MANAGER], summary="A draft and its ETag")
async def get_draft(kind: str, entity_id: str, state: State) -> Response[dict[str, Any]]:
    services: Services = state.services
    async with services.database.sessions() as session:
        draft = await services.catalog.draft(session, draft_kind(kind), entity_id)
    return _draft_response(draft, 200)


@put(
    "/api/v1/drafts/{kind:str}/{entity_id:str}",
    guards=[PRODUCT_MANAGER],
    summary="Create (no If-Match) or replace (If-Match) a draft; the body is the spec document",
    json_body=("application/json",),
)
async def put_draft(kind: str, entity_id: str, request: AnyRequest, state: State) -> Response[dict[str, Any]]:
    services: Services = state.services
    document = _addressed(parse_json(await request.body()), draft_kind(kind), entity_id)
    if_match = request.headers.get("if-match")
    async with services.database.unit_of_work() as session:
        draft = await services.catalog.save_draft(session, request.user, document, if_match)
    return _draft_response(draft, 201 if if_match is None else 200)


@delete("/api/v1/drafts/{kind:str}/{entity_id:str}", guards=[PRODUCT_MANAGER], summary="Delete a draft")
async def delete_draft(kind: str, entity_id: str, request: AnyRequest, state: State) -> None:
    services: Services = state.services
    async with services.database.unit_of_work() as session:
        await services.catalog.delete_draft(
            session, request.user, draft_kind(kind), entity_id, request.headers.get("if-match")
        )


@post(
    "/api/v1/drafts/{kind:str}/{entity_id:str}/lifecycle",
    guards=[PRODUCT_MANAGER],
    status_code=200,
    summary="Move a draft's lifecycle status through the TMF620 transition table",
)
async def change_lifecycle(
    kind: str, entity_id: str, request: AnyRequest, state: State, data: LifecycleChange
) -> Response[dict[str, Any]]:
    services: Services = state.services
    async with services.database.unit_of_work() as session:
        draft = await services.catalog.change_lifecycle(
            session,
            request.user,
            draft_kind(kind),
            entity_id,
            data.lifecycleStatus,
            request.headers.get("if-match"),
        )
    return _draft_response(draft, 200)


RELEASE_ROUTES = [
    list_releases,
    get_release,
    release_documents,
    publish_release,
    list_drafts,
    validate_drafts,
    publish_drafts,
    get_draft,
    put_draft,
    delete_draft,
    change_lifecycle,
]


def _release_view(info: ReleaseInfo, statuses: dict[str, ReleaseStatus]) -> dict[str, Any]:
    return asdict(info) | {"status": statuses[info.id].value}


def draft_kind(value: str) -> Kind:
    if value not in Kind.__members__ or Kind(value) not in DRAFTABLE:
        raise NotFound(f"there are no drafts of kind {value!r}")
    return Kind(value)


def _addressed(document: Any, kind: Kind, entity_id: str) -> Any:
    """The document, with the kind and id of its URL when it names none; a different one is refused."""
    if not isinstance(document, dict) or not isinstance(metadata := document.get("metadata", {}), dict):
        return document  # the service says why it is no draft
    document = {"kind": kind.value, **document, "metadata": {"id": entity_id, **metadata}}
    if document["kind"] != kind.value or document["metadata"]["id"] != entity_id:
        raise InvalidDraft(f"the document is not {kind} {entity_id}, which the URL names")
    return document


def _summary(draft: Draft) -> dict[str, Any]:
    metadata, spec = draft.document.get("metadata"), draft.document.get("spec")
    version = metadata.get("version") if isinstance(metadata, dict) else None
    return {
        "kind": draft.kind.value,
        "id": draft.id,
        "version": version,
        "name": spec.get("name") if isinstance(spec, dict) else None,
        "lifecycleStatus": spec.get("lifecycleStatus") if isinstance(spec, dict) else None,
        "basedOnVersion": draft.basedOnVersion,
        "etag": draft.etag,
        "updatedAt": draft.updatedAt,
        "updatedBy": draft.updatedBy,
    }


def _draft_response(draft: Draft, status: int) -> Response[dict[str, Any]]:
    body = _summary(draft) | {"document": draft.document}
    return Response(body, status_code=status, headers={"ETag": draft.etag})
