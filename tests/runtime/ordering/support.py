"""Shared by the ordering tests (no tests here): order bodies, requests and reading the stored order."""

from __future__ import annotations

from typing import Any

from httpx import Response
from sqlalchemy import func, select

from runtime.audit.models import AuditRecord
from runtime.auth.keys import create_key
from runtime.auth.roles import Role
from runtime.events.models import OutboxEvent
from runtime.ordering.models import OrderStartRow, ProductOrderRow
from runtime.ordering.progress import record_progress
from runtime.tmf.contract import assert_conforms
from tests.runtime.qualification.support import characteristics, customer
from tests.runtime.support import Api
from workflows.contracts import ItemProgress, Milestone, OrderProgress

BASE = "/tmf-api/productOrderingManagement/v4"
ORDERS = f"{BASE}/productOrder"
CANCELS = f"{BASE}/cancelProductOrder"
LISTENER = "/tmf-api/serviceOrdering/v4/listener"


def order_item(item_id: str, offering: str, action: str = "add", **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "action": action, "productOffering": {"id": offering}, **extra}


def order_body(
    items: list[dict[str, Any]], customer_id: str = "CUST-1001", channel: str = "web", **extra: Any
) -> dict[str, Any]:
    return {
        "channel": [{"id": channel, "role": "salesChannel"}],
        "relatedParty": customer(customer_id),
        "productOrderItem": items,
        **extra,
    }


def tv_order(**extra: Any) -> dict[str, Any]:
    """An order Anna (CUST-1001) may place through the web: a TV add-on."""
    return order_body([order_item("1", "tv-essential")], **extra)


def speed_change(product_id: str = "PRD-1001", action: str = "modify") -> dict[str, Any]:
    """Anna changes her Fibre 500 (PRD-1001)."""
    item = order_item(
        "1", "fibre-500", action, product={"id": product_id, **characteristics(contractTerm=24)}
    )
    return order_body([item])


async def post_order(
    api: Api, body: dict[str, Any], role: Role = Role.channel, headers: dict[str, str] | None = None
) -> Response:
    return await api.client.post(ORDERS, json=body, headers=api.auth(role) | (headers or {}))


async def placed(api: Api, body: dict[str, Any], role: Role = Role.channel) -> dict[str, Any]:
    """POST an order that must be created; its body, checked against TMF622."""
    response = await post_order(api, body, role)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    assert_conforms("TMF622", "ProductOrder", result)
    assert response.headers["location"] == result["href"]
    return result


def assert_tmf_error(response: Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert_conforms("TMF622", "Error", body)
    assert body["status"] == str(status)
    if code is not None:
        assert body["code"] == code, body
    return body


async def events(api: Api, event_type: str) -> list[dict[str, Any]]:
    """The productOrderingManagement events of this type in the outbox, oldest first."""
    query = (
        select(OutboxEvent)
        .where(OutboxEvent.api == "productOrderingManagement", OutboxEvent.event_type == event_type)
        .order_by(OutboxEvent.created_at)
    )
    async with api.database.sessions() as session:
        return [row.body["event"] for row in (await session.execute(query)).scalars()]


async def audits(api: Api, entity_id: str) -> list[AuditRecord]:
    query = select(AuditRecord).where(AuditRecord.entity_id == entity_id).order_by(AuditRecord.id)
    async with api.database.sessions() as session:
        return list((await session.execute(query)).scalars())


async def start_intent(api: Api, order_id: str) -> OrderStartRow | None:
    async with api.database.sessions() as session:
        return await session.get(OrderStartRow, order_id)


async def order_count(api: Api) -> int:
    async with api.database.sessions() as session:
        return (await session.execute(select(func.count()).select_from(ProductOrderRow))).scalar_one()


async def another_key(api: Api, role: Role = Role.channel) -> dict[str, str]:
    """The auth header of a second key of this role (another shop, another operator)."""
    async with api.database.unit_of_work() as session:
        secret = (await create_key(session, f"another {role.value}", role)).secret
    return {"Authorization": f"Bearer {secret}"}


async def report(
    api: Api,
    order_id: str,
    revision: int,
    state: str,
    items: dict[str, str] | None = None,
    milestones: tuple[Milestone, ...] = (),
    **extra: Any,
) -> None:
    """What the workflow's progress activity does: record a snapshot of the order."""
    progress = OrderProgress(
        orderId=order_id,
        revision=revision,
        state=state,
        items=[ItemProgress(item_id, item_state) for item_id, item_state in (items or {}).items()],
        steps=[],
        milestones=list(milestones),
        **extra,
    )
    async with api.database.unit_of_work() as session:
        await record_progress(session, progress)
