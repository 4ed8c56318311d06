"""What runtime tests share: the API under test with a key per role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.testing import AsyncTestClient

from runtime.auth.roles import Role
from runtime.db.session import Database


@dataclass
class Api:
    client: AsyncTestClient[Any]
    database: Database  # the test's own handle on the app's database
    keys: dict[Role, str]

    def auth(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}
