"""Creating, revoking and verifying API keys, and the OAuth2 client-credentials tokens made from them.

A key is `sbk_<id>_<secret>`. The OAuth2 client id is the key id and the client secret the whole key; the
token endpoint exchanges them for a short-lived bearer token signed with the server's signing secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from runtime.auth.models import ApiKey
from runtime.auth.roles import Principal, Role
from runtime.db.base import utcnow

KEY_PREFIX = "sbk_"
TOKEN_PREFIX = "sbt."
TOKEN_LIFETIME_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class IssuedKey:
    principal: Principal
    secret: str  # shown once; only its hash is stored


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


async def create_key(session: AsyncSession, name: str, role: Role) -> IssuedKey:
    key_id = secrets.token_hex(8)
    secret = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    session.add(ApiKey(id=key_id, name=name, role=role.value, secret_sha256=_digest(secret)))
    await session.flush()
    return IssuedKey(Principal(key_id, name, role), secret)


async def revoke_key(session: AsyncSession, key_id: str) -> bool:
    key = await session.get(ApiKey, key_id)
    if key is None or key.revoked_at is not None:
        return False
    key.revoked_at = utcnow()
    return True


async def principal_for_key(session: AsyncSession, secret: str) -> Principal | None:
    """The principal of a valid, unrevoked key; None otherwise."""
    if not secret.startswith(KEY_PREFIX):
        return None
    row = (
        await session.execute(select(ApiKey).where(ApiKey.secret_sha256 == _digest(secret)))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    return Principal(row.id, row.name, Role(row.role))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(principal: Principal, signing_secret: str, now: float | None = None) -> str:
    issued = int(now if now is not None else time.time())
    claims = {"sub": principal.key_id, "name": principal.name, "role": principal.role.value}
    claims["exp"] = issued + TOKEN_LIFETIME_SECONDS  # type: ignore[assignment]
    payload = _b64(json.dumps(claims, sort_keys=True).encode("utf-8"))
    signature = hmac.new(signing_secret.encode("utf-8"), payload.encode("ascii"), hashlib.sha256).digest()
    return f"{TOKEN_PREFIX}{payload}.{_b64(signature)}"


def principal_for_token(token: str, signing_secret: str, now: float | None = None) -> Principal | None:
    """The principal of a well-signed, unexpired token; None otherwise."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    try:
        payload, signature = token[len(TOKEN_PREFIX) :].split(".", 1)
        expected = hmac.new(signing_secret.encode("utf-8"), payload.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(signature)):
            return None
        claims = json.loads(_unb64(payload))
        if claims["exp"] < (now if now is not None else time.time()):
            return None
        return Principal(str(claims["sub"]), str(claims["name"]), Role(claims["role"]))
    except (ValueError, KeyError, UnicodeError):
        return None
