"""`switchboard designer`: build (when needed) and serve the designer web app on 127.0.0.1, in prod mode.

The host is the API's (`SWITCHBOARD_HOST`, default 127.0.0.1; only a container sets another).

Reflex runs offline with the recipe of the stack notes: bun from the npm registry (`designer/setup.sh`),
telemetry and version checks off. Frontend and backend share one port on loopback. The designer calls the
API with the product manager's key from `SWITCHBOARD_DESIGNER_KEY`, or the `SB_PRODUCT_MANAGER_KEY` line of
`<data dir>/api-keys.env` that `switchboard up` writes; without one, its sign-in form asks for a key. The key
is handed to the app in its environment and never printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from runtime.cli_up import KEYS_FILE
from runtime.config import Settings

REPOSITORY = Path(__file__).resolve().parent.parent
FRONTEND = REPOSITORY / "designer" / "frontend"
BUN = REPOSITORY / ".tools" / "node_modules" / "bun" / "bin" / "bun.exe"
KEY_LINE = "export SB_PRODUCT_MANAGER_KEY="


def register(commands: Any) -> None:
    designer = commands.add_parser(
        "designer", help="serve the designer web app (product managers) on 127.0.0.1"
    )
    designer.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("SWITCHBOARD_DESIGNER_PORT", "3000")),
        help="default 3000 or SWITCHBOARD_DESIGNER_PORT",
    )
    designer.add_argument(
        "--api-url",
        default=os.environ.get("SWITCHBOARD_API_URL", "http://127.0.0.1:8080"),
        help="the Switchboard API (default http://127.0.0.1:8080 or SWITCHBOARD_API_URL)",
    )
    designer.set_defaults(handler=run_designer)


def product_manager_key(environ: dict[str, str], data_dir: Path) -> tuple[str, str]:
    """(key, where it came from); ("", "") when there is none."""
    if environ.get("SWITCHBOARD_DESIGNER_KEY"):
        return environ["SWITCHBOARD_DESIGNER_KEY"], "SWITCHBOARD_DESIGNER_KEY"
    keys = data_dir / KEYS_FILE
    if keys.is_file():
        for line in keys.read_text(encoding="utf-8").splitlines():
            if line.startswith(KEY_LINE) and line[len(KEY_LINE) :].strip():
                return line[len(KEY_LINE) :].strip(), str(keys)
    return "", ""


def _npm_registry() -> str:
    npm = shutil.which("npm")
    if npm is None:
        return ""
    answer = subprocess.run([npm, "config", "get", "registry"], capture_output=True, text=True, check=False)
    return answer.stdout.strip() if answer.returncode == 0 else ""


def reflex_environment(environ: dict[str, str], api_url: str, key: str) -> dict[str, str]:
    env = dict(environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPOSITORY), environ.get("PYTHONPATH", "")) if p)
    env.setdefault("REFLEX_BUN_PATH", str(BUN))
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    env["REFLEX_CHECK_LATEST_VERSION"] = "false"
    # Without it Reflex probes an outside address to pick the HTTP client's interface.
    env.setdefault("REFLEX_HTTP_CLIENT_BIND_ADDRESS", "0.0.0.0")
    registry = environ.get("NPM_CONFIG_REGISTRY") or _npm_registry()
    if registry:
        env["NPM_CONFIG_REGISTRY"] = registry
    env["SWITCHBOARD_DESIGNER_API_URL"] = api_url
    if key:
        env["SWITCHBOARD_DESIGNER_KEY"] = key
    return env


def reflex_command(port: int, host: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "reflex",
        "run",
        "--env",
        "prod",
        "--frontend-port",
        str(port),
        "--backend-port",
        str(port),
        "--backend-host",
        host,
    ]


def run_designer(args: argparse.Namespace) -> int:
    environ = dict(os.environ)
    if not Path(environ.get("REFLEX_BUN_PATH", str(BUN))).is_file():
        print(
            "switchboard designer: bun is missing; run `make designer-setup` (designer/setup.sh)",
            file=sys.stderr,
        )
        return 1
    settings = Settings.from_env()  # host: 127.0.0.1 unless SWITCHBOARD_HOST says otherwise (a container)
    key, source = product_manager_key(environ, settings.data_dir)
    print("Switchboard designer is starting (the first start builds the web app)", flush=True)
    print(f"  designer     http://{settings.host}:{args.port}", flush=True)
    print(f"  API          {args.api_url}", flush=True)
    print(
        f"  key          {'product manager key from ' + source if key else 'none: sign in at /signin'}",
        flush=True,
    )
    os.chdir(FRONTEND)
    command = reflex_command(args.port, settings.host)
    os.execve(command[0], command, reflex_environment(environ, args.api_url, key))
