"""`switchboard up` from nothing: a served API with the sample catalog, customers and a key per role."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _keys(path: Path) -> dict[str, str]:
    return dict(re.findall(r"^export SB_(\w+)_KEY=(\S+)$", path.read_text(encoding="utf-8"), re.M))


def _wait_until_serving(base: str, process: subprocess.Popen[str], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"switchboard up exited early:\n{process.stdout.read() if process.stdout else ''}"
            )
        try:
            httpx.get(f"{base}/schema/openapi.json", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("switchboard up did not serve within the deadline")


def test_up_serves_the_sample_catalog_with_a_key_per_role(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "SWITCHBOARD_DATA_DIR": str(tmp_path), "SWITCHBOARD_PORT": str(port)}
    env.pop("SWITCHBOARD_DATABASE_URL", None)
    command = [sys.executable, "-m", "runtime.cli", "up"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_serving(base, process, time.monotonic() + 60)
        keys_file = tmp_path / "api-keys.env"
        assert keys_file.stat().st_mode & 0o777 == 0o600
        keys = _keys(keys_file)
        assert set(keys) == {"CHANNEL", "PRODUCT_MANAGER", "OSS", "ADMIN"}
        offerings = httpx.get(
            f"{base}/tmf-api/productCatalogManagement/v4/productOffering",
            headers={"Authorization": f"Bearer {keys['CHANNEL']}"},
        )
        assert offerings.status_code == 200
        assert int(offerings.headers["X-Total-Count"]) >= 30
        customers = httpx.get(
            f"{base}/tmf-api/customerManagement/v4/customer",
            headers={"Authorization": f"Bearer {keys['ADMIN']}"},
        )
        assert customers.status_code == 200 and customers.json()
        assert httpx.get(f"{base}/tmf-api/productCatalogManagement/v4/productOffering").status_code == 401
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert "OpenAPI" in output and "api-keys.env" in output
    assert not any(secret in output for secret in keys.values()), "a key leaked into the output"
