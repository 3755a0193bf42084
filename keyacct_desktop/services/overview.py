"""Figures for the 首页 overview: customers by class, visits, open referrals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Customer, Referral, Visit


@dataclass(frozen=True)
class Overview:
    customers: int
    by_class: dict[str, int]
    visits_last_30_days: int
    open_referrals: int
    overdue_referrals: int


def overview(store: Store, now: datetime | None = None) -> Overview:
    now = now or datetime.now()
    effective = func.coalesce(Customer.pyramid_override, Customer.pyramid_class)
    with store.read() as session:
        by_class = {
            (klass or "-"): count
            for klass, count in session.execute(select(effective, func.count()).group_by(effective))
        }
        visits = session.scalar(
            select(func.count())
            .select_from(Visit)
            .where(Visit.started_at >= now - timedelta(days=30))
        )
        open_states = ("open", "in_progress", "answered")
        open_referrals = session.scalar(
            select(func.count()).select_from(Referral).where(Referral.state.in_(open_states))
        )
        overdue = session.scalar(
            select(func.count())
            .select_from(Referral)
            .where(Referral.state.in_(("open", "in_progress")), Referral.due_on < now.date())
        )
    return Overview(
        customers=sum(by_class.values()),
        by_class=by_class,
        visits_last_30_days=visits or 0,
        open_referrals=open_referrals or 0,
        overdue_referrals=overdue or 0,
    )
