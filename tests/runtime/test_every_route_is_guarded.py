"""Every route of the app: refused without credentials, and refused (403) to every role it does not admit."""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar
from litestar.routes import HTTPRoute

from runtime.auth.middleware import PUBLIC_PATHS
from runtime.auth.roles import Role
from tests.runtime.support import Api


def _operations(app: Litestar) -> list[tuple[str, str, frozenset[Role]]]:
    operations = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or any(route.path.startswith(p) for p in PUBLIC_PATHS):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods):
                if method in {"HEAD", "OPTIONS"}:
                    continue
                roles = _allowed(handler.guards or [])
                path = re.sub(r"\{[^}]+\}", "probe-id", route.path)
                operations.append((method, path, roles))
    return operations


def _allowed(guards: list[Any]) -> frozenset[Role]:
    allowed = [g.allowed_roles for g in guards if hasattr(g, "allowed_roles")]
    assert len(allowed) == 1, "every handler declares who may call it with exactly one requires(...) guard"
    return frozenset(allowed[0]) | {Role.admin}


async def test_every_operation_needs_credentials_and_refuses_other_roles(api: Api) -> None:
    app = api.client.app
    operations = _operations(app)
    assert len(operations) > 40
    for method, path, allowed in operations:
        anonymous = await api.client.request(method, path, json={})
        assert anonymous.status_code == 401, (method, path, anonymous.status_code)
        for role in set(Role) - allowed:
            refused = await api.client.request(method, path, json={}, headers=api.auth(role))
            assert refused.status_code == 403, (method, path, role, refused.status_code)
            assert refused.json()["code"] == "FORBIDDEN"
