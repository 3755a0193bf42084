"""A CJK document PDF vs a bare ReportLab canvas drawing the same text with the same TTF.

The document is the visit report (走访报告, ``printing/visits.py``) of a demo visit
with a referral; if that renderer is missing, the checklist handout (一次性告知书) stands in.
"""

from __future__ import annotations

import importlib.util
import io
import subprocess
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from keyacct_desktop.context import AppContext
from keyacct_desktop.demo import generate_demo
from keyacct_desktop.domain.enums import BusinessType
from keyacct_desktop.paths import FONT_SUBFONT_INDEX, font_path
from keyacct_desktop.printing.base import Letterhead
from keyacct_desktop.printing.documents import render_checklist
from keyacct_desktop.services.checklists import ChecklistService
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.store.models import Referral
from tests.benchmarks.common import Figure, median

RUNS = 20
MAX_BYTES = 150 * 1024
BARE_FONT = "BenchBareCJK"


def bare_canvas(lines: list[str]) -> bytes:
    """The same text, one line after another, with the same TrueType font (subset-embedded)."""
    if BARE_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(
            TTFont(BARE_FONT, str(font_path()), subfontIndex=FONT_SUBFONT_INDEX)
        )
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    _width, height = A4
    y = height - 60
    for line in lines:
        for start in range(0, max(1, len(line)), 40):
            if y < 60:
                canvas.showPage()
                y = height - 60
            canvas.setFont(BARE_FONT, 10)
            canvas.drawString(50, y, line[start : start + 40])
            y -= 16
    canvas.save()
    return buffer.getvalue()


def _document(folder: Path) -> tuple[str, Callable[[Path], object]]:
    """A name and a ``render(target)`` for the CJK document, on a small demo store."""
    ctx = AppContext.open(folder / "data")
    try:
        generate_demo(ctx.store, customers=20, seed=7, today=date(2026, 11, 20))
        letterhead = Letterhead.from_settings(ctx.settings)
        if importlib.util.find_spec("keyacct_desktop.printing.visits") is not None:
            from keyacct_desktop.printing.visits import render_visit_report
            from keyacct_desktop.services.visits import VisitLogService, load_report

            with ctx.store.read() as session:
                visit_id = session.scalar(
                    select(Referral.visit_id).where(Referral.visit_id.is_not(None)).limit(1)
                )
            service = VisitLogService(ctx.store, ctx.settings, ctx.attachment_files)
            data = load_report(service, visit_id)
            return "visit report (走访报告)", lambda target: render_visit_report(
                data, letterhead, target
            )
        customer = CustomerDirectory(ctx.store).find_ids(CustomerQuery())[0]
        service = ChecklistService(ctx.store, ctx.settings)
        checklist_id = service.draft(customer, BusinessType.CAPACITY_INCREASE, date(2026, 11, 20))
        view = service.issue(checklist_id, now=datetime(2026, 11, 20, 10, 0))
        return "checklist handout (printing/visits.py absent)", lambda target: render_checklist(
            view, letterhead, target
        )
    finally:
        ctx.close()


def run(folder: Path) -> list[Figure]:
    folder.mkdir(parents=True, exist_ok=True)
    note, render = _document(folder)
    target = folder / "document.pdf"
    render(target)  # warm-up: font registration, imports
    size = target.stat().st_size
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    bare_size = len(bare_canvas(lines))  # warm-up
    # Alternated, so that both see the same moments of a shared machine.
    app_s: list[float] = []
    bare_s: list[float] = []
    for _ in range(RUNS):
        start = time.perf_counter()
        render(target)
        app_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        bare_canvas(lines)
        bare_s.append(time.perf_counter() - start)
    app_ms, bare_ms = median(app_s) * 1000, median(bare_s) * 1000
    return [
        Figure(
            "CJK document PDF: render time",
            app_ms,
            "ms",
            "≤ 3× bare",
            app_ms <= 3 * bare_ms,
            baseline=bare_ms,
            baseline_label="bare canvas, same text + TTF",
            detail=f"{note}; median of {RUNS}; {len(lines)} text lines",
        ),
        Figure(
            "CJK document PDF: file size",
            size / 1024,
            "KB",
            "≤ 150 KB",
            size <= MAX_BYTES,
            baseline=bare_size / 1024,
            baseline_label="bare canvas",
            detail="font subset embedded",
        ),
    ]
