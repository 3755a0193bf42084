"""``GET /verify/<number>``: the page a document's QR code opens (plain HTML in Chinese).

Anyone holding a printed checklist, plan handout, outage notice or visit report can check it: the page
shows the issuer, the date, the customer (masked: no customer data leaks to a stranger),
whether the printed verification code matches what was issued, and whether the document has
been superseded or cancelled. It reads the synced rows only and never changes anything.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from html import escape
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyacct_desktop.domain.codes import VISIT_NUMBER, verification_code
from keyacct_desktop.domain.punctuation import zh_punct
from keyacct_desktop.server.models import SyncRow

#: Synced tables whose rows carry a printed ``number``, and what they are called.
KINDS = {
    "checklist": "一次性告知书",
    "supply_plan": "供电方案答复单",
    "outage_notice": "停电通知",
    "visit": "大客户走访报告",
}
STATUS = {
    "issued": "有效",
    "superseded": "已被替代",
    "cancelled": "已取消",
    "postponed": "已改期(以改期通知为准)",
    "draft": "未出具",
}


def mask_name(name: str) -> str:
    """示范科技有限公司 -> 示范****有限公司: enough to recognise, not to harvest."""
    name = name or ""
    if len(name) <= 2:
        return name[:1] + "*"
    keep_tail = 4 if len(name) > 8 else 1
    return name[:2] + "*" * max(1, len(name) - 2 - keep_tail) + name[-keep_tail:]


def _canonical_hash(content: Any) -> str:
    canonical = json.dumps(
        content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _find_visit(session: Session, number: str) -> SyncRow | None:
    """A visit by its report number (ZF + day + id prefix: derived, not stored)."""
    match = VISIT_NUMBER.match(number.strip().upper())
    if match is None:
        return None
    year, month, day, prefix = match.groups()
    rows = session.scalars(
        select(SyncRow).where(
            SyncRow.table_name == "visit",
            SyncRow.deleted.is_(False),
            SyncRow.data["started_at"].as_string().like(f"{year}-{month}-{day}%"),
        )
    )
    found = [row for row in rows if row.row_id.hex[:6].upper() == prefix]
    return found[0] if len(found) == 1 else None


def _find(session: Session, number: str) -> tuple[str, SyncRow] | None:
    if number.upper().startswith("ZF"):
        visit = _find_visit(session, number)
        return ("visit", visit) if visit is not None else None
    for table in KINDS:
        if table == "visit":
            continue
        row = session.scalars(
            select(SyncRow).where(
                SyncRow.table_name == table,
                SyncRow.deleted.is_(False),
                SyncRow.data["number"].as_string() == number,
            )
        ).first()
        if row is not None:
            return table, row
    return None


def _row(session: Session, table: str, row_id: Any) -> dict[str, Any]:
    try:
        key = uuid.UUID(str(row_id))
    except ValueError:
        return {}
    row = session.get(SyncRow, (table, key))
    return dict(row.data) if row is not None and not row.deleted else {}


def verify(session: Session, number: str, code: str) -> tuple[int, list[tuple[str, str]]]:
    """(HTTP status, the lines of the answer) for a printed number and verification code."""
    found = _find(session, number)
    if found is None:
        return 404, [("结果", "未找到该编号的文书,请核对编号;如有疑问请拨打 95598。")]
    table, row = found
    data = dict(row.data)
    if table == "visit":
        return 200, _visit_lines(session, row, data, number, code)
    status = str(data.get("status") or "")
    if table == "outage_notice":
        event = _row(session, "outage_event", data.get("event_id"))
        content_ok = True
        seed = str(row.row_id)
        status = str(event.get("status") or status or "issued")
        issued_at, issuer_id = event.get("issued_at"), event.get("created_by")
        customer = _row(session, "customer", data.get("customer_id")).get("name", "")
    else:
        content = data.get("snapshot") if table == "checklist" else data.get("data")
        stored_hash = str(data.get("content_hash") or "")
        content_ok = bool(stored_hash) and _canonical_hash(content) == stored_hash
        seed = stored_hash
        issued_at, issuer_id = data.get("issued_at"), data.get("issued_by")
        customer = ((content or {}).get("customer") or {}).get("name", "")
    issuer = _row(session, "user", issuer_id).get("display_name") if issuer_id else ""
    matches = content_ok and bool(code) and code.strip().upper() == verification_code(seed)
    if not code:
        verdict = "未提供校验码:请扫描文书上的二维码,或输入编号旁的校验码"
    elif matches:
        verdict = "校验码一致:所持文书与出具时的内容相符"
    else:
        verdict = "校验码不一致:所持文书与出具时的内容不符,请联系客户经理核实"
    lines = [
        ("文书", KINDS[table]),
        ("编号", number),
        ("出具日期", str(issued_at or "")[:10]),
        ("出具人", str(issuer or "")),
        ("客户", mask_name(str(customer))),
        ("状态", STATUS.get(status, status)),
        ("核验结果", verdict),
    ]
    if status == "superseded":
        lines.append(("说明", "本文书已被更正版本替代,请以最新版本为准"))
    return 200, lines


def _visit_lines(
    session: Session, row: SyncRow, data: dict[str, Any], number: str, code: str
) -> list[tuple[str, str]]:
    """What a visit report's QR may tell anyone: number, date, customer (masked), manager,
    signed or not, and whether the code matches. Never findings, demands or scores."""
    customer = _row(session, "customer", data.get("customer_id"))
    manager_id = data.get("manager_id") or customer.get("manager_id")
    manager = _row(session, "user", manager_id).get("display_name") if manager_id else ""
    completed = data.get("status") == "completed"
    matches = completed and code.strip().upper() == verification_code(str(row.row_id))
    if not code:
        verdict = "未提供校验码:请扫描报告上的二维码,或输入编号旁的校验码"
    elif matches:
        verdict = "校验码一致:该走访报告由本系统出具"
    else:
        verdict = "校验码不一致:请联系客户经理核实"
    return [
        ("文书", KINDS["visit"]),
        ("编号", number.strip().upper()),
        ("走访日期", str(data.get("started_at") or "")[:10]),
        ("客户经理", str(manager or "")),
        ("客户", mask_name(str(customer.get("name") or ""))),
        ("客户签字", "已签字" if data.get("signature_id") else "未签字"),
        ("状态", "已完成" if completed else "未完成"),
        ("核验结果", verdict),
    ]


def page(lines: list[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(zh_punct(v))}</td></tr>" for k, v in lines)
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>文书核验</title></head><body><h1>文书核验</h1>"
        f"<table>{rows}</table></body></html>"
    )


def register(app: FastAPI, run_db: Callable[[Callable[[Session], Any]], Any]) -> None:
    """Add ``GET /verify/{number}`` to the server, reading through its ``run_db``."""

    @app.get("/verify/{number}", response_class=HTMLResponse, include_in_schema=False)
    async def verify_page(number: str, c: str = "") -> HTMLResponse:
        status, lines = await run_db(lambda session: verify(session, number[:48], c[:16]))
        return HTMLResponse(page(lines), status_code=status)
