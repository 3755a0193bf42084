"""Printing from the print preview runs on a worker: progress per page, cancel between pages."""

from __future__ import annotations

import io
import threading
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from keyacct_desktop.gui import print_preview
from keyacct_desktop.gui.print_preview import PrintPreviewDialog, print_pdf_bytes
from keyacct_desktop.progress import Cancelled, Progress, TaskState

PAGES = 12


def many_pages(count: int = PAGES) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for page in range(count):
        pdf.setFont("Helvetica", 48)
        pdf.drawString(100, 700, f"Page {page + 1}")
        for line in range(40):
            pdf.drawString(60, 640 - line * 14, "x" * (line % 30))
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_printing_runs_on_the_worker_with_progress_and_a_responsive_gui(
    keyacct_qapp, tmp_path, qtbot, monkeypatch
) -> None:
    dialog = PrintPreviewDialog(many_pages(), "test")
    qtbot.addWidget(dialog)
    ticked = threading.Event()
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(ticked.set)
    responsive: list[bool] = []
    real_print_pdf = print_preview.print_pdf

    def print_pdf_once_the_gui_ticked(*args, **kwargs):  # type: ignore[no-untyped-def]
        # In the worker, mid-job: the GUI thread must be free to run its timer meanwhile.
        responsive.append(ticked.wait(60))
        return real_print_pdf(*args, **kwargs)

    monkeypatch.setattr(print_preview, "print_pdf", print_pdf_once_the_gui_ticked)
    timer.start()
    target = tmp_path / "printed.pdf"
    task = dialog.start_printing(pdf_printer(target))
    seen: list[Progress] = []
    task.progress.connect(seen.append)
    assert not dialog.print_button.isEnabled()
    with qtbot.wait_signal(task.finished, timeout=120_000) as blocker:
        pass
    timer.stop()
    assert blocker.args == [PAGES]
    assert dialog.printed_pages == PAGES and dialog.print_task is None
    assert dialog.print_button.isEnabled()
    assert len(PdfReader(target).pages) == PAGES
    assert seen and seen[-1].total == PAGES
    assert max(p.done for p in seen) == PAGES - 1  # reported before each page
    assert any("2/12" in p.message for p in seen)  # "第 2/12 页": page 2 of 12 is being printed
    assert responsive == [True]  # a QTimer fired on the GUI thread while the worker printed


def test_a_cancel_after_the_first_page_stops_early(keyacct_qapp, tmp_path) -> None:
    """Deterministic: the task's state is cancelled as soon as page 1 is reported."""

    def on_progress(progress: Progress) -> None:
        if progress.done >= 1:
            state.cancel()

    state = TaskState(on_progress=on_progress)
    target = tmp_path / "cancelled.pdf"
    printer = pdf_printer(target)
    try:
        print_pdf_bytes(many_pages(), printer, state)
    except Cancelled:
        pass
    else:
        raise AssertionError("the print was not cancelled")
    # The painter ended cleanly: what was painted before the cancel is a valid, short PDF.
    if target.exists() and target.stat().st_size:
        assert len(PdfReader(target).pages) < PAGES


def test_cancelling_the_print_task_from_the_gui(keyacct_qapp, tmp_path, qtbot) -> None:
    dialog = PrintPreviewDialog(many_pages(30), "test")
    qtbot.addWidget(dialog)
    target = tmp_path / "gui-cancel.pdf"
    task = dialog.start_printing(pdf_printer(target))
    task.progress.connect(lambda progress: progress.done >= 1 and dialog.cancel_printing())
    with qtbot.wait_signal(task.failed, timeout=120_000) as blocker:
        pass
    assert isinstance(blocker.args[0], Cancelled)
    assert dialog.print_task is None and dialog.printed_pages is None
    assert dialog.print_button.isEnabled()
    if target.exists() and target.stat().st_size:
        assert len(PdfReader(target).pages) < 30


def test_closing_the_preview_while_printing_cancels_then_closes(
    keyacct_qapp, tmp_path, qtbot
) -> None:
    dialog = PrintPreviewDialog(many_pages(30), "test")
    qtbot.addWidget(dialog)
    dialog.show()
    task = dialog.start_printing(pdf_printer(tmp_path / "closed.pdf"))
    dialog.reject()
    assert dialog.isVisible()  # stays until the worker has let go of the printer
    with qtbot.wait_signal(task.failed, timeout=120_000):
        pass
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_character_the_font_lacks_prints_as_a_box_and_is_told(
    keyacct_qapp, qtbot, tmp_path: Path
) -> None:
    """A 生僻字 in a name (䶮 is in no glyph of the bundled font, 𠮷 neither) printed as
    nothing: "司马䶮" read "司马" on the visit report. It prints as □ now, and both the
    printing command and the preview say which characters to write in by hand."""
    from keyacct_desktop.printing.base import PdfDocument
    from keyacct_desktop.printing.fonts import collect_missing

    with collect_missing() as missing:
        document = PdfDocument("大客户走访报告")
        document.fields([("我方人员", "司马䶮(运检部)"), ("客户参加人员", "王𠮷、赵赟")])
        pdf = document.render()
    assert missing == {"䶮", "𠮷"}
    page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "司马□" in page and "王□、赵赟" in page  # 赟 is in the font: printed as itself

    dialog = PrintPreviewDialog(pdf, "走访报告", missing=missing)
    qtbot.addWidget(dialog)
    assert not dialog.missing_label.isHidden()
    assert dialog.missing_label.text() == "字库中没有“䶮、𠮷”:打印件上印为“□”,请在纸面上手写补正。"
    plain = PrintPreviewDialog(many_pages(1), "走访报告")
    qtbot.addWidget(plain)
    assert plain.missing_label.isHidden()
