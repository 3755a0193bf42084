"""Reprint by number in the GUI (issue 17): the manager types or scans the number printed on
a checklist, plan, outage notice or visit report (Ctrl+Shift+P) and gets the same document,
with the same number, in the print preview."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from keyacct_desktop.domain.codes import verification_code, verification_url
from keyacct_desktop.gui.documents.reprint_dialog import ReprintDialog
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.print_preview import PrintPreviewDialog
from keyacct_desktop.services.checklists import ChecklistService
from keyacct_desktop.services.outages import OutageService
from keyacct_desktop.services.reprint import number_from_scan
from keyacct_desktop.services.visits import VisitLogService
from tests.test_deadlines import make_customer
from tests.test_visits import full_form


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_number_from_what_a_scanner_types() -> None:
    assert number_from_scan(" gz20261202-3541cb ") == "GZ20261202-3541CB"
    assert number_from_scan("KEYACCT:FA20261202-0CDCEB:BAA29BC5") == "FA20261202-0CDCEB"
    url = verification_url("https://ka.example.cn", "TD20261202-0001-002", "1234ABCD")
    assert number_from_scan(url) == "TD20261202-0001-002"


@pytest.fixture
def window(keyacct_qapp, ctx, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    shown: list[PrintPreviewDialog] = []
    monkeypatch.setattr(PrintPreviewDialog, "exec", lambda self: shown.append(self) or 0)
    main = MainWindow(ctx)
    main.previews = shown  # type: ignore[attr-defined]
    qtbot.addWidget(main)
    main.show()
    main.activateWindow()
    qtbot.waitActive(main)
    yield main
    main.sync_controller.stop()


def _reprint(window, qtbot, typed: str) -> ReprintDialog:  # type: ignore[no-untyped-def]
    """Ctrl+Shift+P, type (or scan) ``typed``, Enter."""
    window.activateWindow()  # back from the previous dialog
    qtbot.waitUntil(window.isActiveWindow)
    target = QApplication.focusWidget() or window
    qtbot.keyClick(
        target,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.menus.dialog
    assert isinstance(dialog, ReprintDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.number)  # scanner types in
    qtbot.keyClicks(dialog.number, typed)
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    return dialog


def test_reprint_checklist_notice_and_visit_report_by_number(window, ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    customer_id = make_customer(ctx, voltage=10, sources=1)
    checklists = ChecklistService(ctx.store, ctx.settings)
    first = checklists.issue(
        checklists.draft(customer_id, "hv_new", date(2026, 12, 1)), now=datetime(2026, 12, 1, 9)
    )
    correction = checklists.correct(first.id)
    checklists.issue(correction, now=datetime(2026, 12, 2, 9))
    outage = OutageService(ctx.store, ctx.settings).issue(
        kind="fault",
        starts_at=datetime(2026, 12, 2, 8),
        ends_at=datetime(2026, 12, 2, 12),
        area="城东片区",
        reason="线路故障",
        customer_ids=[customer_id],
        now=datetime(2026, 12, 2, 8, 30),
    )
    files = ctx.attachment_files
    visit_id = VisitLogService(ctx.store, ctx.settings, files).save(
        full_form(customer_id, files), today=date(2026, 11, 20)
    )
    previews = window.previews

    # the first, superseded checklist: typed in lower case; same number, marked 已被替代
    _reprint(window, qtbot, (first.number or "").lower())
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=30_000)
    text = pdf_text(previews[0]._pdf)
    assert first.number in text and "已被替代" in text
    assert first.number in previews[0].windowTitle()

    # one customer's outage notice, scanned from its QR code (offline payload)
    notice = outage.notices[0]
    _reprint(window, qtbot, f"KEYACCT:{notice.number}:{verification_code(str(notice.id))}")
    qtbot.waitUntil(lambda: len(previews) == 2, timeout=30_000)
    assert notice.number in pdf_text(previews[1]._pdf)

    # a visit report by its ZF number
    number = f"ZF20261119-{visit_id.hex[:6].upper()}"
    _reprint(window, qtbot, number)
    qtbot.waitUntil(lambda: len(previews) == 3, timeout=30_000)
    assert number in pdf_text(previews[2]._pdf) and "走访报告" in previews[2].windowTitle()

    # a number nobody issued: said in the dialog, which stays open for the next try
    dialog = _reprint(window, qtbot, "GZ20990101-000000")
    assert dialog.isVisible() and "找不到编号为 GZ20990101-000000 的文书" in dialog.message.text()
    assert len(previews) == 3
    dialog.reject()
