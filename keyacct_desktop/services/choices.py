"""What the pick lists offer: parks, grids and managers by name, and whether any customer
exists yet (the start decides between the empty-store welcome and the home page)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Customer, Grid, Park, User

Choice = tuple[uuid.UUID, str]


def parks(store: Store) -> list[Choice]:
    with store.read() as session:
        return list(session.execute(select(Park.id, Park.name).order_by(Park.name)).tuples())


def grids(store: Store) -> list[Choice]:
    with store.read() as session:
        return list(session.execute(select(Grid.id, Grid.name).order_by(Grid.name)).tuples())


def managers(store: Store) -> list[Choice]:
    with store.read() as session:
        return list(
            session.execute(select(User.id, User.display_name).order_by(User.display_name)).tuples()
        )


def has_customers(store: Store) -> bool:
    """Whether the store holds a customer (one indexed row read, not a count)."""
    with store.read() as session:
        return session.scalar(select(Customer.id).limit(1)) is not None
