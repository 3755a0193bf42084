"""``keyacct print KIND ID -o FILE.pdf``: print documents headless, for batch use.

Document kinds are registered in :data:`DOCUMENT_KINDS` as ``kind -> (help, render)``
where ``render(ctx, document_id, path)`` writes the PDF. Other areas add their kinds here
(e.g. ``visit-report``) with :func:`register_kind`.
"""

from __future__ import annotations

import argparse
import re
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from keyacct_desktop.domain.errors import UserError

Renderer = Callable[[Any, uuid.UUID, Path], None]
DOCUMENT_KINDS: dict[str, tuple[str, Renderer]] = {}


def register_kind(kind: str, help_text: str, render: Renderer) -> None:
    DOCUMENT_KINDS[kind] = (help_text, render)


def _checklist(ctx: Any, document_id: uuid.UUID, path: Path) -> None:
    from keyacct_desktop.printing.base import Letterhead
    from keyacct_desktop.printing.documents import render_checklist
    from keyacct_desktop.services.checklists import ChecklistService

    render_checklist(
        ChecklistService(ctx.store, ctx.settings).view(document_id),
        Letterhead.from_settings(ctx.settings),
        path,
    )


def _plan(ctx: Any, document_id: uuid.UUID, path: Path) -> None:
    from keyacct_desktop.printing.base import Letterhead
    from keyacct_desktop.printing.documents import render_plan
    from keyacct_desktop.services.plans import SupplyPlanService

    render_plan(
        SupplyPlanService(ctx.store, ctx.settings).view(document_id),
        Letterhead.from_settings(ctx.settings),
        path,
    )


def _outage(ctx: Any, document_id: uuid.UUID, path: Path) -> None:
    from keyacct_desktop.printing.base import Letterhead
    from keyacct_desktop.printing.documents import render_outage_notices
    from keyacct_desktop.services.outages import OutageService

    render_outage_notices(
        OutageService(ctx.store, ctx.settings).view(document_id),
        Letterhead.from_settings(ctx.settings),
        path,
        repair_minutes=dict(ctx.settings.get("outage.repair_arrival_minutes")),
    )


def _visit_report(ctx: Any, document_id: uuid.UUID, path: Path) -> None:
    from keyacct_desktop.printing.base import Letterhead
    from keyacct_desktop.printing.visits import render_visit_report
    from keyacct_desktop.services.visits import VisitLogService, load_report

    service = VisitLogService(ctx.store, ctx.settings, ctx.attachment_files)
    render_visit_report(
        load_report(service, document_id), Letterhead.from_settings(ctx.settings), path
    )


register_kind("checklist", "一次性告知书 / one-shot notification checklist", _checklist)
register_kind("plan", "供电方案答复单 / technical plan handout", _plan)
register_kind("outage", "停电通知(每户一页)/ outage notices, one page per customer", _outage)


def _notice(ctx: Any, document_id: uuid.UUID, path: Path) -> None:
    """One customer's outage notice (reprinted by its own number, TD…-001)."""
    import dataclasses

    from keyacct_desktop.printing.base import Letterhead
    from keyacct_desktop.printing.documents import render_outage_notices
    from keyacct_desktop.services.outages import OutageService
    from keyacct_desktop.store.models import OutageNotice

    with ctx.store.read() as session:
        notice = session.get(OutageNotice, document_id)
        if notice is None:
            raise UserError(
                f"找不到停电通知:{document_id}", f"outage notice not found: {document_id}"
            )
        event_id = notice.event_id
    view = OutageService(ctx.store, ctx.settings).view(event_id)
    view = dataclasses.replace(view, notices=tuple(n for n in view.notices if n.id == document_id))
    render_outage_notices(
        view,
        Letterhead.from_settings(ctx.settings),
        path,
        repair_minutes=dict(ctx.settings.get("outage.repair_arrival_minutes")),
    )


register_kind("visit-report", "走访报告 / visit report", _visit_report)
register_kind("notice", "单户停电通知 / one customer's outage notice", _notice)


def _load_plugins() -> None:
    """Kinds contributed by other areas register themselves when their module is imported."""
    import importlib

    for module in ("keyacct_desktop.printing.visit_report",):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise


def _numbered_models() -> dict[str, Any]:
    """Kinds whose documents carry a printed number (GZ…, FA…, TD…) that may stand for the id."""
    from keyacct_desktop.store.models import Checklist, OutageEvent, OutageNotice, SupplyPlan, Visit

    return {
        "checklist": Checklist,
        "plan": SupplyPlan,
        "outage": OutageEvent,
        "notice": OutageNotice,
        "visit-report": Visit,
    }


def visit_number(visit: Any) -> str:
    """The number printed on a visit report: ZF + visit day + the start of its id."""
    from keyacct_desktop.domain.codes import visit_report_number

    return visit_report_number(visit.started_at, visit.id)


def _label(ctx: Any, kind: str, document_id: uuid.UUID) -> tuple[str, str]:
    """(printed number, customer or area) of a document: file names and PDF bookmarks."""
    from keyacct_desktop.store.models import Customer, Visit

    model = _numbered_models().get(kind)
    with ctx.store.read() as session:
        row = session.get(model, document_id) if model is not None else None
        if row is None:
            return str(document_id)[:8], ""
        if isinstance(row, Visit):
            number = visit_number(row)
        else:
            number = getattr(row, "number", None) or f"草稿-{str(document_id)[:8]}"
        customer_id = getattr(row, "customer_id", None)
        who = session.get(Customer, customer_id).name if customer_id else getattr(row, "area", "")
    return number, who


def _resolve(ctx: Any, kind: str, values: list[str]) -> list[uuid.UUID]:
    """Ids from UUIDs or, for numbered kinds, from the number printed on the document."""
    from sqlalchemy import select

    model = _numbered_models().get(kind)
    ids = []
    for value in values:
        try:
            ids.append(uuid.UUID(value))
            continue
        except ValueError:
            pass
        if model is None:
            raise UserError("文书编号应为 UUID 格式", "document ids must be UUIDs")
        with ctx.store.read() as session:
            if kind == "visit-report":  # ZF<day>-<id prefix>: the number is derived, not stored
                found = [
                    v.id
                    for v in session.scalars(select(model))
                    if visit_number(v) == value.strip().upper()
                ]
            else:
                found = session.scalars(select(model.id).where(model.number == value.strip())).all()
        if len(found) != 1:
            raise UserError(
                f"找不到编号为 {value} 的文书(可用 UUID 或文书编号)",
                f"no document numbered {value} (give its UUID or its printed number)",
            )
        ids.append(found[0])
    return ids


def _list(ctx: Any, kind: str) -> None:
    """Print ``number  id  customer/area  status`` of every document of ``kind``."""
    from keyacct_desktop.services.checklists import ChecklistService
    from keyacct_desktop.services.outages import OutageService
    from keyacct_desktop.services.plans import SupplyPlanService

    if kind == "checklist":
        rows = [
            (n or "(草稿/draft)", i, c, s)
            for i, n, c, _t, _v, s in ChecklistService(ctx.store, ctx.settings).list()
        ]
    elif kind == "plan":
        rows = [
            (n or "(草稿/draft)", i, c, s)
            for i, n, c, _v, s, _u in SupplyPlanService(ctx.store, ctx.settings).list()
        ]
    elif kind == "outage":
        rows = [
            (n or "", i, f"{a} {start:%Y-%m-%d %H:%M}", f"{count} 户/customers")
            for i, n, _k, start, a, count in OutageService(ctx.store, ctx.settings).list()
        ]
    else:
        raise UserError(f"“{kind}”不支持列出", f"--list is not available for {kind}")
    for number, document_id, who, status in rows:
        print(f"{number}\t{document_id}\t{who}\t{status}")


def _file_name(number: str, who: str) -> str:
    """``GZ20261202-3541CB-华东精密科技有限公司.pdf``: safe on Windows and Linux alike."""
    name = f"{number}-{who}" if who else number
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name)[:120] + ".pdf"


def _combined(
    ctx: Any,
    render: Renderer,
    ids: list[uuid.UUID],
    labels: list[tuple[str, str]],
    output: Path,
) -> None:
    """Several documents in one PDF, each with a bookmark "number customer"."""
    import tempfile

    from pypdf import PdfWriter

    writer = PdfWriter()
    with tempfile.TemporaryDirectory(prefix="keyacct-print-") as folder:
        for index, (document_id, (number, who)) in enumerate(zip(ids, labels, strict=True)):
            part = Path(folder) / f"{index:04d}.pdf"
            render(ctx, document_id, part)
            writer.append(str(part), outline_item=f"{number} {who}".strip())
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("wb") as handle:
            writer.write(handle)


def register(subparsers: argparse._SubParsersAction) -> None:
    _load_plugins()
    parser = subparsers.add_parser(
        "print",
        help="print a document to PDF (batch use)",
        description="The PDFs are not encrypted: keep them with care.",
    )
    parser.add_argument("kind", choices=sorted(DOCUMENT_KINDS), help="document kind")
    parser.add_argument(
        "ids", nargs="*", help="document UUID(s), or the printed number (GZ…, FA…, TD…)"
    )
    parser.add_argument(
        "-o",
        "--output",
        help="FILE.pdf (several ids: one PDF with a bookmark each) or a folder (one file per "
        "document, named by number and customer)",
    )
    parser.add_argument(
        "--list", action="store_true", help="list the documents of this kind with their ids"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.printing.fonts import MISSING_MARK, collect_missing

    if not args.list and (not args.ids or not args.output):
        raise UserError(
            "请给出文书编号和输出文件:keyacct print KIND ID… -o FILE.pdf(或 --list 列出文书)",
            "give document ids and an output: keyacct print KIND ID… -o FILE.pdf "
            "(or --list to list the documents)",
        )
    if not args.list:
        for value in args.ids:  # refuse garbage before opening (and maybe unlocking) the store
            if args.kind not in _numbered_models():
                try:
                    uuid.UUID(value)
                except ValueError:
                    raise UserError(
                        "文书编号应为 UUID 格式", "document ids must be UUIDs"
                    ) from None
    _, render = DOCUMENT_KINDS[args.kind]
    ctx = AppContext.open_headless(args.data_dir)
    try:
        if args.list:
            _list(ctx, args.kind)
            return 0
        ids = _resolve(ctx, args.kind, args.ids)
        output = Path(args.output)
        labels = [_label(ctx, args.kind, document_id) for document_id in ids]
        with collect_missing() as missing:
            if len(ids) == 1 and output.suffix.lower() == ".pdf":
                render(ctx, ids[0], output)
                print(output)
            elif output.suffix.lower() == ".pdf":  # one PDF, a bookmark per document
                _combined(ctx, render, ids, labels, output)
                print(output)
            else:  # a folder of files named by number and customer
                output.mkdir(parents=True, exist_ok=True)
                for document_id, (number, who) in zip(ids, labels, strict=True):
                    target = output / _file_name(number, who)
                    render(ctx, document_id, target)
                    print(target)
        if missing:
            chars = "、".join(sorted(missing))
            print(
                f"注意:字库中没有“{chars}”,打印件上这些字印为“{MISSING_MARK}”,请在纸面上手写补正"
                f" / note: the font has no {chars}; printed as {MISSING_MARK}, write them in",
                file=sys.stderr,
            )
        print(
            "注意:PDF 文件未加密,请妥善保管 / note: the PDF files are not encrypted",
            file=sys.stderr,
        )
    finally:
        ctx.close()
    return 0
