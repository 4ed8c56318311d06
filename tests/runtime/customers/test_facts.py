"""The eligibility facts a stored customer supplies, in the shape the engine parses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from engine.facts import parse_request
from runtime.api.errors import NotFound
from runtime.auth.roles import Principal, Role
from runtime.customers import service
from runtime.customers.facts import facts_for_customer
from runtime.customers.kinds import BILLING_ACCOUNT
from runtime.inventory.drafts import ProductDraft
from runtime.inventory.service import InventoryService
from runtime.inventory.states import ProductStatus
from tests.runtime.customers.builders import (
    CUSTOMERS,
    INDIVIDUALS,
    ORGANIZATIONS,
    billing_account,
    created,
    customer,
    individual,
    onboard,
    postal_address,
)
from tests.runtime.support import Api

ADMIN = Principal("test-admin", "test admin", Role.admin)
TODAY = date(2026, 3, 14)


async def _products(api: Api, customer_id: str, *statuses: ProductStatus) -> None:
    inventory = InventoryService()
    async with api.database.unit_of_work() as session:
        for index, target in enumerate(statuses):
            draft = ProductDraft(
                customer_id,
                f"offering-{index}",
                {"contractTerm": 24, "price": Decimal("1.25")},
                ProductStatus.active,
            )
            product = await inventory.create(session, ADMIN, draft)
            if target is not ProductStatus.active:
                await inventory.update_status(session, ADMIN, product["id"], target)


async def test_an_onboarded_customer_supplies_every_fact_and_the_engine_parses_them(api: Api) -> None:
    onboarded = await onboard(api, overdue="12.345")
    await _products(
        api, onboarded.customer["id"], ProductStatus.active, ProductStatus.suspended, ProductStatus.terminated
    )
    async with api.database.sessions() as session:
        facts = await facts_for_customer(session, onboarded.customer["id"], TODAY)
    assert facts == {
        "customer": {
            "id": onboarded.customer["id"],
            "segment": "residential",
            "creditClass": "A",
            "ageYears": 35,
        },
        "account": {"status": "active", "outstandingBalance": "12.345", "tenureMonths": 0},
        "address": {
            "country": "NL",
            "region": "NL-NH",
            "fibreAvailable": True,
            "maxDownloadMbps": 1000,
            "fiveGCoverage": True,
        },
        "inventory": [
            {
                "productOffering": "offering-0",
                "status": "active",
                "characteristic": {"contractTerm": 24, "price": Decimal("1.25")},
            },
            {
                "productOffering": "offering-1",
                "status": "suspended",
                "characteristic": {"contractTerm": 24, "price": Decimal("1.25")},
            },
        ],
    }
    request = parse_request({**facts, "context": {"channel": "web", "date": TODAY.isoformat()}})
    assert request.customer.ageYears == 35 and request.account.outstandingBalance == Decimal("12.345")
    assert request.address.fibreAvailable is True
    assert [(i.productOffering, i.status) for i in request.inventory] == [
        ("offering-0", "active"),
        ("offering-1", "suspended"),
    ]


async def test_age_counts_whole_years_and_tenure_whole_months(api: Api) -> None:
    onboarded = await onboard(api)
    async with api.database.unit_of_work() as session:
        opened = datetime(2024, 1, 14, 9, 30, tzinfo=UTC)
        account = await service.create(
            session, ADMIN, BILLING_ACCOUNT, billing_account(onboarded.party), created_at=opened
        )
    change = {"account": [{"id": account["id"], "name": "Main account"}]}
    await api.client.patch(onboarded.customer["href"], json=change, headers=api.auth(Role.channel))
    async with api.database.sessions() as session:
        day_before = await facts_for_customer(session, onboarded.customer["id"], date(2026, 3, 13))
        birthday = await facts_for_customer(session, onboarded.customer["id"], date(2026, 3, 14))
    assert (day_before["customer"]["ageYears"], birthday["customer"]["ageYears"]) == (34, 35)
    assert (day_before["account"]["tenureMonths"], birthday["account"]["tenureMonths"]) == (25, 26)
    assert birthday["account"]["outstandingBalance"] == "0"


async def test_only_balances_valid_today_count_as_outstanding(api: Api) -> None:
    person = await created(api, INDIVIDUALS, individual())
    balances = [
        {
            "balanceType": "outstandingBalance",
            "amount": {"unit": "EUR", "value": 10},
            "validFor": {"startDateTime": "2026-01-01T00:00:00Z"},
        },
        {
            "balanceType": "outstandingBalance",
            "amount": {"unit": "EUR", "value": 5.5},
            "validFor": {"startDateTime": "2025-01-01T00:00:00Z", "endDateTime": "2025-12-31T00:00:00Z"},
        },
        {
            "balanceType": "outstandingBalance",
            "amount": {"unit": "EUR", "value": 7},
            "validFor": {"startDateTime": "2027-01-01T00:00:00Z"},
        },
        {"balanceType": "depositBalance", "amount": {"unit": "EUR", "value": 100}, "validFor": {}},
    ]
    account = await created(
        api, "/tmf-api/accountManagement/v4/billingAccount", billing_account(person, accountBalance=balances)
    )
    holder = await created(api, CUSTOMERS, customer(person, [account]))
    async with api.database.sessions() as session:
        facts = await facts_for_customer(session, holder["id"], TODAY)
    assert facts["account"]["outstandingBalance"] == "10"


async def test_missing_data_leaves_facts_out_so_the_engine_can_name_them(api: Api) -> None:
    company = await created(api, ORGANIZATIONS, {"tradingName": "Noordzee Logistics"})
    body = {
        **customer(company, segment="enterprise"),
        "contactMedium": [{"mediumType": "email", "characteristic": {"emailAddress": "a@b.nl"}}],
    }
    holder = await created(api, CUSTOMERS, body)
    async with api.database.sessions() as session:
        facts = await facts_for_customer(session, holder["id"], TODAY)
    assert facts == {
        "customer": {"id": holder["id"], "segment": "enterprise"},
        "account": {},
        "address": {},
        "inventory": [],
    }
    request = parse_request({**facts, "context": {"channel": "web", "date": "2026-03-14"}})
    assert request.customer.ageYears is None and request.account.status is None


async def test_the_installation_address_wins_over_other_postal_addresses(api: Api) -> None:
    person = await created(api, INDIVIDUALS, individual())
    billing = {**postal_address("BE", "BE-VAN", contact_type="billing"), "preferred": True}
    body = {**customer(person), "contactMedium": [billing, postal_address("NL", "NL-UT")]}
    holder = await created(api, CUSTOMERS, body)
    async with api.database.sessions() as session:
        facts = await facts_for_customer(session, holder["id"], TODAY)
    assert facts["address"] == {"country": "NL", "region": "NL-UT"}


async def test_an_unknown_customer_has_no_facts(api: Api) -> None:
    async with api.database.sessions() as session:
        with pytest.raises(NotFound):
            await facts_for_customer(session, "nobody", TODAY)
