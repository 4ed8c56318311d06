"""The ASGI entry point for process managers: `uvicorn --factory runtime.api.asgi:create`."""

from __future__ import annotations

import logging

from litestar import Litestar

from runtime.api.app import create_app
from runtime.api.routes import ROUTES
from runtime.bootstrap import build_services
from runtime.config import Settings


def create() -> Litestar:
    """The API wired from the environment (see runtime/config.py)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return create_app(build_services(Settings.from_env()), ROUTES)
