"""`switchboard up` from nothing: a served API with the sample catalog, customers and a key per role."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from runtime.supervisor import free_port
from runtime.temporal.devserver import free_port_block
from tests.system.stack import keys as read_keys


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


CONVERGED_ORDER = {
    "channel": [{"id": "retail", "role": "salesChannel"}],
    "relatedParty": [{"id": "CUST-1001", "role": "Customer", "@referredType": "Customer"}],
    "productOrderItem": [
        {"id": "1", "action": "add", "productOffering": {"id": "converged-home"}},
        {
            "id": "2",
            "action": "add",
            "productOffering": {"id": "fibre-1000"},
            "product": {"productCharacteristic": [{"name": "contractTerm", "value": 24}]},
            "productOrderItemRelationship": [{"id": "1", "relationshipType": "bundledBy"}],
        },
        {
            "id": "3",
            "action": "add",
            "productOffering": {"id": "mobile-5g-m"},
            "productOrderItemRelationship": [{"id": "1", "relationshipType": "bundledBy"}],
        },
        {
            "id": "4",
            "action": "add",
            "productOffering": {"id": "tv-essential"},
            "productOrderItemRelationship": [{"id": "1", "relationshipType": "bundledBy"}],
        },
        {
            "id": "5",
            "action": "delete",
            "productOffering": {"id": "fibre-500"},
            "product": {"id": "PRD-1001"},
        },
    ],
}


def _completed(base: str, key: str, order_id: str, deadline: float) -> dict[str, Any]:
    order: dict[str, Any] = {}
    while time.monotonic() < deadline:
        order = httpx.get(
            f"{base}/tmf-api/productOrderingManagement/v4/productOrder/{order_id}",
            headers={"Authorization": f"Bearer {key}"},
        ).json()
        if order["state"] in {"completed", "failed", "held", "cancelled"}:
            return order
        time.sleep(0.3)
    raise AssertionError(f"the order did not finish: {order}")


def test_up_serves_the_sample_catalog_with_a_key_per_role_and_completes_an_order(tmp_path: Path) -> None:
    port, temporal_port, oss_port = free_port(), free_port_block(), free_port()
    env = {
        **os.environ,
        "SWITCHBOARD_DATA_DIR": str(tmp_path),
        "SWITCHBOARD_PORT": str(port),
        "SWITCHBOARD_TEMPORAL_PORT": str(temporal_port),
        "SWITCHBOARD_OSS_URL": f"http://127.0.0.1:{oss_port}/tmf-api/serviceOrdering/v4",
    }
    for name in ("SWITCHBOARD_DATABASE_URL", "TEMPORAL_ADDRESS"):
        env.pop(name, None)
    command = [sys.executable, "-m", "runtime.cli", "up"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_serving(base, process, time.monotonic() + 60)
        keys_file = tmp_path / "api-keys.env"
        assert keys_file.stat().st_mode & 0o777 == 0o600
        keys = read_keys(keys_file)
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
        # The demo: a converged order goes through the embedded Temporal, the worker and the OSS
        # simulator to completion.
        placed = httpx.post(
            f"{base}/tmf-api/productOrderingManagement/v4/productOrder",
            json=CONVERGED_ORDER,
            headers={"Authorization": f"Bearer {keys['CHANNEL']}"},
        )
        assert placed.status_code == 201 and placed.json()["state"] == "acknowledged", placed.text
        order = _completed(base, keys["CHANNEL"], placed.json()["id"], time.monotonic() + 120)
        assert order["state"] == "completed", order
        assert (tmp_path / "temporal.db").exists()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert "OpenAPI" in output and "api-keys.env" in output
    assert not any(secret in output for secret in keys.values()), "a key leaked into the output"
