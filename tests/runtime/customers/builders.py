"""Request bodies and API shortcuts the customer and inventory tests share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runtime.auth.roles import Role
from tests.runtime.support import Api

INDIVIDUALS = "/tmf-api/party/v4/individual"
ORGANIZATIONS = "/tmf-api/party/v4/organization"
CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
ACCOUNTS = "/tmf-api/accountManagement/v4/billingAccount"
PRODUCTS = "/tmf-api/productInventory/v4/product"


def individual(
    given: str = "Anna", family: str = "de Vries", born: str = "1991-03-14T00:00:00Z"
) -> dict[str, Any]:
    return {"givenName": given, "familyName": family, "birthDate": born}


def party_ref(party: dict[str, Any]) -> dict[str, Any]:
    name = party.get("tradingName") or f"{party.get('givenName')} {party.get('familyName')}"
    return {"id": party["id"], "name": name, "@referredType": party["@type"]}


def billing_account(owner: dict[str, Any], *, overdue: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Main account", "relatedParty": [{**party_ref(owner), "role": "owner"}]}
    if overdue is not None:
        body["accountBalance"] = [
            {
                "balanceType": "outstandingBalance",
                "amount": {"unit": "EUR", "value": float(overdue)},
                "validFor": {"startDateTime": "2020-01-01T00:00:00Z"},
            }
        ]
    return {**body, **extra}


def postal_address(
    country: str = "NL", region: str = "NL-NH", contact_type: str = "installation"
) -> dict[str, Any]:
    return {
        "mediumType": "postalAddress",
        "characteristic": {
            "contactType": contact_type,
            "street1": "Prinsengracht 263",
            "city": "Amsterdam",
            "postCode": "1016 GV",
            "stateOrProvince": region,
            "country": country,
        },
    }


def customer(
    party: dict[str, Any], accounts: list[dict[str, Any]] | None = None, **facts: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Anna de Vries", "engagedParty": party_ref(party)}
    if accounts:
        body["account"] = [{"id": a["id"], "name": a["name"]} for a in accounts]
    if facts:
        body["characteristic"] = [{"name": name, "value": value} for name, value in facts.items()]
    return body


async def created(api: Api, path: str, body: dict[str, Any], role: Role = Role.channel) -> dict[str, Any]:
    response = await api.client.post(path, json=body, headers=api.auth(role))
    assert response.status_code == 201, response.text
    resource: dict[str, Any] = response.json()
    return resource


@dataclass
class Onboarded:
    party: dict[str, Any]
    account: dict[str, Any]
    customer: dict[str, Any]


async def onboard(api: Api, *, overdue: str | None = "0", **facts: Any) -> Onboarded:
    """A shop's onboarding: the person, their billing account, then the customer at a fibre address."""
    party = await created(api, INDIVIDUALS, individual())
    account = await created(api, ACCOUNTS, billing_account(party, overdue=overdue))
    facts = facts or {
        "segment": "residential",
        "creditClass": "A",
        "fibreAvailable": True,
        "maxDownloadMbps": 1000,
        "fiveGCoverage": True,
    }
    body = {**customer(party, [account], **facts), "contactMedium": [postal_address()]}
    return Onboarded(party, account, await created(api, CUSTOMERS, body))


def product(
    customer_id: str, offering: str = "fibre-500", status: str = "active", **extra: Any
) -> dict[str, Any]:
    return {
        "status": status,
        "productOffering": {"id": offering},
        "relatedParty": [{"id": customer_id, "role": "customer", "@referredType": "Customer"}],
        **extra,
    }


def assert_tmf_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is a TMF Error with this status (and code)."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == str(status) and body["reason"] and body["message"], body
    if code is not None:
        assert body["code"] == code, body
    return body
