"""Pyramid classes A/B/C/D: recomputed on demand, overridden by hand with a reason, with history.

The basis (consumption, revenue or profit contribution) and the cumulative-share cut-offs come
from settings (``pyramid.basis``, ``pyramid.cumulative_cutoffs``). A customer with monthly figures
is valued on its last 12 months (up to the newest month any customer has; profit = revenue −
kWh × ``pyramid.cost_per_kwh``); one without falls back on the profile's annual kWh or annual
profit (no revenue figure there: 0). Every change of a customer's class — computed or manual —
is kept as a ``PyramidChange`` row that syncs with the customer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, null, select
from sqlalchemy.orm import Session

from keyacct_desktop.domain.billing import add_months
from keyacct_desktop.domain.economics import PYRAMID_BASES
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.pyramid import PYRAMID_CLASSES, classify_by_cumulative_share
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Customer, CustomerMonth, PyramidChange

#: Profile figures used for customers without monthly history.
BASIS_COLUMNS = {"consumption": Customer.annual_kwh, "profit": Customer.annual_profit_yuan}


@dataclass(frozen=True)
class Recomputed:
    """What a classification did (or, ``dry_run``, would do).

    ``changes``: customer -> (class before, class after) of each customer whose class changed,
    what :meth:`PyramidService.undo` takes back.
    """

    basis: str
    customers: int
    changed: int
    by_class: dict[str, int]
    changes: dict[uuid.UUID, tuple[str | None, str]] = field(default_factory=dict)


class PyramidService:
    def __init__(self, store: Store, settings: object) -> None:
        self.store = store
        self.settings = settings

    def recompute(self, *, dry_run: bool = False) -> Recomputed:
        """Classify every pooled, active customer again; history rows for each change.

        ``dry_run``: only say how many classes would change (nothing is written), so the user
        is told the count before confirming.
        """
        basis = str(self.settings.get("pyramid.basis"))  # type: ignore[attr-defined]
        if basis not in PYRAMID_BASES:
            raise UserError(
                f"分级依据“{basis}”无效,应为 consumption(电量)、revenue(电费)或 profit(利润贡献)",
                f"pyramid basis {basis!r} is invalid: consumption, revenue or profit",
                field="pyramid.basis",
            )
        cutoffs = list(self.settings.get("pyramid.cumulative_cutoffs"))  # type: ignore[attr-defined]
        cost = float(self.settings.get("pyramid.cost_per_kwh"))  # type: ignore[attr-defined]
        column = BASIS_COLUMNS.get(basis)
        with self.store.read() if dry_run else self.store.begin() as session:
            rows = session.execute(
                select(
                    Customer.id, column if column is not None else null(), Customer.pyramid_class
                ).where(Customer.pool_status == "pooled", Customer.status == "active")
            ).all()
            values = {r[0]: r[1] for r in rows}
            values.update(_twelve_months(session, basis, cost, set(values)))
            try:
                classes = classify_by_cumulative_share(values, cutoffs)
            except ValueError as error:
                raise UserError(
                    "分级累计占比阈值应为三个递增的 0–1 之间的数",
                    str(error),
                    field="pyramid.cumulative_cutoffs",
                ) from error
            changes: dict[uuid.UUID, tuple[str | None, str]] = {}
            now = utcnow()
            for customer_id, _value, old in rows:
                new = classes[customer_id]
                if new != old:
                    changes[customer_id] = (old, new)
                    if dry_run:
                        continue
                    session.get_one(Customer, customer_id).pyramid_class = new
                    session.add(
                        PyramidChange(
                            customer_id=customer_id,
                            old_class=old,
                            new_class=new,
                            basis=basis,
                            manual=False,
                            changed_at=now,
                        )
                    )
        counts = {k: 0 for k in PYRAMID_CLASSES}
        for value in classes.values():
            counts[value] += 1
        return Recomputed(basis, len(rows), len(changes), counts, changes)

    def undo(self, result: Recomputed) -> int:
        """Take a classification back in one step; returns how many customers went back.

        Each gets a history row saying so; a customer whose class changed again since (by
        hand, or by a sync) keeps it.
        """
        restored = 0
        now = utcnow()
        with self.store.begin() as session:
            for customer_id, (before, after) in result.changes.items():
                customer = session.get(Customer, customer_id)
                if customer is None or customer.pyramid_class != after:
                    continue
                customer.pyramid_class = before
                session.add(
                    PyramidChange(
                        customer_id=customer_id,
                        old_class=after,
                        new_class=before,
                        basis=result.basis,
                        manual=False,
                        reason="撤销重新分级",
                        changed_at=now,
                    )
                )
                restored += 1
        return restored

    def due_for_review(self, today: datetime | None = None) -> bool:
        """True when the last computed classification is older than ``pyramid.reevaluate_months``
        (or there never was one): the pyramid is re-evaluated on its period."""
        months = int(self.settings.get("pyramid.reevaluate_months"))  # type: ignore[attr-defined]
        with self.store.read() as session:
            last = session.scalar(
                select(func.max(PyramidChange.changed_at)).where(PyramidChange.manual.is_(False))
            )
        if last is None:
            return True
        now = today or utcnow()
        elapsed = (now.year - last.year) * 12 + now.month - last.month - (now.day < last.day)
        return elapsed >= months

    def override(self, customer_id: uuid.UUID, new_class: str | None, reason: str) -> None:
        """Fix a customer's class by hand (``None`` removes the override); a reason is required."""
        if new_class is not None and new_class not in PYRAMID_CLASSES:
            raise UserError("分级只能是 A、B、C、D", "the class is A, B, C or D", field="class")
        if new_class is not None and not reason.strip():
            raise UserError(
                "人工调整分级须写明原因", "a manual class needs a reason", field="reason"
            )
        with self.store.begin() as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                raise UserError("找不到该客户", "customer not found")
            old = customer.pyramid_override or customer.pyramid_class
            customer.pyramid_override = new_class
            customer.pyramid_override_reason = reason.strip() or None if new_class else None
            session.add(
                PyramidChange(
                    customer_id=customer_id,
                    old_class=old,
                    new_class=new_class or customer.pyramid_class,
                    basis="manual",
                    manual=True,
                    reason=reason.strip() or None,
                    changed_at=utcnow(),
                )
            )

    def history(
        self, customer_id: uuid.UUID
    ) -> list[tuple[datetime, str | None, str | None, str, str | None]]:
        with self.store.read() as session:
            return [
                (c.changed_at, c.old_class, c.new_class, c.basis, c.reason)
                for c in session.scalars(
                    select(PyramidChange)
                    .where(PyramidChange.customer_id == customer_id)
                    .order_by(PyramidChange.changed_at, PyramidChange.created_at)
                )
            ]


def _twelve_months(
    session: Session, basis: str, cost_per_kwh: float, customers: set[uuid.UUID]
) -> dict[uuid.UUID, float]:
    """Each customer's value over the 12 months up to the newest recorded month (one query)."""
    last = session.scalar(select(func.max(CustomerMonth.month)))
    if last is None:
        return {}
    kwh = func.coalesce(func.sum(CustomerMonth.kwh), 0.0)
    revenue = func.coalesce(func.sum(CustomerMonth.bill_yuan), 0.0)
    value = {"consumption": kwh, "revenue": revenue, "profit": revenue - kwh * cost_per_kwh}[basis]
    rows = session.execute(
        select(CustomerMonth.customer_id, value)
        .where(CustomerMonth.month > add_months(last, -12), CustomerMonth.month <= last)
        .group_by(CustomerMonth.customer_id)
    )
    return {customer_id: float(v) for customer_id, v in rows if customer_id in customers}
