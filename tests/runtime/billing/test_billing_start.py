"""The billing boundary: each new subscription's start is recorded once, whatever the retries."""

from __future__ import annotations

from datetime import UTC, datetime

from runtime.billing import repository
from runtime.billing.service import start_billing
from runtime.bootstrap import Services
from workflows.plan_view import ItemProduct

STARTED = datetime(2026, 7, 16, 10, tzinfo=UTC)
PRODUCTS = [
    ItemProduct("1", "P-1", "converged-home", "add"),
    ItemProduct("2", "P-2", "fibre-1000", "add"),
    ItemProduct("3", "P-OLD", "mobile-5g-s", "delete"),
]


async def test_billing_starts_each_added_subscription_once(services: Services) -> None:
    async with services.database.unit_of_work() as session:
        started = await start_billing(session, "ORD-1", "2026.2", PRODUCTS, STARTED)
    async with services.database.unit_of_work() as session:
        again = await start_billing(session, "ORD-1", "2026.2", PRODUCTS, STARTED)
    assert (started, again) == (["P-1", "P-2"], [])
    async with services.database.sessions() as session:
        rows = await repository.of_order(session, "ORD-1")
    assert [(r.product_id, r.product_offering_id, r.release_id, r.started_at) for r in rows] == [
        ("P-1", "converged-home", "2026.2", STARTED),
        ("P-2", "fibre-1000", "2026.2", STARTED),
    ]
