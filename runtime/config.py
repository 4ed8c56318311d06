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
    # Orders: the OSS that receives TMF641 service orders, and the Temporal that runs order workflows.
    oss_url: str = "http://127.0.0.1:8090/tmf-api/serviceOrdering/v4"
    # Empty: `switchboard up` runs an embedded Temporal dev server; set it to use an external cluster.
    temporal_address: str = ""
    temporal_namespace: str = "default"
    temporal_port: int = 7233  # the embedded dev server's gRPC port (UI and metrics: +10 and +11)
    # Multiplies every order-flow step timeout (demo and tests shrink days to seconds); 1.0 in production.
    order_time_scale: float = 1.0

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
            oss_url=env.get("SWITCHBOARD_OSS_URL", "http://127.0.0.1:8090/tmf-api/serviceOrdering/v4"),
            temporal_address=env.get("TEMPORAL_ADDRESS", ""),
            temporal_namespace=env.get("TEMPORAL_NAMESPACE", "default"),
            temporal_port=int(env.get("SWITCHBOARD_TEMPORAL_PORT", "7233")),
            order_time_scale=float(env.get("SWITCHBOARD_ORDER_TIME_SCALE", "1.0")),
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
