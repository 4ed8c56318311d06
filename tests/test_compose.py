"""compose.yaml cannot run here (no Docker engine), so it is checked: against the official compose-spec JSON
Schema (vendored in tests/fixtures/compose-spec/, see its README), and for what the schema cannot see.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "compose.yaml"
SCHEMA = Path(__file__).resolve().parent / "fixtures" / "compose-spec" / "compose-spec.json"
SOURCES = ("runtime", "workflows", "designer")
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}; $$ escapes a dollar.
INTERPOLATION = re.compile(r"(?<!\$)\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<modifier>:?[-?+])?[^}]*\}")
# Variables compose.yaml gives a Switchboard command that no code reads yet, each with who will read it.
AWAITING_A_READER = {
    "SWITCHBOARD_API_URL": "the designer (issue 5): where it finds the API",
    "SWITCHBOARD_DESIGNER_PORT": "the designer (issue 5): the port it serves on",
}


def compose_text() -> str:
    return COMPOSE.read_text(encoding="utf-8")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(compose_text())
    return loaded


def services() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose()["services"]
    return found


def test_compose_yaml_conforms_to_the_compose_spec_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(Draft7Validator(schema).iter_errors(compose()), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def test_the_schema_check_catches_a_misspelt_key() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = compose()
    broken["services"]["api"]["enviroment"] = {"X": "1"}
    assert not Draft7Validator(schema).is_valid(broken)


def test_the_scale_out_setup_has_every_part_of_switchboard() -> None:
    commands: dict[str, Any] = {name: service.get("command") for name, service in services().items()}
    parts = {"postgres", "temporal", "temporal-ui", "api", "worker", "oss-simulator", "designer"}
    assert parts <= set(commands)
    assert commands["worker"] == ["switchboard", "worker"]
    assert commands["designer"] == ["switchboard", "designer"]
    assert commands["oss-simulator"][:2] == ["switchboard", "oss-simulator"]
    worker_env = services()["worker"]["environment"]
    assert worker_env["TEMPORAL_ADDRESS"] == "temporal:7233"
    assert worker_env["SWITCHBOARD_OSS_URL"].startswith("http://oss-simulator:8090/")


def test_the_oss_simulator_command_line_parses_with_the_real_cli() -> None:
    from runtime.cli import build_parser

    command = services()["oss-simulator"]["command"]
    args = build_parser().parse_args(command[1:])
    assert (args.host, args.port, args.callback_url) == ("0.0.0.0", 8090, "http://api:8080")


def test_every_depends_on_names_a_service() -> None:
    names = set(services())
    for name, service in services().items():
        needed = service.get("depends_on", [])
        missing = set(needed) - names  # a list or a mapping: both iterate over the names
        assert not missing, f"{name} depends on unknown services {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(services()))
def test_published_ports_bind_loopback_only(name: str) -> None:
    for port in services()[name].get("ports", []):
        if isinstance(port, dict):
            assert port.get("host_ip") == "127.0.0.1", f"{name}: {port} publishes beyond 127.0.0.1"
        else:
            assert str(port).startswith("127.0.0.1:"), f"{name}: {port!r} publishes on every interface"


def test_every_interpolated_variable_is_required_or_defaulted() -> None:
    """A bare ${NAME} becomes "" when unset; each name must be declared `${NAME:?...}` somewhere."""
    uses = [(m["name"], m["modifier"]) for m in INTERPOLATION.finditer(compose_text())]
    required = {name for name, modifier in uses if modifier in (":?", "?")}
    bare = {name for name, modifier in uses if modifier is None}
    assert uses and required, "the pattern no longer finds the interpolations"
    assert bare <= required, f"used without a default and never required: {sorted(bare - required)}"


def test_every_switchboard_variable_given_to_a_switchboard_command_is_read_by_the_code() -> None:
    """Catches a misspelt variable, which the container would silently ignore."""
    code = "\n".join(
        path.read_text(encoding="utf-8") for folder in SOURCES for path in (ROOT / folder).rglob("*.py")
    )
    given = {
        variable
        for service in services().values()
        if service.get("build")
        for variable in service.get("environment", {})
        if variable.startswith(("SWITCHBOARD_", "TEMPORAL_"))
    }
    assert "SWITCHBOARD_DATABASE_URL" in given
    unread = {variable for variable in given if f'"{variable}"' not in code} - set(AWAITING_A_READER)
    assert not unread, f"no code reads {sorted(unread)}"
