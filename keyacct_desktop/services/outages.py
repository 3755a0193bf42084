"""Outage notices (停电通知): an outage event issued with a notice per customer concerned,
delivered, acknowledged, reminded, postponed or cancelled (``OutageService``)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyacct_desktop.domain.documents import (
    OutageNoticeView,
    OutageView,
)
from keyacct_desktop.domain.enums import OutageKind
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.services.documents import _get, _manager, document_number
from keyacct_desktop.store.models import (
    Customer,
    OutageEvent,
    OutageNotice,
    PowerSource,
)


class OutageService:
    """Planned, temporary and fault outages: lead-time rules, one notice per customer."""

    def __init__(self, store: Any, settings: Any) -> None:
        self.store = store
        self.settings = settings

    def affected_customers(
        self, substation: str | None = None, lines: list[str] | None = None
    ) -> list[uuid.UUID]:
        """Customers fed from ``substation`` and/or any of ``lines`` (through their power sources)."""
        if not substation and not lines:
            return []
        statement = select(PowerSource.customer_id).distinct()
        if substation:
            statement = statement.where(PowerSource.substation == substation)
        if lines:
            statement = statement.where(PowerSource.line.in_(lines))
        with self.store.read() as session:
            return list(session.scalars(statement))

    def known_feeders(self) -> tuple[list[str], list[str]]:
        """The substations and lines customers are fed from, for picking them by name."""
        with self.store.read() as session:
            substations = session.scalars(
                select(PowerSource.substation)
                .where(PowerSource.substation.is_not(None))
                .distinct()
                .order_by(PowerSource.substation)
            ).all()
            lines = session.scalars(
                select(PowerSource.line)
                .where(PowerSource.line.is_not(None))
                .distinct()
                .order_by(PowerSource.line)
            ).all()
        return [s for s in substations if s], [line for line in lines if line]

    def check_lead_time(
        self, kind: OutageKind, starts_at: datetime, ends_at: datetime, now: datetime
    ) -> None:
        if ends_at <= starts_at:
            raise UserError(
                "停电结束时间必须晚于开始时间",
                "the outage must end after it starts",
                field="ends_at",
            )
        if kind == OutageKind.PLANNED:
            days = int(self.settings.get("outage.planned_notice_days"))
            if starts_at - now < timedelta(days=days):
                raise UserError(
                    f"计划停电须提前 {days} 天通知:开始时间 {starts_at:%Y-%m-%d %H:%M} 距现在不足 {days} 天"
                    "(如属故障停电,请选择“故障停电”)",
                    f"a planned outage must be notified {days} days ahead; {starts_at:%Y-%m-%d %H:%M} is sooner "
                    "(choose 'fault outage' if it is one)",
                    field="starts_at",
                )
        elif kind == OutageKind.TEMPORARY:
            hours = int(self.settings.get("outage.temporary_notice_hours"))
            if starts_at - now < timedelta(hours=hours):
                raise UserError(
                    f"临时停电须提前 {hours} 小时通知重要用户:开始时间距现在不足 {hours} 小时",
                    f"a temporary outage must be notified {hours} hours ahead; the start is sooner",
                    field="starts_at",
                )

    def issue(
        self,
        *,
        kind: OutageKind | str,
        starts_at: datetime,
        ends_at: datetime,
        area: str,
        reason: str,
        customer_ids: list[uuid.UUID],
        substation: str | None = None,
        lines: list[str] | None = None,
        created_by: uuid.UUID | None = None,
        now: datetime | None = None,
        postponed_from: str | None = None,
    ) -> OutageView:
        """Create and issue the outage with one numbered notice per affected customer.

        ``postponed_from`` (the old period) makes it the new time of a postponed outage; the
        notices then say so (kept in the frozen reason: 原定…改期)."""
        kind = OutageKind(kind)
        now = now or datetime.now()
        if not area.strip():
            raise UserError("请填写停电范围", "the affected area is required", field="area")
        if not reason.strip():
            raise UserError("请填写停电原因", "the reason is required", field="reason")
        unique_ids = list(dict.fromkeys(customer_ids))
        if not unique_ids:
            raise UserError(
                "请至少选择一个受影响的客户",
                "select at least one affected customer",
                field="customers",
            )
        self.check_lead_time(kind, starts_at, ends_at, now)
        with self.store.begin() as session:
            found = set(session.scalars(select(Customer.id).where(Customer.id.in_(unique_ids))))
            missing = [str(i) for i in unique_ids if i not in found]
            if missing:
                raise UserError(
                    f"有 {len(missing)} 个客户不存在", f"{len(missing)} customers do not exist"
                )
            event = OutageEvent(
                kind=kind.value,
                starts_at=starts_at,
                ends_at=ends_at,
                area=area.strip(),
                reason=reason.strip()
                + (f"(原定{postponed_from}的停电改期)" if postponed_from else ""),
                substation=substation,
                lines=list(lines or []),
                created_by=created_by,
            )
            event.number = document_number("TD", event.id, now.date())
            for index, customer_id in enumerate(unique_ids, start=1):
                event.notices.append(
                    OutageNotice(customer_id=customer_id, number=f"{event.number}-{index:03d}")
                )
            event.status = "issued"
            event.issued_at = now
            session.add(event)
            event_id = event.id
        return self.view(event_id)

    def cancel(self, event_id: uuid.UUID, now: datetime | None = None) -> OutageView:
        """Cancel an issued outage that has not started: its notices then say so."""
        now = now or datetime.now()
        with self.store.begin() as session:
            event = self._changeable(session, event_id, now)
            event.status = "cancelled"
        return self.view(event_id)

    def postpone(
        self,
        event_id: uuid.UUID,
        starts_at: datetime,
        ends_at: datetime,
        now: datetime | None = None,
    ) -> OutageView:
        """Move an issued outage to a new time: a new outage (new numbers, the notice rules of
        its kind) is issued for the same customers, the old one is marked postponed."""
        now = now or datetime.now()
        with self.store.read() as session:
            old = self._changeable(session, event_id, now)
            kind, area, reason = old.kind, old.area, old.reason
            substation, lines = old.substation, list(old.lines)
            customers = [n.customer_id for n in old.notices]
            was = f"{old.starts_at:%Y年%m月%d日 %H:%M}至{old.ends_at:%Y年%m月%d日 %H:%M}"
        new = self.issue(
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            area=area,
            reason=reason,
            customer_ids=customers,
            substation=substation,
            lines=lines,
            now=now,
            postponed_from=was,
        )
        with self.store.begin() as session:
            session.get(OutageEvent, event_id).status = "postponed"
        return new

    @staticmethod
    def _changeable(session: Session, event_id: uuid.UUID, now: datetime) -> OutageEvent:
        event = _get(session, OutageEvent, event_id, "停电事件", "outage")
        if event.status != "issued":
            raise UserError(
                "只有已出具且未变更的停电才能取消或改期",
                "only an issued, unchanged outage can be cancelled or postponed",
            )
        if event.starts_at <= now:
            raise UserError(
                "停电已经开始,不能取消或改期", "the outage has started: it cannot be changed"
            )
        return event

    def record_delivery(
        self,
        notice_id: uuid.UUID,
        method: str,
        by: str,
        at: datetime | None = None,
        *,
        accept_late: bool = False,
        now: datetime | None = None,
    ) -> None:
        """Record that the notice reached the customer; impossible or late dates are refused
        (a late planned-outage delivery only when ``accept_late``: the manager confirmed it)."""
        now = now or datetime.now()
        at = at or now
        with self.store.begin() as session:
            notice = _get(session, OutageNotice, notice_id, "停电通知", "outage notice")
            event = notice.event
            if event.issued_at is not None and at < event.issued_at:
                raise UserError(
                    f"送达时间 {at:%Y-%m-%d %H:%M} 早于通知出具时间 {event.issued_at:%Y-%m-%d %H:%M}",
                    f"delivered at {at:%Y-%m-%d %H:%M}, before the notice was issued "
                    f"({event.issued_at:%Y-%m-%d %H:%M})",
                    field="delivered_at",
                )
            if at > now + timedelta(minutes=5):
                raise UserError(
                    f"送达时间 {at:%Y-%m-%d %H:%M} 晚于现在",
                    "the delivery time is in the future",
                    field="delivered_at",
                )
            least = int(self.settings.get("outage.delivery_min_days"))
            if (
                event.kind == OutageKind.PLANNED.value
                and event.starts_at - at < timedelta(days=least)
                and not accept_late
            ):
                raise UserError(
                    f"计划停电通知应在停电前 {least} 天以上送达,本次送达距停电开始不足 {least} 天;"
                    "如确属逾期送达,请确认后再记录",
                    f"a planned-outage notice is due at least {least} days ahead; this delivery "
                    "is later: confirm to record it as late",
                    field="delivered_at",
                )
            notice.delivered_at = at
            notice.delivery_method = method
            notice.delivered_by = by

    def record_acknowledgement(
        self, notice_id: uuid.UUID, by: str, at: datetime | None = None
    ) -> None:
        if not by.strip():
            raise UserError(
                "请填写签收人", "enter who acknowledged the notice", field="acknowledged_by"
            )
        with self.store.begin() as session:
            notice = _get(session, OutageNotice, notice_id, "停电通知", "outage notice")
            notice.acknowledged_at = at or datetime.now()
            notice.acknowledged_by = by.strip()

    def reminders_due(self, now: datetime | None = None) -> list[OutageNoticeView]:
        """Notices whose outage starts within the reminder window and that were not reminded yet."""
        now = now or datetime.now()
        window = timedelta(minutes=int(self.settings.get("outage.remind_minutes")))
        with self.store.read() as session:
            rows = session.scalars(
                select(OutageNotice)
                .join(OutageEvent, OutageEvent.id == OutageNotice.event_id)
                .where(
                    OutageEvent.starts_at > now,
                    OutageEvent.starts_at <= now + window,
                    OutageNotice.reminded_at.is_(None),
                )
            ).all()
            return [self._notice_view(n) for n in rows]

    def mark_reminded(self, notice_id: uuid.UUID, at: datetime | None = None) -> None:
        with self.store.begin() as session:
            _get(session, OutageNotice, notice_id, "停电通知", "outage notice").reminded_at = (
                at or datetime.now()
            )

    @staticmethod
    def _notice_view(notice: OutageNotice) -> OutageNoticeView:
        customer = notice.customer
        contact = next((c for c in customer.contacts if c.is_primary), None) or next(
            iter(customer.contacts), None
        )
        return OutageNoticeView(
            id=notice.id,
            number=notice.number or "",
            customer_id=customer.id,
            customer_name=customer.name,
            account_no=customer.account_no,
            address=customer.address,
            contact=f"{contact.name} {contact.mobile or contact.landline or ''}".strip()
            if contact
            else "",
            delivered_at=notice.delivered_at,
            delivery_method=notice.delivery_method,
            acknowledged_at=notice.acknowledged_at,
            acknowledged_by=notice.acknowledged_by,
            reminded_at=notice.reminded_at,
            manager=_manager(customer),
        )

    def view(self, event_id: uuid.UUID) -> OutageView:
        with self.store.read() as session:
            event = _get(session, OutageEvent, event_id, "停电事件", "outage")
            notices = sorted(event.notices, key=lambda n: n.number or "")
            return OutageView(
                id=event.id,
                number=event.number,
                kind=OutageKind(event.kind),
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                area=event.area,
                substation=event.substation,
                lines=tuple(event.lines),
                reason=event.reason,
                status=event.status,
                issued_at=event.issued_at,
                notices=tuple(self._notice_view(n) for n in notices),
            )

    def list(self) -> list[tuple[uuid.UUID, str | None, str, datetime, str, int]]:
        with self.store.read() as session:
            events = session.scalars(
                select(OutageEvent).order_by(OutageEvent.starts_at.desc())
            ).all()
            return [(e.id, e.number, e.kind, e.starts_at, e.area, len(e.notices)) for e in events]
