"""Demo data: valid codes, plausible values, deterministic with a seed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from keyacct_desktop.demo import generate_demo
from keyacct_desktop.domain.codes import MOBILE_RE, is_valid_uscc, validate_landline
from keyacct_desktop.domain.enums import VOLTAGE_LEVELS_KV, Industry
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.store.db import open_store
from keyacct_desktop.store.local import PendingChange
from keyacct_desktop.store.models import Contact, Customer, Park, Visit
from tests.conftest import DEMO_TODAY


def test_demo_data_is_valid(demo_ctx) -> None:
    with demo_ctx.store.read() as session:
        customers = session.scalars(select(Customer)).all()
        contacts = session.scalars(select(Contact)).all()
        visits = session.scalars(select(Visit)).all()
        parks = session.scalars(select(Park)).all()
        pending = session.scalar(select(func.count()).select_from(PendingChange))
    assert len(customers) == 120
    assert all(is_valid_uscc(c.uscc) for c in customers)
    assert len({c.account_no for c in customers}) == 120
    assert len({c.name for c in customers}) == 120
    assert all(c.voltage_kv in VOLTAGE_LEVELS_KV for c in customers)
    assert all(c.capacity_kva and c.capacity_kva > 0 and c.annual_kwh > 0 for c in customers)
    assert all(Industry(c.industry) for c in customers)
    assert {c.pyramid_class for c in customers} == {"A", "B", "C", "D"}
    assert len(parks) >= 4 and len({c.park_id for c in customers}) >= 4
    assert all(MOBILE_RE.match(c.mobile) for c in contacts)
    assert all(validate_landline(c.landline) for c in contacts if c.landline)
    assert all(c.last_verified <= DEMO_TODAY for c in contacts)
    assert visits and all((DEMO_TODAY - v.started_at.date()).days <= 366 for v in visits)
    assert pending == 0, "demo data must never be queued for upload"


def test_same_seed_same_data(tmp_path) -> None:
    snapshots = []
    for name in ("a", "b"):
        store = open_store(tmp_path / f"{name}.sqlite3")
        generate_demo(store, customers=40, seed=11, today=DEMO_TODAY)
        with store.read() as session:
            snapshots.append(
                session.execute(
                    select(Customer.id, Customer.name, Customer.uscc, Customer.annual_kwh).order_by(
                        Customer.id
                    )
                ).all()
            )
        store.close()
    assert snapshots[0] == snapshots[1]


def test_demo_refuses_a_store_that_has_customers(demo_ctx) -> None:
    with pytest.raises(UserError, match="empty store"):
        generate_demo(demo_ctx.store, customers=5, seed=1, today=DEMO_TODAY)


def test_demo_visits_carry_some_comments_and_complaints(demo_ctx) -> None:
    with demo_ctx.store.read() as session:
        visits = session.scalars(select(Visit)).all()
    complained = [v for v in visits if v.complaints]
    assert 0 < len(complained) < len(visits) * 0.1
    assert all(v.score_service <= 2 and v.comments for v in complained)
    assert all(1 <= v.score_service <= 5 for v in visits)
