"""How the simulator is set up: where it calls back, with which credentials, and how the network behaves."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from runtime.config import Settings

DEFAULT_PORT = 8090
KEYS_FILE = "api-keys.env"  # what `switchboard up` writes, one `export SB_<ROLE>_KEY=...` line per role
_OSS_KEY_LINE = re.compile(r"^\s*(?:export\s+)?SB_OSS_KEY=['\"]?([^'\"\s]+)['\"]?\s*$", re.MULTILINE)


class InvalidConfig(ValueError):
    """A setting out of range or of the wrong type; the control API answers it with a 400."""


@dataclass(frozen=True, slots=True)
class Behaviour:
    """What the simulated network does with each service order; `PUT /simulator/config` changes it live."""

    delayMinSeconds: float = 0.5
    delayMaxSeconds: float = 2.0
    failureRate: float = 0.0  # share of service orders that end `failed` instead of `completed`
    duplicateRate: float = 0.0  # share of callbacks sent twice (same eventId)
    outOfOrderRate: float = 0.0  # share of service orders whose `inProgress` arrives after their final state
    attributeEvents: bool = True  # send a ServiceOrderAttributeValueChangeEvent with the assigned service ids
    down: bool = False  # the TMF641 API answers 503 and no callback leaves until it is up again
    # Service specification id -> a fixed delay (seconds) before each of its callbacks, overriding the range:
    # a slow network element, e.g. the OLT, that keeps an order before its point of no return for a while.
    slowSpecifications: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if item.type == "bool" and not isinstance(value, bool):
                raise InvalidConfig(f"{item.name} must be true or false")
            if item.type == "float" and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise InvalidConfig(f"{item.name} must be a number")
        for name in ("failureRate", "duplicateRate", "outOfOrderRate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise InvalidConfig(f"{name} must be between 0 and 1")
        if not 0.0 <= self.delayMinSeconds <= self.delayMaxSeconds <= 3600.0:
            raise InvalidConfig("delays must satisfy 0 <= delayMinSeconds <= delayMaxSeconds <= 3600")
        if not isinstance(self.slowSpecifications, dict) or not all(
            isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 3600
            for k, v in self.slowSpecifications.items()
        ):
            raise InvalidConfig("slowSpecifications must map service specification ids to 0..3600 seconds")

    def changed(self, patch: Mapping[str, Any]) -> Behaviour:
        """This behaviour with the fields of `patch` (JSON names) replaced; unknown fields are refused."""
        known = {item.name for item in fields(self)}
        unknown = sorted(set(patch) - known)
        if unknown:
            raise InvalidConfig(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return replace(self, **patch)

    def to_json(self) -> dict[str, Any]:
        return {item.name: getattr(self, item.name) for item in fields(self)}

    def delay_for(self, specifications: Iterable[str]) -> float | None:
        """The slowest fixed delay among these specifications, or None when none is slow."""
        found = [self.slowSpecifications[s] for s in specifications if s in self.slowSpecifications]
        return max(found) if found else None


@dataclass(frozen=True, slots=True)
class SimulatorConfig:
    callback_url: str = "http://127.0.0.1:8080"  # the Switchboard API's base URL
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    api_key: str = field(default="", repr=False)  # a key of role oss; wins over api_key_file
    api_key_file: Path | None = None  # a bare key, or `switchboard up`'s api-keys.env (its SB_OSS_KEY line)
    secret: str = field(default="", repr=False)  # signs callbacks; the API's SWITCHBOARD_OSS_SECRET
    seed: int | None = None  # None: a random seed, reported by GET /simulator/config for a replay
    behaviour: Behaviour = field(default_factory=Behaviour)
    retry_base_seconds: float = 0.2
    retry_cap_seconds: float = 10.0
    request_timeout_seconds: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> SimulatorConfig:
        """Settings from SWITCHBOARD_OSS_* variables; `overrides` (e.g. CLI flags) win when not None."""
        env = os.environ if env is None else env
        given = {name: value for name, value in overrides.items() if value is not None}
        behaviour = given.pop("behaviour", None) or behaviour_from_env(env)
        secret = env.get("SWITCHBOARD_OSS_SECRET") or Settings.from_env(env).oss_callback_secret
        key_file = env.get("SWITCHBOARD_OSS_KEY_FILE")
        data_dir = Path(env.get("SWITCHBOARD_DATA_DIR", "data")).resolve()
        settings: dict[str, Any] = {
            "callback_url": env.get("SWITCHBOARD_OSS_CALLBACK_URL", "http://127.0.0.1:8080"),
            "host": env.get("SWITCHBOARD_OSS_HOST", "127.0.0.1"),
            "port": _int(env, "SWITCHBOARD_OSS_PORT", DEFAULT_PORT),
            "api_key": env.get("SWITCHBOARD_OSS_API_KEY", ""),
            "api_key_file": Path(key_file) if key_file else data_dir / KEYS_FILE,
            "secret": secret,
            "seed": _int(env, "SWITCHBOARD_OSS_SEED", None),
            "behaviour": behaviour,
        }
        settings.update(given)
        return cls(**settings)

    def oss_key(self) -> str | None:
        """The API key callbacks carry, read from the file on each call so it may appear after start."""
        if self.api_key:
            return self.api_key
        if self.api_key_file is None:
            return None
        try:
            text = self.api_key_file.read_text(encoding="utf-8")
        except OSError:
            return None
        found = _OSS_KEY_LINE.search(text)
        if found:
            return found.group(1)
        stripped = text.strip()
        return stripped if stripped and "\n" not in stripped and "=" not in stripped else None


def parse_delay(text: str) -> tuple[float, float]:
    """`"0.5"` is a fixed delay, `"0.5:2"` a uniform range, in seconds."""
    low, _, high = text.partition(":")
    try:
        lower = float(low)
        upper = float(high) if high else lower
    except ValueError:
        raise InvalidConfig(f"delay {text!r} is not SECONDS or MIN:MAX") from None
    return lower, upper


def behaviour_from_env(env: Mapping[str, str]) -> Behaviour:
    values: dict[str, Any] = {}
    if "SWITCHBOARD_OSS_DELAY" in env:
        values["delayMinSeconds"], values["delayMaxSeconds"] = parse_delay(env["SWITCHBOARD_OSS_DELAY"])
    for name, variable in (
        ("failureRate", "SWITCHBOARD_OSS_FAILURE_RATE"),
        ("duplicateRate", "SWITCHBOARD_OSS_DUPLICATE_RATE"),
        ("outOfOrderRate", "SWITCHBOARD_OSS_OUT_OF_ORDER_RATE"),
    ):
        if variable in env:
            values[name] = _float(env, variable)
    for name, variable in (
        ("attributeEvents", "SWITCHBOARD_OSS_ATTRIBUTE_EVENTS"),
        ("down", "SWITCHBOARD_OSS_DOWN"),
    ):
        if variable in env:
            values[name] = env[variable].strip().lower() in {"1", "true", "yes", "on"}
    return Behaviour(**values)


def _float(env: Mapping[str, str], name: str) -> float:
    try:
        return float(env[name])
    except ValueError:
        raise InvalidConfig(f"{name} must be a number") from None


def _int(env: Mapping[str, str], name: str, default: int | None) -> int | None:
    if name not in env:
        return default
    try:
        return int(env[name])
    except ValueError:
        raise InvalidConfig(f"{name} must be an integer") from None
