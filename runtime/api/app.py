"""The Litestar application: routes, authentication, limits, error rendering and the OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Litestar, Request, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.params import Body

from runtime.api.errors import EXCEPTION_HANDLERS, Unauthorized
from runtime.api.openapi import document_api
from runtime.auth.keys import TOKEN_LIFETIME_SECONDS, issue_token, principal_for_key
from runtime.auth.middleware import PUBLIC_PATHS, ApiKeyAuthentication, requires
from runtime.auth.roles import Principal, Role
from runtime.bootstrap import Services

ALL_ROLES = tuple(Role)


@get("/health", guards=[requires(*ALL_ROLES)], summary="Liveness, for any authenticated caller")
async def health(request: Request[Principal, Any, Any]) -> dict[str, str]:
    return {"status": "ok", "role": request.user.role.value}


@post(
    "/oauth/token",
    summary="OAuth2 client credentials: exchange an API key id and secret for a bearer token",
    status_code=200,
)
async def token(
    state: State,
    data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> dict[str, Any]:
    services: Services = state.services
    if data.get("grant_type") != "client_credentials":
        raise Unauthorized("grant_type must be client_credentials", code="UNSUPPORTED_GRANT_TYPE")
    async with services.database.sessions() as session:
        principal = await principal_for_key(session, data.get("client_secret", ""))
    if principal is None or principal.key_id != data.get("client_id"):
        raise Unauthorized("invalid client credentials", code="INVALID_CLIENT")
    return {
        "access_token": issue_token(principal, services.settings.signing_secret),
        "token_type": "Bearer",
        "expires_in": TOKEN_LIFETIME_SECONDS,
        "scope": principal.role.value,
    }


def create_app(services: Services, route_handlers: list[Any] | None = None) -> Litestar:
    handlers = [health, token, *(route_handlers or [])]
    app = Litestar(
        route_handlers=handlers,
        state=State({"services": services}),
        on_startup=[services.start],
        on_shutdown=[services.stop],
        middleware=[DefineMiddleware(ApiKeyAuthentication, exclude=[f"^{p}" for p in sorted(PUBLIC_PATHS)])],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        request_max_body_size=services.settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Switchboard",
            version="0.1.0",
            description="TM Forum Open APIs v4 over Switchboard's catalog engine.",
            path="/schema",
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(
                        type="http", scheme="bearer", description="API key or OAuth2 token"
                    ),
                }
            ),
            security=[{"bearer": []}],
        ),
        debug=False,
    )
    document_api(app, PUBLIC_PATHS)
    return app
