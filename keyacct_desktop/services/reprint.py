"""Reprint by printed number: find a document from the number a manager types or scans, and
lay it out again exactly as the ``keyacct print`` command does (same number, same content;
a superseded copy carries its 已被替代 mark).

Numbers: GZ… one-shot checklist, FA… plan handout, TD… an outage (every customer's notice)
or TD…-NNN one customer's notice, ZF… a visit report. A scanned QR code gives the number
too: ``…/verify/<number>?c=<code>`` or ``KEYACCT:<number>:<code>``.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import select

from keyacct_desktop.domain.codes import VISIT_NUMBER, visit_report_number
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.printing.base import Letterhead
from keyacct_desktop.store.models import (
    Checklist,
    Customer,
    OutageEvent,
    OutageNotice,
    SupplyPlan,
    Visit,
)

#: Document kinds as ``keyacct print`` names them, and what they are called (zh, en).
KIND_NAMES = {
    "checklist": ("一次性告知书", "one-shot notification"),
    "plan": ("供电方案答复单", "technical plan handout"),
    "outage": ("停电通知（全部客户）", "outage notices (every customer)"),
    "notice": ("停电通知", "outage notice"),
    "visit-report": ("走访报告", "visit report"),
}


@dataclass(frozen=True)
class FoundDocument:
    kind: str  # a key of KIND_NAMES (the ``keyacct print`` kind)
    id: uuid.UUID
    number: str
    who: str  # the customer, or the outage area
    status: str

    def title(self, language: str = "zh") -> str:
        zh, en = KIND_NAMES[self.kind]
        return f"{en if language.startswith('en') else zh} {self.number}"


def number_from_scan(text: str) -> str:
    """The printed number in what was typed or scanned (a number, or a QR code's text)."""
    value = text.strip()
    if value.upper().startswith("KEYACCT:"):
        value = value.split(":")[1] if value.count(":") >= 1 else ""
    elif "/verify/" in value:
        value = unquote(urlsplit(value).path.rsplit("/verify/", 1)[-1])
    value = value.strip().strip("/")
    return value.upper() if value[:2].upper() in ("GZ", "FA", "TD", "ZF") else value


def find_by_number(store: Any, text: str) -> FoundDocument:
    """The one document with this printed number (UserError when none or unclear)."""
    number = number_from_scan(text)
    if not number:
        raise UserError("请输入或扫描文书编号", "type or scan a document number", field="number")
    found: list[FoundDocument] = []
    with store.read() as session:
        match = VISIT_NUMBER.match(number)
        if match is not None:
            year, month, day, _prefix = match.groups()
            rows = session.execute(
                select(Visit.id, Visit.started_at, Visit.status, Customer.name)
                .join(Customer, Customer.id == Visit.customer_id)
                .where(Visit.started_at.like(f"{year}-{month}-{day}%"))
            )
            found += [
                FoundDocument("visit-report", vid, number, name, status)
                for vid, started, status, name in rows
                if visit_report_number(started, vid) == number
            ]
        for kind, model in (("checklist", Checklist), ("plan", SupplyPlan)):
            rows = session.execute(
                select(model.id, model.status, Customer.name)
                .join(Customer, Customer.id == model.customer_id)
                .where(model.number == number)
            )
            found += [FoundDocument(kind, i, number, name, s) for i, s, name in rows]
        rows = session.execute(
            select(OutageNotice.id, Customer.name, OutageEvent.status)
            .join(Customer, Customer.id == OutageNotice.customer_id)
            .join(OutageEvent, OutageEvent.id == OutageNotice.event_id)
            .where(OutageNotice.number == number)
        )
        found += [FoundDocument("notice", i, number, name, s) for i, name, s in rows]
        rows = session.execute(
            select(OutageEvent.id, OutageEvent.area, OutageEvent.status).where(
                OutageEvent.number == number
            )
        )
        found += [FoundDocument("outage", i, number, area or "", s) for i, area, s in rows]
    if len(found) != 1:
        raise UserError(
            f"找不到编号为 {number} 的文书，请核对编号（未同步到本机的文书需先同步）"
            if not found
            else f"编号 {number} 对应多份文书，请在相应页面中打印",
            f"no document is numbered {number} on this laptop (sync first if it was issued "
            "elsewhere)"
            if not found
            else f"several documents are numbered {number}: print it from its page",
            field="number",
        )
    return found[0]


def prepare(store: Any, settings: Any, files: Any, document: FoundDocument) -> Callable[[], bytes]:
    """Read the document now (this thread), return the layout to run on a worker."""
    from keyacct_desktop.printing.documents import (
        render_checklist,
        render_outage_notices,
        render_plan,
    )
    from keyacct_desktop.services.checklists import ChecklistService
    from keyacct_desktop.services.outages import OutageService
    from keyacct_desktop.services.plans import SupplyPlanService

    letterhead = Letterhead.from_settings(settings)
    if document.kind == "checklist":
        checklist = ChecklistService(store, settings).view(document.id)
        return lambda: render_checklist(checklist, letterhead)
    if document.kind == "plan":
        plan = SupplyPlanService(store, settings).view(document.id)
        return lambda: render_plan(plan, letterhead)
    if document.kind in ("outage", "notice"):
        repair = dict(settings.get("outage.repair_arrival_minutes"))
        event_id = document.id
        if document.kind == "notice":
            with store.read() as session:
                event_id = session.get(OutageNotice, document.id).event_id
        outage = OutageService(store, settings).view(event_id)
        if document.kind == "notice":
            outage = dataclasses.replace(
                outage, notices=tuple(n for n in outage.notices if n.id == document.id)
            )
        return lambda: render_outage_notices(outage, letterhead, repair_minutes=repair)
    from keyacct_desktop.printing.visits import render_visit_report
    from keyacct_desktop.services.visits import VisitLogService, load_report

    report = load_report(VisitLogService(store, settings, files), document.id)
    return lambda: render_visit_report(report, letterhead)
