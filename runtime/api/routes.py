"""Every route handler of the API, in one list the app factory mounts."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
