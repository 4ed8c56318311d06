"""The four document resources and their business rules.

- Individual / Organization (TMF632): status defaults to `initialized`; a party engaged as a customer
  cannot be deleted.
- Customer (TMF629): the engaged party (an Individual or Organization) and the referenced billing accounts
  must exist; fact-carrying characteristics are typed (see `characteristics`); a customer holding
  inventory cannot be deleted. The first `account` reference is the account eligibility looks at.
- BillingAccount (TMF666): `state` is one of the fact model's account statuses (default `active`);
  `lastModified` is set by the server; an account a customer or a product refers to cannot be deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from engine.facts import FACTS
from runtime.api.errors import Conflict, Unprocessable
from runtime.customers import repository
from runtime.customers.characteristics import check_characteristics
from runtime.customers.models import BillingAccount, Customer, Individual, Organization
from runtime.customers.resources import (
    BILLING_ACCOUNT_PATH,
    CUSTOMER_PATH,
    INDIVIDUAL_PATH,
    ORGANIZATION_PATH,
    ResourceKind,
    resolve_reference,
)
from runtime.db.base import utcnow
from runtime.inventory import repository as inventory_repository

PARTY_TYPES = ("Individual", "Organization")
ACCOUNT_STATES = FACTS["account.status"].allowedValues


async def _refuse_if_engaged(session: AsyncSession, party_id: str) -> None:
    if await repository.count_customers_engaging(session, party_id):
        raise Conflict(f"party {party_id!r} is engaged as a customer; delete the customer first")


class IndividualKind(ResourceKind):
    entity_type, api, tmf_type = "individual", "TMF632", "Individual"
    base_path, model, hub = INDIVIDUAL_PATH, Individual, "party"
    pushdown = {"givenName": "given_name", "familyName": "family_name", "status": "status"}

    def with_defaults(self, document: dict[str, Any]) -> dict[str, Any]:
        return {"status": "initialized", **document}

    def columns(self, document: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "given_name": document["givenName"],
            "family_name": document["familyName"],
            "status": document["status"],
        }

    async def guard_delete(self, session: AsyncSession, resource_id: str) -> None:
        await _refuse_if_engaged(session, resource_id)


class OrganizationKind(ResourceKind):
    entity_type, api, tmf_type = "organization", "TMF632", "Organization"
    base_path, model, hub = ORGANIZATION_PATH, Organization, "party"
    pushdown = {"tradingName": "trading_name", "name": "name", "status": "status"}

    def with_defaults(self, document: dict[str, Any]) -> dict[str, Any]:
        return {"status": "initialized", **document}

    def columns(self, document: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "trading_name": document["tradingName"],
            "name": document.get("name"),
            "status": document["status"],
        }

    async def guard_delete(self, session: AsyncSession, resource_id: str) -> None:
        await _refuse_if_engaged(session, resource_id)


class CustomerKind(ResourceKind):
    entity_type, api, tmf_type = "customer", "TMF629", "Customer"
    base_path, model, hub = CUSTOMER_PATH, Customer, "customerManagement"
    pushdown = {"name": "name", "status": "status", "engagedParty.id": "engaged_party_id"}

    def with_defaults(self, document: dict[str, Any]) -> dict[str, Any]:
        return {"status": "approved", **document}

    def columns(self, document: Mapping[str, Any]) -> dict[str, Any]:
        party = document["engagedParty"]
        return {
            "name": document["name"],
            "status": document["status"],
            "engaged_party_id": party["id"],
            "engaged_party_type": party["@referredType"],
        }

    async def check(self, session: AsyncSession, document: dict[str, Any]) -> dict[str, Any]:
        checked = {**document}
        checked["engagedParty"] = await resolve_reference(
            session, document["engagedParty"], PARTY_TYPES, "engagedParty"
        )
        if "account" in document:
            checked["account"] = [
                await resolve_reference(
                    session, {"@referredType": "BillingAccount", **ref}, ("BillingAccount",), f"account[{i}]"
                )
                for i, ref in enumerate(document["account"])
            ]
            ids = [ref["id"] for ref in checked["account"]]
            if len(set(ids)) != len(ids):
                raise Unprocessable(
                    "account: a billing account is referenced twice", code="INVALID_REFERENCE"
                )
        check_characteristics(document.get("characteristic", []))
        return checked

    async def after_write(self, session: AsyncSession, resource_id: str, document: Mapping[str, Any]) -> None:
        ids = [ref["id"] for ref in document.get("account", [])]
        await repository.replace_customer_accounts(session, resource_id, ids)

    async def guard_delete(self, session: AsyncSession, resource_id: str) -> None:
        if await inventory_repository.count_for_customer(session, resource_id):
            raise Conflict(f"customer {resource_id!r} holds products in the inventory")


class BillingAccountKind(ResourceKind):
    entity_type, api, tmf_type = "billingAccount", "TMF666", "BillingAccount"
    base_path, model, hub = BILLING_ACCOUNT_PATH, BillingAccount, "accountManagement"
    state_attribute = "state"
    pushdown = {"name": "name", "state": "state"}

    def with_defaults(self, document: dict[str, Any]) -> dict[str, Any]:
        return {"state": "active", **document}

    def columns(self, document: Mapping[str, Any]) -> dict[str, Any]:
        return {"name": document["name"], "state": document["state"]}

    async def check(self, session: AsyncSession, document: dict[str, Any]) -> dict[str, Any]:
        if document["state"] not in ACCOUNT_STATES:
            raise Unprocessable(
                f"state must be one of {', '.join(ACCOUNT_STATES)}, got {document['state']!r}",
                code="INVALID_STATE",
            )
        parties = [
            await resolve_reference(session, ref, (ref["@referredType"],), f"relatedParty[{i}]")
            if ref["@referredType"] in ("Customer", *PARTY_TYPES)
            else ref
            for i, ref in enumerate(document["relatedParty"])
        ]
        return {**document, "relatedParty": parties, "lastModified": utcnow().isoformat()}

    async def guard_delete(self, session: AsyncSession, resource_id: str) -> None:
        if await repository.count_customers_of_account(session, resource_id):
            raise Conflict(f"billing account {resource_id!r} is referenced by a customer")
        if await inventory_repository.count_for_billing_account(session, resource_id):
            raise Conflict(f"billing account {resource_id!r} is referenced by inventory products")


CUSTOMER = CustomerKind()
INDIVIDUAL = IndividualKind()
ORGANIZATION = OrganizationKind()
BILLING_ACCOUNT = BillingAccountKind()
