"""The designer's only way to the catalog: the Switchboard HTTP API, with the product manager's key.

The key comes from the environment `switchboard designer` prepares, or from the sign-in form; it lives in
backend-only state and never reaches the browser or a log line.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any

import httpx

API_URL_VARIABLE = "SWITCHBOARD_DESIGNER_API_URL"
KEY_VARIABLE = "SWITCHBOARD_DESIGNER_KEY"
DEFAULT_API_URL = "http://127.0.0.1:8080"
TIMEOUT = httpx.Timeout(30.0)


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    etag: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def message(self) -> str:
        """The TMF Error body's message, or the status when the body has none."""
        if isinstance(self.body, dict) and self.body.get("message"):
            return f"{self.body['message']} ({self.status} {self.body.get('code', '')})".replace(" )", ")")
        return f"HTTP {self.status}"


def api_url() -> str:
    return os.environ.get(API_URL_VARIABLE, DEFAULT_API_URL).rstrip("/")


def default_key() -> str:
    return os.environ.get(KEY_VARIABLE, "")


async def call(
    method: str,
    path: str,
    key: str,
    *,
    body: Any = None,
    params: dict[str, str] | None = None,
    if_match: str = "",
) -> Answer:
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    if if_match:
        headers["If-Match"] = if_match
    try:
        async with httpx.AsyncClient(base_url=api_url(), timeout=TIMEOUT) as client:
            response = await client.request(method, path, json=body, params=params, headers=headers)
    except httpx.HTTPError as error:
        return Answer(
            0, {"message": f"the Switchboard API at {api_url()} did not answer: {type(error).__name__}"}
        )
    try:
        parsed = response.json() if response.content else None
    except ValueError:
        parsed = {"message": response.text[:200]}
    return Answer(response.status_code, parsed, response.headers.get("etag", ""))
