"""The roles of the brief, and the principal a request runs as."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    channel = "channel"  # read the catalog, qualify, quote, order
    product_manager = "product_manager"  # drafts and publishing
    oss = "oss"  # network-side callbacks
    admin = "admin"  # everything


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller: the API key's id and name, and its role. Never the secret."""

    key_id: str
    name: str
    role: Role

    def may(self, allowed: frozenset[Role]) -> bool:
        return self.role is Role.admin or self.role in allowed
