"""Every route handler of the API, in one list the app factory mounts."""

from __future__ import annotations

from typing import Any

from runtime.catalog.endpoints_designer import DESIGNER_ROUTES
from runtime.catalog.endpoints_releases import RELEASE_ROUTES
from runtime.catalog.tmf620_endpoints import TMF620_ROUTES
from runtime.customers.endpoints import CUSTOMER_ROUTES
from runtime.events.endpoints import EVENT_ROUTES
from runtime.inventory.endpoints import INVENTORY_ROUTES
from runtime.ordering.endpoints import ORDERING_ROUTES
from runtime.qualification.endpoints import QUALIFICATION_ROUTES
from runtime.quote.endpoints import QUOTE_ROUTES

ROUTES: list[Any] = [
    *EVENT_ROUTES,
    *CUSTOMER_ROUTES,
    *INVENTORY_ROUTES,
    *RELEASE_ROUTES,
    *DESIGNER_ROUTES,
    *TMF620_ROUTES,
    *QUALIFICATION_ROUTES,
    *QUOTE_ROUTES,
    *ORDERING_ROUTES,
]
