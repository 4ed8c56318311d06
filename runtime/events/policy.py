"""How hard the dispatcher tries: attempts, backoff, timeouts and concurrency, from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

ENV_PREFIX = "SWITCHBOARD_EVENT_"
_OFF = {"0", "false", "no", "off"}


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    max_attempts: int = 12  # with the defaults below: about half an hour of retries, then `dead`
    backoff_base_seconds: float = 1.0
    backoff_cap_seconds: float = 600.0
    timeout_seconds: float = 5.0  # hard cap on one attempt, connect to last byte
    concurrency: int = 16  # attempts in flight in this process
    per_subscription: int = 4  # in flight per subscription, so one slow listener cannot take every slot
    poll_seconds: float = 0.5
    dispatch: bool = True  # False: this process only publishes; another one dispatches

    def __post_init__(self) -> None:
        for name in ("max_attempts", "concurrency", "per_subscription"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        for name in ("backoff_base_seconds", "backoff_cap_seconds", "timeout_seconds", "poll_seconds"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")

    @property
    def lease_seconds(self) -> float:
        # Longer than an attempt can last plus writing its outcome, so a live worker never loses its claim;
        # a dead worker's claims become due again after it.
        return 2 * self.timeout_seconds + 30

    def retry_delay(self, attempt: int, spread: float) -> float:
        """Seconds to wait after failed attempt `attempt` (1-based); `spread` in [0, 1) is the jitter.

        Exponential from the base, capped, with "equal jitter": between half and all of the step, so the
        retries of many events that failed together do not all land on the listener at once.
        """
        step = min(self.backoff_cap_seconds, self.backoff_base_seconds * 2.0 ** min(attempt - 1, 62))
        return step / 2 + step / 2 * spread

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DeliveryPolicy:
        """`SWITCHBOARD_EVENT_<FIELD>`, e.g. SWITCHBOARD_EVENT_MAX_ATTEMPTS=20; unset fields keep defaults."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = env.get(ENV_PREFIX + field.name.upper())
            if raw is None:
                continue
            if field.type == "bool":
                values[field.name] = raw.strip().lower() not in _OFF
            elif field.type == "int":
                values[field.name] = int(raw)
            else:
                values[field.name] = float(raw)
        return cls(**values)  # type: ignore[arg-type]
