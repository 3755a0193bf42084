"""The unsaved visit logs offered just after start are read on the database worker, and
reading them needs no ReportLab: the GUI thread imports nothing heavy once the window is up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.services.visits import VisitForm, VisitLogService
from tests.op_helpers import note_threads

REPO = Path(__file__).resolve().parents[1]


def test_the_drafts_and_the_visit_editor_need_no_reportlab() -> None:
    """Only printing a report imports ReportLab (~0.4 s): not the drafts, forms or editor."""
    code = (
        "import sys; import keyacct_desktop.services.visits, keyacct_desktop.gui.visits.drafts, "
        "keyacct_desktop.gui.visits.editor; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'reportlab'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"


def test_the_drafts_offered_at_start_are_read_off_the_gui_thread(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    customer = CustomerDirectory(demo_ctx.store).find_ids(CustomerQuery())[0]
    VisitLogService(demo_ctx.store, demo_ctx.settings).autosave(
        VisitForm(customer_id=str(customer), started_at="2026-11-20T10:00", purpose="写到一半")
    )
    threads = note_threads(monkeypatch, VisitLogService, "drafts")
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(
        lambda: window.drafts_dialog is not None and window.drafts_dialog.isVisible(),
        timeout=10_000,
    )
    assert window.drafts_dialog.model.rowCount() == 1  # type: ignore[union-attr]
    assert threads.all_off_the_gui_thread
