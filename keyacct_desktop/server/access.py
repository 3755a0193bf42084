"""Who sees what: the customers an account may see (its grids' customers for a manager,
everything for supervisors and administrators)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from keyacct_desktop.server.models import (
    Account,
    SyncRow,
)


def restricted(account: Account) -> bool:
    """Whether the account sees only some customers (a manager: their grids' customers)."""
    return account.role not in ("supervisor", "admin")


def visible_customers(account: Account) -> Any:
    """A subquery of customer ids the account may see (``None`` = everything)."""
    if not restricted(account):
        return None
    return grid_customers(account.user_id)


def grid_customers(user_id: Any) -> Any:
    """A subquery of the customers in the grids ``user_id`` manages (a UUID, or a bind
    parameter in a statement built once: ``server.pull``)."""
    my_grids = select(SyncRow.row_id).where(
        SyncRow.table_name == "grid",
        SyncRow.manager_id == user_id,
        SyncRow.deleted.is_(False),
    )
    return select(SyncRow.row_id).where(
        SyncRow.table_name == "customer", SyncRow.grid_id.in_(my_grids)
    )


def can_see(session: Session, account: Account, customer_id: uuid.UUID | None) -> bool:
    subquery = visible_customers(account)
    if subquery is None or customer_id is None:
        return True
    return (
        session.scalar(
            select(SyncRow.row_id).where(
                SyncRow.row_id.in_(subquery), SyncRow.row_id == customer_id
            )
        )
        is not None
    )


#: The grids a manager manages, built once (a push asks it for every manager in its group).
_MANAGER_GRIDS = select(SyncRow.row_id).where(
    SyncRow.table_name == "grid",
    SyncRow.manager_id == bindparam("me"),
    SyncRow.deleted.is_(False),
)


def manager_grids(session: Session, account: Account) -> set[uuid.UUID]:
    return set(session.scalars(_MANAGER_GRIDS, {"me": account.user_id}))


def visible_customer_list(session: Session, account: Account) -> list[str]:
    visible = visible_customers(account)
    statement = select(SyncRow.row_id).where(
        SyncRow.table_name == "customer", SyncRow.deleted.is_(False)
    )
    if visible is not None:
        statement = statement.where(SyncRow.row_id.in_(visible))
    return sorted(str(i) for i in session.scalars(statement))
