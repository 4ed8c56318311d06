"""One base API error with its HTTP status, and the one place that renders every error as a TMF Error body."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from sqlalchemy.exc import DBAPIError

from engine.errors import EngineError

log = logging.getLogger("switchboard.api")


class ApiError(Exception):
    """Raised by services and endpoints; `code` is stable for clients, `status` the HTTP status."""

    status: int = 400
    code: str = "BAD_REQUEST"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class NotFound(ApiError):
    status, code = 404, "NOT_FOUND"


class Conflict(ApiError):
    status, code = 409, "CONFLICT"


class PreconditionFailed(ApiError):
    status, code = 412, "PRECONDITION_FAILED"


class PreconditionRequired(ApiError):
    status, code = 428, "PRECONDITION_REQUIRED"


class Unprocessable(ApiError):
    status, code = 422, "UNPROCESSABLE"


class Unauthorized(ApiError):
    status, code = 401, "UNAUTHORIZED"


class Forbidden(ApiError):
    status, code = 403, "FORBIDDEN"


def tmf_error(status: int, code: str, message: str, reason: str | None = None) -> Response[dict[str, Any]]:
    """The TMF Error body: code, reason, message, status."""
    headers = {"WWW-Authenticate": 'Bearer realm="switchboard"'} if status == 401 else None
    return Response(
        content={
            "@type": "Error",
            "code": code,
            "reason": reason or HTTPStatus(status).phrase,
            "message": message,
            "status": str(status),
        },
        status_code=status,
        media_type=MediaType.JSON,
        headers=headers,
    )


def _validation_message(error: ValidationException) -> str:
    details = error.extra if isinstance(error.extra, list) else []
    parts = [
        f"{d.get('key', '')}: {d.get('message', '')}".strip(": ") for d in details if isinstance(d, dict)
    ]
    return "; ".join(p for p in parts if p) or str(error.detail)


def handle_api_error(_: Request[Any, Any, Any], error: ApiError) -> Response[dict[str, Any]]:
    return tmf_error(error.status, error.code, error.message)


def handle_engine_error(_: Request[Any, Any, Any], error: EngineError) -> Response[dict[str, Any]]:
    return tmf_error(error.status, error.code, str(error))


def handle_http_exception(_: Request[Any, Any, Any], error: HTTPException) -> Response[dict[str, Any]]:
    if isinstance(error, ValidationException):
        return tmf_error(400, "INVALID_REQUEST", _validation_message(error))
    status = error.status_code
    code = HTTPStatus(status).name if status in HTTPStatus._value2member_map_ else "HTTP_ERROR"
    return tmf_error(status, code, str(error.detail))


def handle_unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    # The body never carries internals; the log has the traceback, and no request headers (they hold keys).
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return tmf_error(500, "INTERNAL_ERROR", "an unexpected error occurred; it has been logged")


def handle_database_error(request: Request[Any, Any, Any], error: DBAPIError) -> Response[dict[str, Any]]:
    """Bad data the database refuses is the client's (422); a busy SQLite store is a retryable 503."""
    sqlstate = str(getattr(error.orig, "sqlstate", "") or getattr(error.orig, "pgcode", "") or "")
    if sqlstate.startswith("22"):  # SQL data exception class: e.g. a NUL byte PostgreSQL cannot store
        return tmf_error(
            422, "INVALID_VALUE", "a value in the request cannot be stored (e.g. a NUL character)"
        )
    if "database is locked" in str(error.orig):
        response = tmf_error(503, "STORE_BUSY", "the store is busy; retry the request")
        response.headers["Retry-After"] = "1"
        return response
    return handle_unexpected(request, error)


EXCEPTION_HANDLERS: dict[type[Exception], Any] = {
    ApiError: handle_api_error,
    DBAPIError: handle_database_error,
    EngineError: handle_engine_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
