"""Every route handler of the API, in one list the app factory mounts."""

from __future__ import annotations

from typing import Any

from runtime.customers.endpoints import CUSTOMER_ROUTES
from runtime.events.endpoints import EVENT_ROUTES
from runtime.inventory.endpoints import INVENTORY_ROUTES

ROUTES: list[Any] = [*EVENT_ROUTES, *CUSTOMER_ROUTES, *INVENTORY_ROUTES]
