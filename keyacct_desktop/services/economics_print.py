"""Build and print the 电费催缴通知单 and the basic-charge advice sheet for one customer.

Printing a notice is a follow-up step: it is logged as a written reminder (``arrears_action``
of kind ``written``) carrying the notice number, in the same action.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from keyacct_desktop.domain.billing import rules_from_settings
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.printing.base import Letterhead
from keyacct_desktop.printing.economics import (
    AdviceSheetView,
    ArrearsNoticeView,
    load_notice_template,
    render_advice_sheet,
    render_arrears_notice,
)
from keyacct_desktop.services.economics import customer_economics, log_action
from keyacct_desktop.services.monthly_history import customer_history
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Contact, Customer, Grid, User


def _people(store: Store, customer_id: uuid.UUID) -> dict[str, str]:
    """Address, the customer's finance (else primary) contact, and the manager's name/phone."""
    with store.read() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise UserError("找不到该客户", "customer not found")
        manager: User | None = customer.manager
        if manager is None and customer.grid_id is not None:
            grid = session.get(Grid, customer.grid_id)
            manager = grid.manager if grid else None
        contacts = list(session.scalars(select(Contact).where(Contact.customer_id == customer_id)))
        contact = next(
            (c for c in contacts if c.role == "finance"),
            next((c for c in contacts if c.is_primary), contacts[0] if contacts else None),
        )
        return {
            "name": customer.name,
            "account_no": customer.account_no,
            "address": customer.address or "",
            "contact": (
                f"{contact.name} {contact.mobile or contact.landline or ''}".strip()
                if contact
                else ""
            ),
            "manager_name": manager.display_name if manager else "",
            "manager_phone": (manager.phone or "") if manager else "",
        }


def arrears_notice_view(
    store: Store, settings: Any, customer_id: uuid.UUID, today: date
) -> ArrearsNoticeView:
    """The notice's content: every month of the last 12 that closed with arrears."""
    people = _people(store, customer_id)
    history = customer_history(store, customer_id, months=12)
    owing = [r for r in history if (r.arrears_yuan or 0) > 0.005]
    if not history or (history[-1].arrears_yuan or 0) <= 0.005:
        raise UserError(
            f"{people['name']} 最近一个月没有欠费,无需催缴",
            "the customer owes nothing in the latest month",
        )
    # the latest month's balance is what is owed; older months show how it built up
    amount = float(history[-1].arrears_yuan or 0)
    return ArrearsNoticeView(
        number=f"CJ{today:%Y%m%d}-{people['account_no']}",
        customer_id=str(customer_id),
        customer_name=people["name"],
        account_no=people["account_no"],
        address=people["address"],
        contact=people["contact"],
        as_of=today,
        pay_by=today + timedelta(days=int(settings.get("arrears.pay_within_days"))),
        months=tuple(
            (r.month, r.bill_yuan, r.paid_yuan, float(r.arrears_yuan or 0), r.overdue_days)
            for r in owing
        ),
        amount=amount,
        manager_name=people["manager_name"],
        manager_phone=people["manager_phone"],
        suspension_notice_days=int(settings.get("arrears.suspension_notice_days")),
    )


#: Where an administrator puts the notice's wording for the province (under the data folder).
NOTICE_OVERRIDE = Path("templates") / "notices" / "arrears_notice.toml"


def notice_template(settings: Any) -> dict[str, Any]:
    """The administrator's wording (``<data dir>/templates/notices/arrears_notice.toml``) when
    there is one, else the bundled one; a broken override is an error naming the file, never
    silently replaced by the bundled text."""
    settings_path = getattr(settings, "path", None)
    if settings_path is not None and (settings_path.parent / NOTICE_OVERRIDE).is_file():
        return load_notice_template(settings_path.parent / NOTICE_OVERRIDE)
    return load_notice_template()


def print_arrears_notice(
    store: Store, settings: Any, customer_id: uuid.UUID, today: date, target: Path | None = None
) -> tuple[ArrearsNoticeView, bytes]:
    """Render the notice (to ``target`` if given) and log it as a written reminder."""
    view = arrears_notice_view(store, settings, customer_id, today)
    pdf = render_arrears_notice(
        view, Letterhead.from_settings(settings), notice_template(settings), target=target
    )
    log_action(
        store,
        customer_id,
        "written",
        today,
        contact_name=view.contact,
        amount_yuan=view.amount,
        note=f"催缴通知单 {view.number},限 {view.pay_by:%Y-%m-%d} 前缴清",
        notice_number=view.number,
    )
    return view, pdf


def advice_sheet_view(
    store: Store, settings: Any, customer_id: uuid.UUID, today: date
) -> AdviceSheetView:
    economics = customer_economics(store, settings, customer_id)
    if economics.advice is None:
        zh, en = economics.advice_unavailable or ("无法测算", "no advice")
        raise UserError(zh, en)
    people = _people(store, customer_id)
    rules = rules_from_settings(settings)
    return AdviceSheetView(
        customer_id=str(customer_id),
        customer_name=economics.name,
        account_no=economics.account_no,
        capacity_kva=float(economics.capacity_kva or 0),
        advice=economics.advice,
        issued_on=today,
        manager_name=people["manager_name"],
        manager_phone=people["manager_phone"],
        floor_share=rules.demand_floor_share,
        tolerance=rules.demand_tolerance,
        power_factor_note=economics.power_factor.message_zh if economics.power_factor else None,
    )


def print_advice_sheet(
    store: Store, settings: Any, customer_id: uuid.UUID, today: date, target: Path | None = None
) -> tuple[AdviceSheetView, bytes]:
    view = advice_sheet_view(store, settings, customer_id, today)
    return view, render_advice_sheet(view, Letterhead.from_settings(settings), target=target)
