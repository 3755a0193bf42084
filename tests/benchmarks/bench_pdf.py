"""A CJK document PDF vs a bare ReportLab canvas drawing the same text with the same TTF.

The visit-report renderer (``printing/visit_report.py``) is used when it exists; until then
the checklist handout (一次性告知书, ``render_checklist``) stands in as the CJK document.
"""

from __future__ import annotations

import importlib.util
import io
import subprocess
import time
from datetime import date, datetime
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from keyacct_desktop.demo import generate_demo
from keyacct_desktop.domain.enums import BusinessType
from keyacct_desktop.paths import FONT_SUBFONT_INDEX, font_path
from keyacct_desktop.printing.base import Letterhead
from keyacct_desktop.printing.documents import render_checklist
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.services.documents import ChecklistService
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.db import open_store
from tests.benchmarks.common import Figure, median

RUNS = 10
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


def run(folder: Path) -> list[Figure]:
    folder.mkdir(parents=True, exist_ok=True)
    note = "checklist handout (visit_report.py absent)"
    if importlib.util.find_spec("keyacct_desktop.printing.visit_report") is not None:
        note = "visit_report.py exists, but its API is not wired here yet: checklist handout used"
    store = open_store(folder / "pdf.sqlite3")
    settings = Settings.in_dir(folder)
    try:
        generate_demo(store, customers=20, seed=7, today=date(2026, 11, 20))
        customer = CustomerDirectory(store).find_ids(CustomerQuery())[0]
        service = ChecklistService(store, settings)
        checklist_id = service.draft(customer, BusinessType.CAPACITY_INCREASE, date(2026, 11, 20))
        view = service.issue(checklist_id, now=datetime(2026, 11, 20, 10, 0))
    finally:
        store.close()
    letterhead = Letterhead.from_settings(settings)
    target = folder / "document.pdf"
    render_checklist(view, letterhead, target)  # warm-up: font registration, imports
    app_s: list[float] = []
    for _ in range(RUNS):
        start = time.perf_counter()
        render_checklist(view, letterhead, target)
        app_s.append(time.perf_counter() - start)
    size = target.stat().st_size
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    bare_canvas(lines)
    bare_s: list[float] = []
    bare_size = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        bare_size = len(bare_canvas(lines))
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
