"""What varies between the document resources (customer, individual, organization, billing account).

One generic service does create / patch / delete / list for all of them; a `ResourceKind` says where the
resource lives, which TMF definition it follows, which attributes have a column, its defaults, and its
business rules (references that must exist, values the eligibility facts need, what blocks a delete).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from runtime.api.errors import Unprocessable
from runtime.customers import repository
from runtime.customers.body import exact
from runtime.customers.models import BillingAccount, Customer, DocumentRow, Individual, Organization
from runtime.customers.strict import properties

CUSTOMER_PATH = "/tmf-api/customerManagement/v4/customer"
INDIVIDUAL_PATH = "/tmf-api/party/v4/individual"
ORGANIZATION_PATH = "/tmf-api/party/v4/organization"
BILLING_ACCOUNT_PATH = "/tmf-api/accountManagement/v4/billingAccount"

# Where a reference of each `@referredType` points, for the types this runtime stores.
REFERABLE: Mapping[str, tuple[type[DocumentRow], str]] = {
    "Customer": (Customer, CUSTOMER_PATH),
    "Individual": (Individual, INDIVIDUAL_PATH),
    "Organization": (Organization, ORGANIZATION_PATH),
    "BillingAccount": (BillingAccount, BILLING_ACCOUNT_PATH),
}


class ResourceKind:
    entity_type: ClassVar[str]  # in the audit log
    api: ClassVar[str]  # TMF API of the definitions, e.g. "TMF629"
    tmf_type: ClassVar[str]  # the definition and the `@type`, e.g. "Customer"
    base_path: ClassVar[str]
    model: ClassVar[type[DocumentRow]]
    hub: ClassVar[str]  # the API whose hub publishes its events (runtime.events.apis)
    state_attribute: ClassVar[str] = "status"  # a change of it is a StateChangeEvent
    pushdown: ClassVar[Mapping[str, str]] = {}  # list filter attribute -> column filtered in SQL

    def href(self, resource_id: str) -> str:
        return f"{self.base_path}/{resource_id}"

    @property
    def attributes(self) -> frozenset[str]:
        return properties(self.api, self.tmf_type)

    @property
    def patchable(self) -> frozenset[str]:
        return properties(self.api, f"{self.tmf_type}_Update")

    def render(self, row: DocumentRow) -> dict[str, Any]:
        """The TMF resource: the stored document with its id, href and @type."""
        return {"id": row.id, "href": self.href(row.id), **exact(row.document), "@type": self.tmf_type}

    def with_defaults(self, document: dict[str, Any]) -> dict[str, Any]:
        return document

    def columns(self, document: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    async def check(self, session: AsyncSession, document: dict[str, Any]) -> dict[str, Any]:
        """Business rules beyond the schema; returns the document with references completed."""
        return document

    async def after_write(self, session: AsyncSession, resource_id: str, document: Mapping[str, Any]) -> None:
        return None

    async def guard_delete(self, session: AsyncSession, resource_id: str) -> None:
        return None


async def resolve_reference(
    session: AsyncSession, reference: Mapping[str, Any], allowed: tuple[str, ...], where: str
) -> dict[str, Any]:
    """A reference to a stored resource, checked to exist and given its href."""
    referred = reference.get("@referredType")
    if referred not in allowed:
        raise Unprocessable(
            f"{where}: @referredType must be one of {', '.join(allowed)}, got {referred!r}",
            code="INVALID_REFERENCE",
        )
    if not reference.get("id"):
        raise Unprocessable(f"{where}: the reference needs an id", code="INVALID_REFERENCE")
    model, path = REFERABLE[referred]
    if await repository.get(session, model, reference["id"]) is None:
        raise Unprocessable(f"{where}: no {referred} {reference['id']!r}", code="UNKNOWN_REFERENCE")
    return {**reference, "href": f"{path}/{reference['id']}"}
