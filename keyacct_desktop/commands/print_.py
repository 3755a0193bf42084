"""``keyacct print KIND ID -o FILE.pdf``: print documents headless, for batch use.

Document kinds are registered in :data:`DOCUMENT_KINDS` as ``kind -> (help, render)``
where ``render(ctx, document_id, path)`` writes the PDF. Other areas add their kinds here
(e.g. ``visit-report``) with :func:`register_kind`.
"""

from __future__ import annotations

import argparse
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
    from keyacct_desktop.services.documents import ChecklistService

    render_checklist(
        ChecklistService(ctx.store, ctx.settings).view(document_id),
        Letterhead.from_settings(ctx.settings),
        path,
    )


def _plan(ctx: Any, document_id: uuid.UUID, path: Path) -> None:
    from keyacct_desktop.printing.base import Letterhead
    from keyacct_desktop.printing.documents import render_plan
    from keyacct_desktop.services.documents import SupplyPlanService

    render_plan(
        SupplyPlanService(ctx.store, ctx.settings).view(document_id),
        Letterhead.from_settings(ctx.settings),
        path,
    )


def _outage(ctx: Any, document_id: uuid.UUID, path: Path) -> None:
    from keyacct_desktop.printing.base import Letterhead
    from keyacct_desktop.printing.documents import render_outage_notices
    from keyacct_desktop.services.documents import OutageService

    render_outage_notices(
        OutageService(ctx.store, ctx.settings).view(document_id),
        Letterhead.from_settings(ctx.settings),
        path,
    )


def _visit_report(ctx: Any, document_id: uuid.UUID, path: Path) -> None:
    from keyacct_desktop.fieldwork.visit_log import VisitLogService
    from keyacct_desktop.printing.base import Letterhead
    from keyacct_desktop.printing.visit_reports import load_report, render_visit_report

    service = VisitLogService(ctx.store, ctx.settings, ctx.attachment_files)
    render_visit_report(
        load_report(service, document_id), Letterhead.from_settings(ctx.settings), path
    )


register_kind("checklist", "一次性告知书 / one-shot notification checklist", _checklist)
register_kind("plan", "供电方案答复单 / technical plan handout", _plan)
register_kind("outage", "停电通知(每户一页)/ outage notices, one page per customer", _outage)
register_kind("visit-report", "走访报告 / visit report", _visit_report)


def _load_plugins() -> None:
    """Kinds contributed by other areas register themselves when their module is imported."""
    import importlib

    for module in ("keyacct_desktop.printing.visit_report",):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise


def register(subparsers: argparse._SubParsersAction) -> None:
    _load_plugins()
    parser = subparsers.add_parser("print", help="print a document to PDF (batch use)")
    parser.add_argument("kind", choices=sorted(DOCUMENT_KINDS), help="document kind")
    parser.add_argument("ids", nargs="+", help="document id(s) (UUID)")
    parser.add_argument(
        "-o", "--output", required=True, help="PDF file (one id) or folder (several ids)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext

    try:
        ids = [uuid.UUID(value) for value in args.ids]
    except ValueError:
        raise UserError("文书编号应为 UUID 格式", "document ids must be UUIDs") from None
    output = Path(args.output)
    _, render = DOCUMENT_KINDS[args.kind]
    ctx = AppContext.open(args.data_dir)
    try:
        if len(ids) == 1 and output.suffix.lower() == ".pdf":
            targets = [output]
        else:
            output.mkdir(parents=True, exist_ok=True)
            targets = [output / f"{args.kind}-{document_id}.pdf" for document_id in ids]
        for document_id, target in zip(ids, targets, strict=True):
            render(ctx, document_id, target)
            print(target)
    finally:
        ctx.close()
    return 0
