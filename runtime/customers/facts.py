"""The eligibility facts a stored customer supplies: the customer, account, address and inventory parts of
an `engine.facts.parse_request` request (the caller adds the cart and the context).

Where each fact is read from is listed in the package docstring. A fact without data is left out, so the
engine names it as missing when a rule needs it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from runtime.api.errors import NotFound
from runtime.customers import repository
from runtime.customers.body import exact
from runtime.customers.characteristics import characteristic_values
from runtime.customers.models import BillingAccount, Customer, Individual
from runtime.inventory import repository as inventory

OUTSTANDING_BALANCE = "outstandingBalance"  # the accountBalance balanceType of the overdue amount
ADDRESS_CHARACTERISTICS = ("fibreAvailable", "maxDownloadMbps", "fiveGCoverage")


async def facts_for_customer(session: AsyncSession, customer_id: str, today: date) -> dict[str, Any]:
    """`{"customer", "account", "address", "inventory"}` for the customer; a 404 if there is none."""
    row = await repository.get(session, Customer, customer_id)
    if row is None:
        raise NotFound(f"no Customer with id {customer_id!r}")
    document = exact(row.document)
    characteristics = characteristic_values(document.get("characteristic", []))
    account = await repository.primary_account(session, customer_id)
    return {
        "customer": _present(
            id=customer_id,
            segment=characteristics.get("segment"),
            creditClass=characteristics.get("creditClass"),
            ageYears=await _age(session, document["engagedParty"], today),
        ),
        "account": {} if account is None else _account(account, today),
        "address": _address(document.get("contactMedium", []), characteristics),
        "inventory": [
            {
                "productOffering": product.product_offering_id,
                "status": product.status,
                "characteristic": exact(product.characteristic),
            }
            for product in await inventory.held_by_customer(session, customer_id)
        ],
    }


async def _age(session: AsyncSession, party: Mapping[str, Any], today: date) -> int | None:
    if party["@referredType"] != "Individual":
        return None
    individual = await repository.get(session, Individual, party["id"])
    born = None if individual is None else individual.document.get("birthDate")
    if born is None:
        return None
    birth = datetime.fromisoformat(born).date()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _account(account: BillingAccount, today: date) -> dict[str, Any]:
    document = exact(account.document)
    owed = sum(
        (
            Decimal(balance["amount"].get("value", 0))
            for balance in document.get("accountBalance", [])
            if balance["balanceType"] == OUTSTANDING_BALANCE and _valid_on(balance["validFor"], today)
        ),
        Decimal(0),
    )
    opened = account.created_at.date()
    months = (today.year - opened.year) * 12 + today.month - opened.month - (today.day < opened.day)
    return {"status": account.state, "outstandingBalance": str(owed), "tenureMonths": max(months, 0)}


def _valid_on(period: Mapping[str, Any], today: date) -> bool:
    start, end = period.get("startDateTime"), period.get("endDateTime")
    if start is not None and datetime.fromisoformat(start).date() > today:
        return False
    return end is None or datetime.fromisoformat(end).date() >= today


def _address(media: Sequence[Mapping[str, Any]], characteristics: Mapping[str, Any]) -> dict[str, Any]:
    postal = [m for m in media if _normal(m["mediumType"]) == "postaladdress"]
    # The installation address: the one typed so, else the preferred one, else the first.
    postal.sort(
        key=lambda m: (
            _normal(m["characteristic"].get("contactType", "")) != "installation",
            not m.get("preferred"),
        )
    )
    where = postal[0]["characteristic"] if postal else {}
    return _present(
        country=where.get("country"),
        region=where.get("stateOrProvince"),
        **{name: characteristics.get(name) for name in ADDRESS_CHARACTERISTICS},
    )


def _normal(text: str) -> str:
    return text.replace(" ", "").replace("_", "").replace("-", "").lower()


def _present(**values: Any) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}
