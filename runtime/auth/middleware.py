"""Authentication on every route but the token endpoint and the OpenAPI document, and role guards."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import Guard

from runtime.api.errors import Forbidden, Unauthorized
from runtime.auth.keys import TOKEN_PREFIX, principal_for_key, principal_for_token
from runtime.auth.roles import Principal, Role

# Public: the OAuth2 token endpoint authenticates with the client credentials in its body, and the
# OpenAPI document describes the API without exposing any data.
PUBLIC_PATHS = {"/oauth/token", "/schema"}


def _credential(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return connection.headers.get("x-api-key")


class ApiKeyAuthentication(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        credential = _credential(connection)
        if not credential:
            raise Unauthorized("authentication required: send 'Authorization: Bearer <API key or token>'")
        services = connection.app.state.services
        async with services.database.sessions() as session:
            if credential.startswith(TOKEN_PREFIX):
                principal = principal_for_token(credential, services.settings.signing_secret)
                if principal is not None and not await services.keys_active(session, principal.key_id):
                    principal = None
            else:
                principal = await principal_for_key(session, credential)
        if principal is None:
            raise Unauthorized("the API key or token is not valid (unknown, revoked or expired)")
        return AuthenticationResult(user=principal, auth=None)


def requires(*roles: Role) -> Guard:
    """A guard that admits these roles (and admin, who may do everything)."""
    allowed = frozenset(roles)

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = connection.user
        if not isinstance(principal, Principal) or not principal.may(allowed):
            names = ", ".join(sorted(r.value for r in allowed | {Role.admin}))
            raise Forbidden(f"this operation needs one of the roles: {names}")

    guard.allowed_roles = allowed  # type: ignore[attr-defined]  # read by the route-coverage test
    return guard


def role_names(roles: Iterable[Role]) -> list[str]:
    return sorted(r.value for r in roles)
