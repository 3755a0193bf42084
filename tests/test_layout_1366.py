"""Every window and dialog fits the field laptop: 1366×768 with a 40 px taskbar (1366×728).

The tests run offscreen on whatever screen the platform plugin invents, so the room on the
screen is set explicitly: ``gui.widgets.screen.available_size`` answers 1366×728, and a window
with its frame (title bar, borders: ``screen.FRAME``) must fit in it. Each window is checked
at the size it opens with and at its minimum size hint; at the size it opens with, no visible
label, button or table header may be clipped (its text needs more room than it got).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QHeaderView,
    QLabel,
    QStyle,
    QWidget,
)
from sqlalchemy import select, update

from keyacct_desktop.context import AppContext
from keyacct_desktop.demo import generate_demo
from keyacct_desktop.gui.pages import PAGES
from keyacct_desktop.gui.widgets import screen
from keyacct_desktop.store.models import Customer, Visit
from tests.conftest import DEMO_TODAY

AVAILABLE = QSize(1366, 728)  # 1366×768 minus a 40 px taskbar at the bottom
ROOM = QSize(AVAILABLE.width() - screen.FRAME.width(), AVAILABLE.height() - screen.FRAME.height())


@pytest.fixture(autouse=True)
def laptop_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screen, "available_size", lambda widget=None: QSize(AVAILABLE))


@pytest.fixture(scope="module")
def laptop_ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    """Demo data with the awkward cases: a customer with no manager, long demand texts."""
    context = AppContext.open(tmp_path_factory.mktemp("layout"))
    generate_demo(context.store, customers=120, seed=7, today=DEMO_TODAY)
    with context.store.begin() as session:
        first = session.scalars(select(Customer).order_by(Customer.account_no)).first()
        assert first is not None
        first.manager_id = None
        session.execute(
            update(Visit).values(
                purpose="年度安全用电检查及配电房设备运行状况、电能质量、用能需求全面走访"
            )
        )
    yield context
    context.close()


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _fits(size: QSize) -> bool:
    return size.width() <= ROOM.width() and size.height() <= ROOM.height()


def _visible_in(widget: QWidget, window: QWidget) -> bool:
    """Shown and at least partly inside the window (not scrolled away in a scroll area)."""
    if not widget.isVisibleTo(window) or widget.width() <= 0 or widget.height() <= 0:
        return False
    return not widget.visibleRegion().isEmpty()


def clipped(window: QWidget) -> list[str]:
    """Visible labels, buttons and header sections whose text has less room than it needs."""
    problems = []
    for label in window.findChildren(QLabel):
        if not _visible_in(label, window) or not label.text() or label.wordWrap():
            continue
        if label.textFormat() == Qt.TextFormat.RichText or label.text().startswith("<"):
            continue
        need = label.sizeHint()
        if label.width() < need.width() - 1 or label.height() < need.height() - 1:
            problems.append(f"label {label.text()[:40]!r}: {label.size()} < {need}")
    for button in window.findChildren(QAbstractButton):
        if not _visible_in(button, window) or not button.text():
            continue
        need = button.minimumSizeHint()
        text_width = button.fontMetrics().horizontalAdvance(button.text().replace("&", ""))
        if button.width() < min(need.width(), text_width + 8) - 1:
            problems.append(f"button {button.text()!r}: {button.width()} < {need.width()}")
    for header in window.findChildren(QHeaderView):
        if not _visible_in(header, window) or header.orientation() != Qt.Orientation.Horizontal:
            continue
        model = header.model()
        if model is None:
            continue
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        for logical in range(header.count()):
            if header.isSectionHidden(logical):
                continue
            text = str(model.headerData(logical, Qt.Orientation.Horizontal) or "")
            need = header.fontMetrics().horizontalAdvance(text) + 2 * margin
            if text and header.sectionSize(logical) < need:
                problems.append(f"header {text!r}: {header.sectionSize(logical)} < {need}")
    return problems


def assert_fits(window: QWidget, name: str) -> None:
    _settle()
    hint = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert _fits(hint), f"{name}: needs at least {hint}, the laptop has {ROOM}"
    assert _fits(window.size()), f"{name}: opens at {window.size()}, the laptop has {ROOM}"
    problems = clipped(window)
    assert not problems, f"{name} at {window.size()}: " + "; ".join(problems)
    assert not [
        view
        for view in window.findChildren(QAbstractScrollArea)
        if _visible_in(view, window) and view.height() < 40
    ], f"{name}: a list or table is squeezed to nothing"


# --- the main window, one page at a time ------------------------------------------------------


@pytest.fixture
def window(keyacct_qapp, laptop_ctx: AppContext, qtbot):  # type: ignore[no-untyped-def]
    from keyacct_desktop.gui.main_window import MainWindow

    main = MainWindow(laptop_ctx)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    if main.sync_controller is not None:
        main.sync_controller.stop()


PAGE_KEYS = [key for key, _title, _target in PAGES]


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_every_page_fits_the_laptop(window, key: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page(key)
    loaded = getattr(page, "loading", None)
    if loaded is not None:
        qtbot.waitUntil(lambda: not page.loading, timeout=20_000)
    for tab_widget_name in ("tabs",):
        tabs = getattr(page, tab_widget_name, None)
        if tabs is not None:
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                assert_fits(window, f"{key} page, tab {tabs.tabText(index)}")
            tabs.setCurrentIndex(0)
    assert_fits(window, f"{key} page")


def test_the_main_window_opens_within_the_screen(window) -> None:  # type: ignore[no-untyped-def]
    assert _fits(window.size()), window.size()
    # Wider content (the visit plan's summary, long names) never widens the window.
    page = window.show_page("visits")
    page.plan_summary.setText("、".join(["某某供电所客户经理:3 家逾期,5 家即将到期"] * 12))
    _settle()
    assert _fits(window.minimumSizeHint()), window.minimumSizeHint()


# --- dialogs ------------------------------------------------------------------------------------


def _customer_id(ctx: AppContext) -> uuid.UUID:
    with ctx.store.read() as session:
        found = session.scalars(select(Customer.id).order_by(Customer.account_no)).first()
    assert found is not None
    return found


def _customer_editor(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.customer_editor import CustomerEditor

    return CustomerEditor(ctx, _customer_id(ctx), parent)


def _new_customer_editor(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.customer_editor import CustomerEditor

    return CustomerEditor(ctx, None, parent)


def _visit_editor(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.visits.editor import VisitEditor
    from keyacct_desktop.services.visits import DemandForm, VisitForm

    form = VisitForm(
        customer_id=str(_customer_id(ctx)),
        started_at=datetime(2026, 11, 20, 9, 30).isoformat(timespec="minutes"),
        demands=[
            DemandForm(
                "申请将 2 号进线由 10 kV 改为 35 kV 供电,并增容至 12500 kVA,请尽快答复方案",
                "expansion",
                "other",
            )
        ],
    )
    editor = VisitEditor(ctx, form, parent)
    editor.timer.stop()
    return editor


def _print_preview(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.print_preview import PrintPreviewDialog
    from keyacct_desktop.printing.base import Letterhead
    from keyacct_desktop.printing.visits import render_visit_report
    from keyacct_desktop.services.visits import VisitLogService, load_report

    with ctx.store.read() as session:
        visit_id = session.scalars(select(Visit.id).limit(1)).one()
    service = VisitLogService(ctx.store, ctx.settings, ctx.attachment_files)
    pdf = render_visit_report(
        load_report(service, visit_id), Letterhead.from_settings(ctx.settings)
    )
    return PrintPreviewDialog(pdf, "走访报告", parent)


def _grid_balance(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.grid_balance_dialog import GridBalanceDialog

    return GridBalanceDialog(ctx, parent)


def _quality(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.quality_dialog import QualityDialog

    return QualityDialog(ctx, parent)


def _settings(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.desktop.settings_dialog import SettingsDialog

    return SettingsDialog(ctx.settings, ctx.language, parent)


def _shortcuts(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.desktop.menus import ShortcutsDialog, shortcut_rows

    return ShortcutsDialog(shortcut_rows(parent), parent)


def _about(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.desktop.about_dialog import AboutDialog

    return AboutDialog(parent)


def _drill_down(ctx: AppContext, parent: QWidget) -> QWidget:
    home = parent.show_page("home")  # type: ignore[attr-defined]
    home.today = DEMO_TODAY
    home.data = None
    dialog = home.open_tile("visits_due")
    assert dialog is not None
    return dialog


def _drafts(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.visits.drafts import DraftsDialog
    from keyacct_desktop.services.visits import VisitDraft, VisitForm

    form = VisitForm(
        customer_id=str(_customer_id(ctx)), started_at="2026-11-20T09:30", purpose="年度走访"
    )
    service = parent._visit_logs()  # type: ignore[attr-defined]
    draft = VisitDraft(form.draft_key, form, datetime(2026, 11, 20, 1, 30), "某某有限公司")
    return DraftsDialog(service, [draft], parent)


def _sign_in(mode_name: str) -> Callable[[AppContext, QWidget], QWidget]:
    def build(ctx: AppContext, parent: QWidget) -> QWidget:
        from keyacct_desktop.gui.security.sign_in import SignInDialog, SignInMode
        from keyacct_desktop.security.keys import DeviceKeys
        from tests.security_helpers import MemoryKeyring

        return SignInDialog(
            ctx.data_dir,
            DeviceKeys(ctx.data_dir, MemoryKeyring()),
            SignInMode(mode_name),
            parent=parent,
        )

    return build


def _change_passphrase(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.security.passphrase import ChangePassphraseDialog

    return ChangePassphraseDialog(8, parent)


def _restore(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.backup import BackupInfo
    from keyacct_desktop.gui.security.restore import RestoreDialog

    backups = [
        BackupInfo(Path(f"/backups/keyacct-2026-11-{day:02d}.kbak"), datetime(2026, 11, day), 10**7)
        for day in range(1, 15)
    ]
    return RestoreDialog(backups, language=ctx.language, parent=parent)


def _import_preview(ctx: AppContext, parent: QWidget) -> QWidget:
    import tempfile

    from keyacct_desktop.gui.import_preview import ImportPreviewDialog
    from keyacct_desktop.services.roster.plan import plan_import
    from tests.roster_helpers import roster_rows, write_xlsx

    rows, _ = roster_rows(30)
    rows[4][10] = "很多"  # a problem to list
    path = write_xlsx(Path(tempfile.mkdtemp()) / "高新区客户档案.xlsx", rows)
    return ImportPreviewDialog(ctx, plan_import(ctx.store, path), parent)


def _arrears(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.economics.home_box import ArrearsDialog, compute_summary

    return ArrearsDialog(ctx, compute_summary(ctx.store, ctx.settings, DEMO_TODAY), parent)


def _economics(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.economics.panel import CustomerEconomicsDialog

    return CustomerEconomicsDialog(ctx, _customer_id(ctx), parent)


def _follow_up(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.economics.panel import FollowUpDialog

    return FollowUpDialog(ctx, _customer_id(ctx), DEMO_TODAY, parent)


def _crash(ctx: AppContext, parent: QWidget) -> QWidget:
    from keyacct_desktop.gui.crash import CrashDialog

    return CrashDialog("Traceback (most recent call last):\n  ...\nValueError: 示例", None, parent)


DIALOGS: dict[str, Callable[[AppContext, QWidget], QWidget]] = {
    "customer editor": _customer_editor,
    "new customer editor": _new_customer_editor,
    "visit editor": _visit_editor,
    "print preview": _print_preview,
    "grid balancing": _grid_balance,
    "data quality": _quality,
    "settings": _settings,
    "shortcuts": _shortcuts,
    "about": _about,
    "drill-down list": _drill_down,
    "unsaved visit logs": _drafts,
    "sign-in (set up)": _sign_in("set_up"),
    "sign-in": _sign_in("sign_in"),
    "unlock": _sign_in("unlock"),
    "change passphrase": _change_passphrase,
    "restore from backup": _restore,
    "import preview": _import_preview,
    "arrears follow-up": _arrears,
    "consumption and billing": _economics,
    "log follow-up": _follow_up,
    "unexpected error": _crash,
}


@pytest.mark.parametrize("name", list(DIALOGS))
def test_every_dialog_fits_the_laptop(window, laptop_ctx, name: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = DIALOGS[name](laptop_ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    if hasattr(dialog, "task"):  # grid balancing computes its proposal on a worker
        qtbot.waitUntil(lambda: dialog.task is None, timeout=20_000)
    try:
        assert_fits(dialog, name)
    finally:
        timer = getattr(dialog, "timer", None)
        if timer is not None:
            timer.stop()
        dialog.hide()


def test_the_layout_check_finds_a_clipped_label(keyacct_qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The check itself: a label squeezed into a fixed width is reported."""
    from PySide6.QtWidgets import QVBoxLayout

    host = QWidget()
    qtbot.addWidget(host)
    label = QLabel("一行放不下的很长很长很长的说明文字")
    label.setFixedWidth(40)
    QVBoxLayout(host).addWidget(label)
    host.show()
    _settle()
    assert clipped(host) and "label" in clipped(host)[0]


# --- what matters stays in view; long text has room or a tooltip -------------------------------


def _in_view(header: QHeaderView, logical: int) -> bool:
    start = header.sectionViewportPosition(logical)
    return (
        not header.isSectionHidden(logical)
        and start >= 0
        and start + header.sectionSize(logical) <= header.viewport().width()
    )


def test_customer_list_keeps_name_class_and_risk_in_view(window, laptop_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from keyacct_desktop.gui.pages.customers import COLUMN_NAMES, CustomersPage

    page = window.show_page("customers")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    window.resize(ROOM)  # maximised on the laptop
    _settle()
    header = page.table.horizontalHeader()
    for name in ("name", "class", "risk", "credit"):
        assert _in_view(header, COLUMN_NAMES.index(name)), name
    shown = [i for i in range(header.count()) if not header.isSectionHidden(i)]
    assert all(_in_view(header, i) for i in shown), "columns shown at first fit: no scrolling"

    # Right-click menu: hide the account number; the important columns cannot be hidden.
    menu = page.columns.build_menu()
    actions = {action.data(): action for action in menu.actions()}
    assert not actions["name"].isEnabled() and not actions["risk"].isEnabled()
    assert actions["account_no"].text() == "户号" and actions["account_no"].isChecked()
    actions["account_no"].setChecked(False)
    assert header.isSectionHidden(COLUMN_NAMES.index("account_no"))
    assert not actions["industry"].isChecked()
    actions["industry"].setChecked(True)

    # Remembered for this user (a new page reads it back), not for another user.
    again = CustomersPage(laptop_ctx, window)
    qtbot.addWidget(again)
    again_header = again.table.horizontalHeader()
    assert again_header.isSectionHidden(COLUMN_NAMES.index("account_no"))
    assert not again_header.isSectionHidden(COLUMN_NAMES.index("industry"))
    username = laptop_ctx.settings.get("sync.username")
    laptop_ctx.settings.set("sync.username", "另一位客户经理")
    try:
        other = CustomersPage(laptop_ctx, window)
        qtbot.addWidget(other)
        other_header = other.table.horizontalHeader()
        assert not other_header.isSectionHidden(COLUMN_NAMES.index("account_no"))
        assert other_header.isSectionHidden(COLUMN_NAMES.index("industry"))
    finally:
        laptop_ctx.settings.set("sync.username", username)
        page.columns.set_shown("account_no", True)
        page.columns.set_shown("industry", False)


def test_demand_text_has_room_and_a_tooltip(window, laptop_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _visit_editor(laptop_ctx, window)
    qtbot.addWidget(editor)
    editor.show()
    _settle()
    assert editor.demands.columnWidth(1) >= 400, editor.demands.columnWidth(1)
    item = editor.demands.item(0, 1)
    assert item.toolTip() == item.text()
    item.setText("另一段更长的诉求描述")
    assert item.toolTip() == "另一段更长的诉求描述"
    editor.timer.stop()
    editor.hide()

    page = window.show_page("referrals")
    window.resize(ROOM)
    _settle()
    assert page.model.rowCount() > 0
    assert page.view.columnWidth(2) >= 300, page.view.columnWidth(2)
    index = page.model.index(0, 2)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()
