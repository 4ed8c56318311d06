"""Every query on parties, customers and billing accounts (and the paging the inventory shares)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from runtime.customers.models import BillingAccount, Customer, CustomerAccount

Row = TypeVar("Row")


def equalities(
    model: type[Any], pushdown: Mapping[str, str], filters: Sequence[tuple[str, str]]
) -> tuple[list[ColumnElement[bool]], tuple[tuple[str, str], ...]]:
    """Split list filters into SQL conditions (attributes with a column) and the rest."""
    conditions: list[ColumnElement[bool]] = []
    rest: list[tuple[str, str]] = []
    for path, value in filters:
        column = pushdown.get(path)
        if column is None:
            rest.append((path, value))
        else:
            attribute: InstrumentedAttribute[Any] = getattr(model, column)
            conditions.append(attribute == value)
    return conditions, tuple(rest)


async def page(
    session: AsyncSession, model: type[Row], where: Sequence[ColumnElement[bool]], offset: int, limit: int
) -> tuple[list[Row], int]:
    """One page of rows in creation order, and how many rows match in all."""
    total = (await session.execute(select(func.count()).select_from(model).where(*where))).scalar_one()
    rows = await session.execute(_ordered(model, where).offset(offset).limit(limit))
    return list(rows.scalars()), total


async def matching(
    session: AsyncSession, model: type[Row], where: Sequence[ColumnElement[bool]]
) -> list[Row]:
    return list((await session.execute(_ordered(model, where))).scalars())


def _ordered(model: type[Any], where: Sequence[ColumnElement[bool]]) -> Any:
    return select(model).where(*where).order_by(model.created_at, model.id)


async def get(session: AsyncSession, model: type[Row], row_id: str) -> Row | None:
    return await session.get(model, row_id)


async def add(session: AsyncSession, row: Any) -> None:
    session.add(row)
    await session.flush()


async def remove(session: AsyncSession, row: Any) -> None:
    await session.delete(row)
    await session.flush()


async def count_customers_engaging(session: AsyncSession, party_id: str) -> int:
    query = select(func.count()).select_from(Customer).where(Customer.engaged_party_id == party_id)
    return (await session.execute(query)).scalar_one()


async def count_customers_of_account(session: AsyncSession, account_id: str) -> int:
    query = (
        select(func.count())
        .select_from(CustomerAccount)
        .where(CustomerAccount.billing_account_id == account_id)
    )
    return (await session.execute(query)).scalar_one()


async def replace_customer_accounts(
    session: AsyncSession, customer_id: str, account_ids: Sequence[str]
) -> None:
    await session.execute(delete(CustomerAccount).where(CustomerAccount.customer_id == customer_id))
    session.add_all(
        CustomerAccount(customer_id=customer_id, billing_account_id=account_id, position=position)
        for position, account_id in enumerate(account_ids)
    )
    await session.flush()


async def primary_account(session: AsyncSession, customer_id: str) -> BillingAccount | None:
    """The customer's first referenced billing account."""
    query = (
        select(BillingAccount)
        .join(CustomerAccount, CustomerAccount.billing_account_id == BillingAccount.id)
        .where(CustomerAccount.customer_id == customer_id)
        .order_by(CustomerAccount.position)
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()
