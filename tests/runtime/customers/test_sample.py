"""The sample customers `switchboard up` seeds into an empty store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from engine.facts import parse_request
from runtime.auth.roles import Role
from runtime.customers import sample
from runtime.customers.facts import facts_for_customer
from runtime.customers.models import Customer
from runtime.customers.sample import seed_sample_customers
from runtime.tmf.contract import assert_conforms
from tests.runtime.customers.builders import CUSTOMERS, PRODUCTS
from tests.runtime.support import Api

RELEASE = Path(__file__).resolve().parents[3] / "catalog_specs" / "2026.1" / "offerings"
TODAY = date(2026, 7, 15)


async def test_seeding_creates_four_customers_once(api: Api) -> None:
    async with api.database.unit_of_work() as session:
        first = await seed_sample_customers(session)
    async with api.database.unit_of_work() as session:
        second = await seed_sample_customers(session)
    async with api.database.sessions() as session:
        customers = (await session.execute(select(func.count()).select_from(Customer))).scalar_one()
    assert (first, second, customers) == (4 + 4 + 4 + len(sample.PRODUCTS), 0, 4)


async def test_the_sample_customers_cover_the_segments_and_serviceability_cases(api: Api) -> None:
    async with api.database.unit_of_work() as session:
        await seed_sample_customers(session)
    async with api.database.sessions() as session:
        facts = {
            cid: await facts_for_customer(session, cid, TODAY)
            for cid in ("CUST-1001", "CUST-1002", "CUST-2001", "CUST-3001")
        }
    requests = {
        cid: parse_request({**f, "context": {"channel": "web", "date": TODAY.isoformat()}})
        for cid, f in facts.items()
    }
    anna, pieter, smit, noordzee = requests.values()
    assert (anna.customer.segment, anna.address.fibreAvailable, anna.customer.ageYears) == (
        "residential",
        True,
        35,
    )
    assert sorted(i.productOffering for i in anna.inventory) == ["fibre-500", "mobile-5g-m"]
    assert (pieter.address.fibreAvailable, pieter.address.fiveGCoverage) == (False, True)
    assert (smit.customer.segment, smit.account.outstandingBalance, smit.customer.ageYears) == (
        "business",
        Decimal("45.5"),
        None,
    )
    assert (noordzee.customer.segment, noordzee.account.tenureMonths) == ("enterprise", 87)
    assert all(r.account.status == "active" and r.address.country == "NL" for r in requests.values())


async def test_sample_products_name_offerings_of_the_2026_1_release(api: Api) -> None:
    offerings = {path.stem for path in RELEASE.rglob("*.yaml")}
    assert {draft.product_offering_id for draft in sample.PRODUCTS} <= offerings
    async with api.database.unit_of_work() as session:
        await seed_sample_customers(session)
    response = await api.client.get(
        PRODUCTS, params={"relatedParty.id": "CUST-1001"}, headers=api.auth(Role.channel)
    )
    assert response.headers["x-total-count"] == "2"
    for product in response.json():
        assert_conforms("TMF637", "Product", product)
    customer = await api.client.get(f"{CUSTOMERS}/CUST-2001", headers=api.auth(Role.channel))
    assert_conforms("TMF629", "Customer", customer.json())
