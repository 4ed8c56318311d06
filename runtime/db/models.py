"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from __future__ import annotations

from runtime.audit.models import AuditRecord
from runtime.auth.models import ApiKey
from runtime.billing.models import SubscriptionStart
from runtime.catalog.models import DraftRow, ReleaseDocumentRow, ReleaseRow
from runtime.customers.models import BillingAccount, Customer, CustomerAccount, Individual, Organization
from runtime.db.base import Base
from runtime.events.models import EventDelivery, EventSubscription, OutboxEvent
from runtime.inventory.models import InventoryProduct
from runtime.ordering.models import CancelProductOrderRow, OrderStartRow, ProductOrderItemRow, ProductOrderRow
from runtime.qualification.models import QualificationRow
from runtime.quote.models import QuoteRow

metadata = Base.metadata

__all__ = [
    "ApiKey",
    "AuditRecord",
    "BillingAccount",
    "CancelProductOrderRow",
    "Customer",
    "CustomerAccount",
    "DraftRow",
    "EventDelivery",
    "EventSubscription",
    "Individual",
    "InventoryProduct",
    "OrderStartRow",
    "Organization",
    "OutboxEvent",
    "ProductOrderItemRow",
    "ProductOrderRow",
    "QualificationRow",
    "QuoteRow",
    "ReleaseDocumentRow",
    "ReleaseRow",
    "SubscriptionStart",
    "metadata",
]
