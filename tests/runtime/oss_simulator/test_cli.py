"""`switchboard oss-simulator`: settings from flags and SWITCHBOARD_OSS_* variables, the oss key from a file,
and the real command serving, calling back, and never printing its key or secret.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from runtime.cli import build_parser
from runtime.cli_oss import config_from
from runtime.oss_simulator.config import InvalidConfig, SimulatorConfig, parse_delay
from runtime.supervisor import free_port
from tests.runtime.oss_simulator.harness import (
    OSS_KEY,
    SECRET,
    Receiver,
    eventually,
    service_order,
)

ROOT = Path(__file__).resolve().parents[3]
Receivers = Callable[..., Receiver]


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["oss-simulator", *argv])


def test_environment_sets_up_the_simulator_and_flags_win(tmp_path: Path) -> None:
    env = {
        "SWITCHBOARD_DATA_DIR": str(tmp_path),
        "SWITCHBOARD_OSS_PORT": "9100",
        "SWITCHBOARD_OSS_CALLBACK_URL": "http://127.0.0.1:9000",
        "SWITCHBOARD_OSS_SECRET": "from-env",
        "SWITCHBOARD_OSS_DELAY": "0.1:0.4",
        "SWITCHBOARD_OSS_FAILURE_RATE": "0.25",
        "SWITCHBOARD_OSS_DOWN": "true",
        "SWITCHBOARD_OSS_SEED": "11",
    }
    from_env = config_from(_args(), env)
    flagged = config_from(_args("--port", "9200", "--delay", "0", "--failure-rate", "1", "--seed", "5"), env)

    assert (from_env.port, from_env.callback_url, from_env.secret, from_env.seed) == (
        9100,
        "http://127.0.0.1:9000",
        "from-env",
        11,
    )
    behaviour = from_env.behaviour
    assert (behaviour.delayMinSeconds, behaviour.delayMaxSeconds, behaviour.failureRate) == (0.1, 0.4, 0.25)
    assert behaviour.down is True and from_env.host == "127.0.0.1"
    assert (flagged.port, flagged.seed, flagged.behaviour.failureRate) == (9200, 5, 1.0)
    assert (flagged.behaviour.delayMinSeconds, flagged.behaviour.delayMaxSeconds) == (0.0, 0.0)
    assert flagged.api_key_file == tmp_path / "api-keys.env"


def test_without_a_secret_it_shares_the_one_switchboard_up_keeps_in_the_data_dir(tmp_path: Path) -> None:
    (tmp_path / "oss.secret").write_text("stored-secret\n", encoding="utf-8")
    config = SimulatorConfig.from_env({"SWITCHBOARD_DATA_DIR": str(tmp_path)})
    assert config.secret == "stored-secret"


def test_the_oss_key_is_read_from_switchboard_ups_key_file_or_a_bare_file_when_it_appears(
    tmp_path: Path,
) -> None:
    keys = tmp_path / "api-keys.env"
    config = SimulatorConfig(api_key_file=keys)
    assert config.oss_key() is None  # not written yet: callbacks wait

    keys.write_text(
        "# Switchboard API keys\nexport SB_CHANNEL_KEY=sbk_chan_1\nexport SB_OSS_KEY=sbk_oss_2\n",
        encoding="utf-8",
    )
    assert config.oss_key() == "sbk_oss_2"
    keys.write_text("sbk_bare_3\n", encoding="utf-8")
    assert config.oss_key() == "sbk_bare_3"
    keys.write_text("export SB_CHANNEL_KEY=sbk_chan_1\n", encoding="utf-8")
    assert config.oss_key() is None
    assert SimulatorConfig(api_key="direct", api_key_file=keys).oss_key() == "direct"


@pytest.mark.parametrize(
    ("text", "expected"), [("0", (0.0, 0.0)), ("1.5", (1.5, 1.5)), ("0.2:3", (0.2, 3.0))]
)
def test_a_delay_is_seconds_or_a_range(text: str, expected: tuple[float, float]) -> None:
    assert parse_delay(text) == expected


@pytest.mark.parametrize("argv", [["--delay", "soon"], ["--delay", "2:1"], ["--failure-rate", "2"]])
def test_bad_settings_are_refused_before_serving(argv: list[str], tmp_path: Path) -> None:
    with pytest.raises(InvalidConfig):
        config_from(_args(*argv), {"SWITCHBOARD_DATA_DIR": str(tmp_path)})


def test_the_command_serves_calls_back_and_never_prints_its_key_or_secret(
    receivers: Receivers, tmp_path: Path
) -> None:
    receiver = receivers(script=[401])  # one refused callback, so the warning path is logged too
    port = free_port()
    env = {
        **os.environ,
        "SWITCHBOARD_DATA_DIR": str(tmp_path),
        "SWITCHBOARD_OSS_API_KEY": OSS_KEY,
        "SWITCHBOARD_OSS_SECRET": SECRET,
    }
    argv = ["--port", str(port), "--callback-url", receiver.url, "--delay", "0", "--seed", "3"]
    process = subprocess.Popen(
        [sys.executable, "-m", "runtime.cli", "oss-simulator", *argv],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        eventually(lambda: _answers(f"{base}/health"), seconds=30)
        created = httpx.post(
            f"{base}/tmf-api/serviceOrdering/v4/serviceOrder", json=service_order("ORD-9/x#1")
        )
        assert created.status_code == 201
        eventually(lambda: len(receiver.accepted()) == 3)
        assert all(r.signed and r.authorised for r in receiver.accepted())
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "OSS simulator is starting" in output and "dropped" in output
    assert OSS_KEY not in output and SECRET not in output


def _answers(url: str) -> bool:
    try:
        return httpx.get(url).status_code == 200
    except httpx.HTTPError:
        return False
