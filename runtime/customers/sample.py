"""Sample customers for a fresh store (`switchboard up`): four realistic profiles across the segments.

- CUST-1001 Anna de Vries: residential, Amsterdam, fibre up to 1 Gbps; holds Fibre 500 and Mobile 5G M.
- CUST-1002 Pieter Jansen: residential, rural Friesland, no fibre but 5G coverage; holds Mobile 5G S.
- CUST-2001 Bakkerij Smit: a business in Utrecht with an overdue balance; holds Mobile 5G Business M.
- CUST-3001 Noordzee Logistics: an enterprise in Rotterdam; no products yet.

Written through the services (validated and audited as the `system` principal) with fixed ids, so running
it again adds only what is missing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from runtime.auth.roles import Principal, Role
from runtime.customers import repository, service
from runtime.customers.kinds import BILLING_ACCOUNT, CUSTOMER, INDIVIDUAL, ORGANIZATION
from runtime.customers.resources import ResourceKind
from runtime.inventory import repository as inventory_repository
from runtime.inventory.drafts import ProductDraft
from runtime.inventory.service import InventoryService
from runtime.inventory.states import ProductStatus

SYSTEM = Principal("system", "sample data", Role.admin)


def _address(street: str, post_code: str, city: str, region: str) -> dict[str, Any]:
    return {
        "mediumType": "postalAddress",
        "preferred": True,
        "characteristic": {
            "contactType": "installation",
            "street1": street,
            "postCode": post_code,
            "city": city,
            "stateOrProvince": region,
            "country": "NL",
        },
    }


def _email(address: str) -> dict[str, Any]:
    return {"mediumType": "email", "characteristic": {"contactType": "billing", "emailAddress": address}}


def _characteristics(**values: Any) -> list[dict[str, Any]]:
    return [{"name": name, "value": value} for name, value in values.items()]


def _party(kind: ResourceKind, party_id: str, name: str) -> dict[str, Any]:
    return {"id": party_id, "name": name, "role": "owner", "@referredType": kind.tmf_type}


def _account(name: str, owner: dict[str, Any], overdue: str = "0") -> dict[str, Any]:
    return {
        "name": name,
        "ratingType": "postpaid",
        "state": "active",
        "paymentStatus": "due" if overdue != "0" else "paid",
        "relatedParty": [owner],
        "accountBalance": [
            {
                "balanceType": "outstandingBalance",
                "amount": {"unit": "EUR", "value": Decimal(overdue)},
                "validFor": {"startDateTime": "2026-01-01T00:00:00+00:00"},
            }
        ],
    }


def _customer(name: str, party: dict[str, Any], account: tuple[str, str], **facts: Any) -> dict[str, Any]:
    medium = facts.pop("contactMedium")
    return {
        "name": name,
        "status": "approved",
        "engagedParty": party,
        "account": [{"id": account[0], "name": account[1], "@referredType": "BillingAccount"}],
        "contactMedium": medium,
        "characteristic": _characteristics(**facts),
    }


PARTIES: list[tuple[ResourceKind, str, dict[str, Any]]] = [
    (
        INDIVIDUAL,
        "IND-1001",
        {
            "givenName": "Anna",
            "familyName": "de Vries",
            "birthDate": "1991-03-14T00:00:00+00:00",
            "status": "validated",
        },
    ),
    (
        INDIVIDUAL,
        "IND-1002",
        {
            "givenName": "Pieter",
            "familyName": "Jansen",
            "birthDate": "1968-09-02T00:00:00+00:00",
            "status": "validated",
        },
    ),
    (
        ORGANIZATION,
        "ORG-2001",
        {
            "tradingName": "Bakkerij Smit",
            "name": "Bakkerij Smit B.V.",
            "isLegalEntity": True,
            "organizationType": "company",
            "status": "validated",
        },
    ),
    (
        ORGANIZATION,
        "ORG-3001",
        {
            "tradingName": "Noordzee Logistics",
            "name": "Noordzee Logistics N.V.",
            "isLegalEntity": True,
            "organizationType": "company",
            "status": "validated",
        },
    ),
]

ANNA = _party(INDIVIDUAL, "IND-1001", "Anna de Vries")
PIETER = _party(INDIVIDUAL, "IND-1002", "Pieter Jansen")
SMIT = _party(ORGANIZATION, "ORG-2001", "Bakkerij Smit B.V.")
NOORDZEE = _party(ORGANIZATION, "ORG-3001", "Noordzee Logistics N.V.")

ACCOUNTS: list[tuple[str, datetime, dict[str, Any]]] = [
    ("BA-1001", datetime(2024, 1, 15, tzinfo=UTC), _account("Anna de Vries", ANNA)),
    ("BA-1002", datetime(2025, 6, 1, tzinfo=UTC), _account("Pieter Jansen", PIETER)),
    ("BA-2001", datetime(2022, 9, 1, tzinfo=UTC), _account("Bakkerij Smit", SMIT, overdue="45.50")),
    ("BA-3001", datetime(2019, 4, 1, tzinfo=UTC), _account("Noordzee Logistics", NOORDZEE)),
]

CUSTOMERS: list[tuple[str, dict[str, Any]]] = [
    (
        "CUST-1001",
        _customer(
            "Anna de Vries",
            ANNA,
            ("BA-1001", "Anna de Vries"),
            contactMedium=[
                _address("Prinsengracht 263", "1016 GV", "Amsterdam", "NL-NH"),
                _email("anna.devries@example.nl"),
            ],
            segment="residential",
            creditClass="A",
            fibreAvailable=True,
            maxDownloadMbps=1000,
            fiveGCoverage=True,
        ),
    ),
    (
        "CUST-1002",
        _customer(
            "Pieter Jansen",
            PIETER,
            ("BA-1002", "Pieter Jansen"),
            contactMedium=[_address("Terp 4", "9145 RA", "Hegebeintum", "NL-FR")],
            segment="residential",
            creditClass="B",
            fibreAvailable=False,
            maxDownloadMbps=50,
            fiveGCoverage=True,
        ),
    ),
    (
        "CUST-2001",
        _customer(
            "Bakkerij Smit",
            SMIT,
            ("BA-2001", "Bakkerij Smit"),
            contactMedium=[
                _address("Oudegracht 120", "3511 AX", "Utrecht", "NL-UT"),
                _email("administratie@bakkerijsmit.example.nl"),
            ],
            segment="business",
            creditClass="B",
            fibreAvailable=True,
            maxDownloadMbps=1000,
            fiveGCoverage=True,
        ),
    ),
    (
        "CUST-3001",
        _customer(
            "Noordzee Logistics",
            NOORDZEE,
            ("BA-3001", "Noordzee Logistics"),
            contactMedium=[_address("Maasvlakteweg 951", "3199 LZ", "Rotterdam", "NL-ZH")],
            segment="enterprise",
            creditClass="A",
            fibreAvailable=True,
            maxDownloadMbps=4000,
            fiveGCoverage=True,
        ),
    ),
]


def _product(
    product_id: str,
    customer_account: tuple[str, str],
    offering: tuple[str, str],
    started: datetime,
    **values: Any,
) -> ProductDraft:
    customer_id, account_id = customer_account
    offering_id, name = offering
    return ProductDraft(
        customer_id=customer_id,
        product_offering_id=offering_id,
        product_offering_name=name,
        name=name,
        characteristic=values,
        status=ProductStatus.active,
        billing_account_id=account_id,
        start_date=started,
        product_id=product_id,
    )


ESIM = {"simType": "esim", "numberPortIn": False}
PRODUCTS = [
    _product(
        "PRD-1001",
        ("CUST-1001", "BA-1001"),
        ("fibre-500", "Fibre 500"),
        datetime(2024, 2, 1, tzinfo=UTC),
        downloadSpeed=500,
        uploadSpeed=500,
        contractTerm=24,
        installationType="engineer",
    ),
    _product(
        "PRD-1002",
        ("CUST-1001", "BA-1001"),
        ("mobile-5g-m", "Mobile 5G M"),
        datetime(2025, 3, 10, tzinfo=UTC),
        contractTerm=12,
        dataAllowanceGB=25,
        **ESIM,
    ),
    _product(
        "PRD-1003",
        ("CUST-1002", "BA-1002"),
        ("mobile-5g-s", "Mobile 5G S"),
        datetime(2025, 6, 5, tzinfo=UTC),
        simType="physical",
        numberPortIn=True,
        contractTerm=12,
    ),
    _product(
        "PRD-2001",
        ("CUST-2001", "BA-2001"),
        ("mobile-5g-business-m", "Mobile 5G Business M"),
        datetime(2022, 9, 15, tzinfo=UTC),
        contractTerm=24,
        **ESIM,
    ),
]


async def seed_sample_customers(session: AsyncSession) -> int:
    """Create whichever sample resources are missing; returns how many were created. Never commits."""
    created = 0
    for kind, party_id, body in PARTIES:
        created += await _ensure(session, kind, party_id, body)
    for account_id, opened, body in ACCOUNTS:
        created += await _ensure(session, BILLING_ACCOUNT, account_id, body, opened)
    for customer_id, body in CUSTOMERS:
        created += await _ensure(session, CUSTOMER, customer_id, body)
    inventory = InventoryService()
    for draft in PRODUCTS:
        assert draft.product_id is not None
        if await inventory_repository.get(session, draft.product_id) is None:
            await inventory.create(session, SYSTEM, draft)
            created += 1
    return created


async def _ensure(
    session: AsyncSession,
    kind: ResourceKind,
    resource_id: str,
    body: dict[str, Any],
    opened: datetime | None = None,
) -> int:
    if await repository.get(session, kind.model, resource_id) is not None:
        return 0
    await service.create(session, SYSTEM, kind, body, resource_id=resource_id, created_at=opened)
    return 1
