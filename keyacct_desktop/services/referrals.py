"""Referrals — the "N" of 1+N: a demand or complaint handed to a back-office team and followed
to closure, on the laptop's store.

The state machine, who may make which move, overdue and due-date rules live in
:mod:`keyacct_desktop.domain.referral_rules` (shared with the web console of the server, which
answers for the teams). Every move is kept as a :class:`ReferralEvent`, so the history syncs
with the record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyacct_desktop.domain.enums import BackOfficeTeam, DemandType, ReferralState
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.referral_rules import (
    CLOSED,
    TRANSITIONS,
    IllegalMoveError,
    check_move,
    default_due,
    is_overdue,
)
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.store.calendar import work_calendar
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Customer, Referral, ReferralEvent

S = ReferralState
__all__ = [
    "CLOSED",
    "TRANSITIONS",
    "IllegalMoveError",
    "NewReferral",
    "ReferralRow",
    "ReferralService",
    "check_new",
    "is_overdue",
]


@dataclass(frozen=True)
class ReferralRow:
    id: uuid.UUID
    customer_id: uuid.UUID
    customer: str
    visit_id: uuid.UUID | None
    kind: str
    demand_type: str
    description: str
    team: str
    owner_name: str | None
    due_on: date | None
    state: str
    answer: str | None
    reject_reason: str | None
    created_at: datetime
    overdue: bool


@dataclass(frozen=True)
class NewReferral:
    """A demand or complaint to refer; ``due_on`` defaults from ``referrals.due_workdays``."""

    customer_id: uuid.UUID
    team: str
    description: str
    kind: str = "demand"
    demand_type: str = "other"
    owner_name: str | None = None
    due_on: date | None = None
    visit_id: uuid.UUID | None = None


def check_new(item: NewReferral) -> None:
    """Refuse a referral the back office could not act on, naming the field."""
    try:
        BackOfficeTeam(item.team)
    except ValueError:
        raise UserError(
            "请选择承办的后台团队", "choose the back-office team", field="team"
        ) from None
    try:
        DemandType(item.demand_type)
    except ValueError:
        raise UserError(
            f"未知的诉求类型:{item.demand_type}",
            f"unknown demand type {item.demand_type}",
            field="demand_type",
        ) from None
    if item.kind not in ("demand", "complaint"):
        raise UserError("转办类型只能是诉求或投诉", "kind is demand or complaint", field="kind")
    if not item.description.strip():
        raise UserError(
            "请写明客户的诉求或投诉内容", "describe the demand or complaint", field="description"
        )


class ReferralService:
    def __init__(self, store: Store, settings: object) -> None:
        self.store = store
        self.settings = settings

    def default_due(self, kind: str, today: date | None = None) -> date:
        return default_due(
            kind,
            today or date.today(),
            work_calendar(self.store, self.settings),
            self.settings.get("referrals.due_workdays"),  # type: ignore[attr-defined]
        )

    def add(self, session: Session, item: NewReferral, today: date | None = None) -> Referral:
        """Create a referral inside the caller's transaction (a visit saves its demands so)."""
        check_new(item)
        if session.get(Customer, item.customer_id) is None:
            raise UserError("找不到该客户", "customer not found", field="customer")
        referral = Referral(
            customer_id=item.customer_id,
            visit_id=item.visit_id,
            kind=item.kind,
            demand_type=item.demand_type,
            description=item.description.strip(),
            team=item.team,
            owner_name=(item.owner_name or "").strip() or None,
            due_on=item.due_on or self.default_due(item.kind, today),
            state=S.OPEN.value,
            registered_on=today or date.today(),
        )
        session.add(referral)
        session.add(
            ReferralEvent(
                referral_id=referral.id, from_state=None, to_state=S.OPEN.value, at=utcnow()
            )
        )
        return referral

    def create(self, item: NewReferral, today: date | None = None) -> uuid.UUID:
        with self.store.begin() as session:
            return self.add(session, item, today).id

    def move(
        self,
        referral_id: uuid.UUID,
        to_state: str,
        *,
        note: str = "",
        owner_name: str | None = None,
    ) -> None:
        """Move a referral; an answer needs its text, a rejection its reason."""
        wanted = ReferralState(to_state)
        note = note.strip()
        with self.store.begin() as session:
            referral = session.get(Referral, referral_id)
            if referral is None:
                raise UserError("找不到该转办", "referral not found")
            current = ReferralState(referral.state)
            check_move(current, wanted, note)
            if wanted is S.ANSWERED:
                referral.answer = note
                referral.answered_at = utcnow()
            elif wanted is S.REJECTED:
                referral.reject_reason = note
            elif wanted is S.CONFIRMED:
                referral.confirmed_at = utcnow()
                referral.customer_feedback = note or None
            if owner_name is not None:
                referral.owner_name = owner_name.strip() or None
            referral.state = wanted.value
            session.add(
                ReferralEvent(
                    referral_id=referral.id,
                    from_state=current.value,
                    to_state=wanted.value,
                    note=note or None,
                    at=utcnow(),
                )
            )

    def reassign(
        self, referral_id: uuid.UUID, owner_name: str, due_on: date | None, *, note: str = ""
    ) -> None:
        """Change who answers and by when (kept in the history); not once the loop is closed."""
        with self.store.begin() as session:
            referral = session.get(Referral, referral_id)
            if referral is None:
                raise UserError("找不到该转办", "referral not found")
            state = ReferralState(referral.state)
            if state in CLOSED:
                raise UserError(
                    f"转办已{state.zh},不能再改承办人或期限",
                    f"the referral is {state.en}: owner and due date can no longer change",
                    field="state",
                )
            if due_on is None:
                raise UserError("请填写办理期限", "enter the due date", field="due_on")
            owner = owner_name.strip() or None
            if owner == referral.owner_name and due_on == referral.due_on:
                return
            referral.owner_name = owner
            referral.due_on = due_on
            text = f"承办人 {owner or '—'},期限 {due_on.isoformat()}"
            session.add(
                ReferralEvent(
                    referral_id=referral.id,
                    from_state=state.value,
                    to_state=state.value,
                    note=f"{text};{note.strip()}" if note.strip() else text,
                    at=utcnow(),
                )
            )

    def history(self, referral_id: uuid.UUID) -> list[tuple[datetime, str | None, str, str | None]]:
        with self.store.read() as session:
            return [
                (e.at, e.from_state, e.to_state, e.note)
                for e in session.scalars(
                    select(ReferralEvent)
                    .where(ReferralEvent.referral_id == referral_id)
                    .order_by(ReferralEvent.at, ReferralEvent.created_at)
                )
            ]

    def rows(
        self,
        *,
        team: str | None = None,
        customer_id: uuid.UUID | None = None,
        visit_id: uuid.UUID | None = None,
        states: set[str] | None = None,
        overdue_only: bool = False,
        today: date | None = None,
    ) -> list[ReferralRow]:
        """Referrals for a team's list or a customer's card, most urgent first."""
        today = today or date.today()
        statement = select(Referral, Customer.name).join(
            Customer, Customer.id == Referral.customer_id
        )
        if team:
            statement = statement.where(Referral.team == team)
        if customer_id:
            statement = statement.where(Referral.customer_id == customer_id)
        if visit_id:
            statement = statement.where(Referral.visit_id == visit_id)
        if states:
            statement = statement.where(Referral.state.in_(states))
        with self.store.read() as session:
            rows = [
                ReferralRow(
                    r.id,
                    r.customer_id,
                    name,
                    r.visit_id,
                    r.kind,
                    r.demand_type,
                    r.description,
                    r.team,
                    r.owner_name,
                    r.due_on,
                    r.state,
                    r.answer,
                    r.reject_reason,
                    r.created_at,
                    is_overdue(r.state, r.due_on, today),
                )
                for r, name in session.execute(statement)
            ]
        if overdue_only:
            rows = [row for row in rows if row.overdue]
        rows.sort(
            key=lambda r: (ReferralState(r.state) in CLOSED, not r.overdue, r.due_on or date.max)
        )
        return rows
