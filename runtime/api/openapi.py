"""Making the generated OpenAPI document honest about what the API answers.

Litestar documents each handler from its signature. What it cannot see, `document_api` adds to the built
document once, when the app is created:

- Every error is the TMF Error body (`runtime.api.errors.tmf_error`), so every operation declares its 4xx
  and 5xx answers as `#/components/schemas/Error`, replacing Litestar's own `ValidationException` shape.
- Authentication is a bearer credential (an API key or an OAuth2 token) on every operation but the public
  ones (`PUBLIC_PATHS`), which declare `security: []`.
- Handlers that read their JSON body themselves (for exact decimals, or merge patch) declare it with the
  route option `json_body=<media types>`; the document then describes that body as a JSON object.
- Handlers that return pre-encoded JSON (`Response[bytes]`) are documented by Litestar as a string; they
  answer a JSON object, or an array of objects for list operations (`operationId` list…).
"""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus

from litestar import Litestar
from litestar.openapi.spec import (
    OpenAPI,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
)
from litestar.routes import HTTPRoute

# Every status an operation may answer with a TMF Error: bad input (400), credentials (401, 403), a missing
# resource (404), state and version conflicts (409, 412, 428), an oversized body (413), a wrong media type
# (415), a body that is well-formed but wrong (422), and the logged internal error (500).
ERROR_STATUSES = (400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 500, 503)
ERROR_REF = "#/components/schemas/Error"
JSON_BODY_OPTION = "json_body"  # route option: the media types of a body the handler reads itself

ERROR_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    description="TMF Error: every 4xx and 5xx answer of this API",
    required=["code", "reason", "message", "status", "@type"],
    properties={
        "code": Schema(type=OpenAPIType.STRING, description="Stable, machine-readable error code"),
        "reason": Schema(type=OpenAPIType.STRING, description="The HTTP reason phrase"),
        "message": Schema(type=OpenAPIType.STRING, description="What went wrong, for a person"),
        "status": Schema(type=OpenAPIType.STRING, pattern="^[45][0-9]{2}$", description="The HTTP status"),
        "@type": Schema(type=OpenAPIType.STRING, const="Error"),
    },
)
_ANY_OBJECT = Schema(type=OpenAPIType.OBJECT, additional_properties=True)


def document_api(app: Litestar, public_paths: Iterable[str] = ()) -> OpenAPI:
    """Complete the app's OpenAPI document in place (Litestar builds it once and serves that one)."""
    openapi = app.openapi_schema
    if openapi.components.schemas is None:
        openapi.components.schemas = {}
    openapi.components.schemas["Error"] = ERROR_SCHEMA
    public = frozenset(public_paths)
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path_format not in (openapi.paths or {}):
            continue
        path_item = (openapi.paths or {})[route.path_format]
        for handler in route.route_handlers:
            for method in handler.http_methods:
                operation = getattr(path_item, method.lower(), None)
                if not isinstance(operation, Operation):
                    continue
                _declare_errors(operation)
                _declare_raw_json(operation)
                if route.path_format in public:
                    operation.security = []
                media_types = handler.opt.get(JSON_BODY_OPTION)
                if media_types and operation.request_body is None:
                    operation.request_body = RequestBody(
                        content={
                            media: OpenAPIMediaType(schema=_ANY_OBJECT) for media in sorted(media_types)
                        },
                        required=True,
                    )
    return openapi


def _declare_errors(operation: Operation) -> None:
    responses = operation.responses if operation.responses is not None else {}
    for code in list(responses):
        if code[:1] in ("4", "5"):
            del responses[code]
    for status in ERROR_STATUSES:
        responses[str(status)] = OpenAPIResponse(
            description=HTTPStatus(status).phrase,
            content={"application/json": OpenAPIMediaType(schema=Reference(ref=ERROR_REF))},
        )
    operation.responses = responses


def _declare_raw_json(operation: Operation) -> None:
    """A JSON response documented as a string is pre-encoded JSON: an object, or a list's array of them."""
    listing = (operation.operation_id or "").startswith("list")
    for status, response in (operation.responses or {}).items():
        if not status.startswith("2") or not isinstance(response, OpenAPIResponse):
            continue
        media = (response.content or {}).get("application/json")
        if media is not None and isinstance(media.schema, Schema) and media.schema.type == OpenAPIType.STRING:
            media.schema = Schema(type=OpenAPIType.ARRAY, items=_ANY_OBJECT) if listing else _ANY_OBJECT
