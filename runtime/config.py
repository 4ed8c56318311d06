"""Settings from the environment. With nothing set, Switchboard runs on SQLite under ./data on 127.0.0.1."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    host: str = "127.0.0.1"
    port: int = 8080
    # Requests larger than this are refused with 413 before any handler reads them.
    max_body_bytes: int = 1_048_576
    # Signs outgoing hub callbacks and the OAuth2 bearer tokens; generated into the data dir when unset.
    signing_secret: str = ""
    # Shared with the OSS: incoming callbacks carry an HMAC of their body made with it.
    oss_callback_secret: str = ""

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("SWITCHBOARD_DATA_DIR", "data")).resolve()
        database_url = (
            env.get("SWITCHBOARD_DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'switchboard.db'}"
        )
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            host=env.get("SWITCHBOARD_HOST", "127.0.0.1"),
            port=int(env.get("SWITCHBOARD_PORT", "8080")),
            max_body_bytes=int(env.get("SWITCHBOARD_MAX_BODY_BYTES", "1048576")),
            signing_secret=env.get("SWITCHBOARD_SIGNING_SECRET")
            or _stored_secret(data_dir, "signing.secret"),
            oss_callback_secret=env.get("SWITCHBOARD_OSS_SECRET") or _stored_secret(data_dir, "oss.secret"),
        )


def _stored_secret(data_dir: Path, name: str) -> str:
    """A secret kept in the data dir (mode 0600), made on first use, so restarts keep verifying signatures."""
    path = data_dir / name
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    return value
