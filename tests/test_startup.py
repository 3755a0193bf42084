"""Cold start (issue 8): what the start-up path skips or defers, and that nothing is lost by it.

- an up-to-date store opens without importing Alembic;
- after a clean shutdown the integrity check runs in the background, writes wait for it,
  and damage it finds still leads to the last good backup;
- the 首页 figures are computed once, on a worker, in SQL (same lists as row by row);
- pages other than the first are built when first shown;
- the window is shown before the store is open (nothing of SQLAlchemy is imported for it),
  works meanwhile, and gets the store, the security controller and sync once it is open;
  a damaged store found then still offers the backups, and other errors end the app with
  the reason shown.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QDialog, QMessageBox

from keyacct_desktop.backup import (
    StoreDamagedError,
    backups_dir,
    clean_marker,
    create_backup,
    take_clean_shutdown_mark,
)
from keyacct_desktop.context import AppContext
from keyacct_desktop.demo import generate_demo
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.app import StoreOpening, verify_after_start
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.pages import PAGES
from keyacct_desktop.gui.security.controller import SecurityController
from keyacct_desktop.gui.security.restore import RestoreDialog
from keyacct_desktop.paths import store_path
from keyacct_desktop.security.keys import DeviceKeys
from keyacct_desktop.services import overview
from keyacct_desktop.services.customers import CustomerDirectory
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.db import (
    STORE_TEMPLATE_ENV,
    StoreTooNewError,
    head_revisions,
    known_heads,
    migrate,
    open_store,
    sqlite_engine,
)
from keyacct_desktop.store.models import Customer, Park, Visit
from tests.conftest import DEMO_TODAY

REPO = Path(__file__).resolve().parents[1]


def _damage_at_rest(path: Path) -> None:
    """Overwrite the customer table's first pages and keep the mtime, as bit rot does.

    The pages are found from the schema so the damage never lands in the schema itself (which
    grows with every migration): opening still works and the integrity check must find it.
    """
    with closing(sqlite3.connect(path)) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'customer'").fetchone()[
            0
        ]
    before = path.stat()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * (2 * page_size))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _damaged_store_with_a_backup(
    data_dir: Path, *, customers: int, seed: int, crashed: bool = False
) -> None:
    """A demo store with one backup, then damaged at rest (after a crash: no clean close)."""
    ctx = AppContext.open(data_dir)
    generate_demo(ctx.store, customers=customers, seed=seed)
    create_backup(ctx.store, backups_dir(data_dir), keep=3)
    ctx.close()
    if crashed:
        clean_marker(store_path(data_dir)).unlink(missing_ok=True)
    _damage_at_rest(store_path(data_dir))


def _restore_dialogs_choose_the_newest(monkeypatch: pytest.MonkeyPatch) -> list[RestoreDialog]:
    """Every restore dialog accepts its preselected (newest) backup; returns those offered."""
    offered: list[RestoreDialog] = []

    def choose_newest(dialog: RestoreDialog) -> int:
        offered.append(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RestoreDialog, "exec", choose_newest)
    return offered


def _imports_alembic_when_opening(path: Path) -> bool:
    code = (
        "import sys; from pathlib import Path; from keyacct_desktop.store.db import open_store; "
        f"open_store(Path({str(path)!r})).close(); print('alembic' in sys.modules)"
    )
    # A new store is migrated here, not copied from the test session's template.
    env = {key: value for key, value in os.environ.items() if key != STORE_TEMPLATE_ENV}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True, env=env
    )
    return result.stdout.strip() == "True"


def test_heads_read_from_the_revision_files_match_alembic() -> None:
    assert known_heads() == frozenset(head_revisions())


def test_alembic_is_imported_only_for_a_store_that_is_behind(tmp_path: Path) -> None:
    path = tmp_path / "keyacct.sqlite3"
    assert _imports_alembic_when_opening(path)  # new: migrated
    assert not _imports_alembic_when_opening(path)  # up to date: one query


def test_clean_shutdown_marker_trusts_only_the_file_as_left(data_dir: Path) -> None:
    ctx = AppContext.open(data_dir)
    ctx.close()
    store_file = store_path(data_dir)
    assert clean_marker(store_file).exists()
    assert take_clean_shutdown_mark(store_file)
    assert not clean_marker(store_file).exists()
    assert not take_clean_shutdown_mark(store_file)  # consumed: a crash now leaves none

    AppContext.open(data_dir).close()
    with open(store_file, "ab") as handle:  # changed from outside after the clean close
        handle.write(b"\0" * 4096)
    assert not take_clean_shutdown_mark(store_file)


def test_damage_at_rest_is_caught_by_the_background_check(data_dir: Path) -> None:
    ctx = AppContext.open(data_dir)
    generate_demo(ctx.store, customers=40, seed=9)
    ctx.close()
    _damage_at_rest(store_path(data_dir))

    ctx = AppContext.open(data_dir)  # trusted start: the check runs in the background
    gate = ctx.store.write_gate
    assert gate is not None
    with pytest.raises(StoreDamagedError), ctx.store.begin() as session:
        session.add(Park(name="写入须等校验通过"))
    ctx.close()
    assert not clean_marker(store_path(data_dir)).exists()
    with pytest.raises(StoreDamagedError):  # next start: checked before the window
        AppContext.open(data_dir)


def test_a_healthy_trusted_start_lets_writes_through(data_dir: Path) -> None:
    AppContext.open(data_dir).close()
    ctx = AppContext.open(data_dir)
    with ctx.store.begin() as session:  # waits for the check, which passes
        session.add(Park(name="校验通过后写入"))
    assert ctx.store.write_gate is None
    ctx.close()
    assert clean_marker(store_path(data_dir)).exists()


def test_damage_found_after_the_window_opened_offers_the_backups(
    keyacct_qapp, qtbot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _damaged_store_with_a_backup(data_dir, customers=30, seed=8)
    offered = _restore_dialogs_choose_the_newest(monkeypatch)
    ctx = AppContext.open(data_dir)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    security = SecurityController(ctx, window, DeviceKeys(data_dir))
    window.show()
    with qtbot.waitSignal(security.restored, timeout=20_000):
        assert verify_after_start(ctx, window, security, "zh_CN") is not None
    assert "数据文件已损坏" in offered[0].explanation.text()
    assert CustomerDirectory(ctx.store).count() == 30
    assert ctx.store.write_gate is None
    with ctx.store.begin() as session:
        session.add(Park(name="恢复后可以写入"))
    window.close()
    ctx.close()


# --- the 首页 dashboard -------------------------------------------------------------------


def _reference(ctx: AppContext, today: date) -> tuple[list[tuple], list[tuple]]:
    """Visits due and risks computed row by row in Python, the way the dashboard used to."""
    with ctx.store.read() as session:
        customers = session.query(Customer).all()
        last = {}
        for visit in session.query(Visit).filter(Visit.status == "completed"):
            if visit.customer_id not in last or visit.started_at > last[visit.customer_id]:
                last[visit.customer_id] = visit.started_at
    due, risks = [], []
    for customer in customers:
        reasons = overview.risk_reasons(customer)
        if reasons:
            risks.append((-len(reasons), customer.name, customer.id, reasons))
        if customer.pool_status != "pooled" or customer.status != "active":
            continue
        last_day = last[customer.id].date() if customer.id in last else None
        frequency = overview.visit_frequency_days(customer, ctx.settings)
        due_on = last_day + timedelta(days=frequency) if last_day else today
        if due_on <= today + timedelta(days=overview.DUE_WITHIN_DAYS):
            due.append((due_on, customer.name, customer.id, due_on < today or last_day is None))
    return sorted(due), sorted(risks)


def test_sql_dashboard_lists_what_the_row_by_row_rules_list(demo_ctx) -> None:
    with demo_ctx.store.begin() as session:  # the odd cases: override, grade, not pooled
        rows = session.query(Customer).order_by(Customer.account_no).limit(4).all()
        rows[0].pyramid_override, rows[0].important_grade = "A", "special"
        rows[1].important_grade = "second"
        rows[2].pool_status = "released"
        rows[3].operating_trouble, rows[3].violation_count = True, 2
    demo_ctx.settings.set("visits.class_frequency_days", {"A": 20, "B": 60, "C": 90})
    data = overview.dashboard(demo_ctx.store, demo_ctx.settings, today=DEMO_TODAY, limit=None)
    due, risks = _reference(demo_ctx, DEMO_TODAY)
    assert sorted((v.due_on, v.name, v.customer_id, v.overdue) for v in data.visits_due) == due
    assert sorted((-len(r.reasons), r.name, r.customer_id, r.reasons) for r in data.risks) == risks
    assert data.count("visits_overdue") == sum(1 for *_x, overdue in due if overdue)
    assert data.count("risk") == len(risks)
    cut = overview.dashboard(demo_ctx.store, demo_ctx.settings, today=DEMO_TODAY, limit=5)
    assert cut.risks == data.risks[:5] and not cut.is_complete("risk")
    assert cut.count("risk") == len(risks) and cut.by_class == data.by_class
    assert cut.satisfaction == data.satisfaction


@pytest.fixture
def computations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Thread ids of every dashboard computation the home page starts (lists cut at 5)."""
    threads: list[int] = []

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return overview.dashboard(*args, **{**kwargs, "limit": 5})

    monkeypatch.setattr("keyacct_desktop.gui.pages.home.dashboard", counted)
    return threads


def test_home_figures_load_once_on_a_worker_after_a_loading_state(
    keyacct_qapp, demo_ctx, qtbot, computations: list[int]
) -> None:
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    home = window.pages["home"]
    assert home.loading and home.status.text() == "正在加载数据…"
    assert home.tiles["risk"].value.text() == "–"
    home.refresh()
    home.refresh()  # asked again while loading: one more run after this one, not two
    window.show()
    qtbot.waitUntil(lambda: not home.loading)
    assert len(computations) == 2
    assert threading.get_ident() not in computations
    assert home.status.text() == ""
    risks = home.data.count("risk")
    assert risks > 5 and len(home.data.risks) == 5
    assert home.tiles["risk"].value.text() == str(risks)
    home.tiles["risk"].click()  # the whole list, not the first five
    assert home.dialog.model.rowCount() == risks
    home.dialog.reject()


def test_only_the_first_page_is_built_at_start(keyacct_qapp, demo_ctx, qtbot) -> None:
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    assert [key for key, *_ in PAGES if window.pages.is_built(key)] == ["home"]
    page = window.show_page("visits")
    assert window.pages.is_built("visits") and window.stack.currentWidget() is page
    assert window.stack.count() == len(PAGES)
    assert window.stack.indexOf(page) == [key for key, *_ in PAGES].index("visits")
    qtbot.waitUntil(lambda: not window.pages["home"].loading)


def test_demo_start_prints_the_smoke_line_once_the_window_is_up(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "keyacct_desktop", "--data-dir", str(tmp_path)]
    command += ["--demo", "--demo-customers", "20", "--quit-after", "0"]
    for _ in range(2):  # a new store, then a trusted start after a clean shutdown
        result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=env)
        assert result.returncode == 0, result.stderr[-2000:]
        assert "main window shown:" in result.stdout
        assert clean_marker(store_path(tmp_path)).exists()
    store = open_store(store_path(tmp_path))
    assert CustomerDirectory(store).count() == 20
    store.close()


# --- the window before the store -----------------------------------------------------------


def test_the_window_needs_nothing_of_sqlalchemy_or_the_sync_client() -> None:
    """What ``run_gui`` imports before ``window.show()``: the store layers load on a worker."""
    code = (
        "import sys; import keyacct_desktop.cli, keyacct_desktop.gui.app, "
        "keyacct_desktop.gui.main_window, keyacct_desktop.settings; "
        "print(sorted(m for m in ('sqlalchemy', 'httpx', 'cryptography', 'reportlab') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"


def test_the_window_works_before_the_store_and_builds_the_page_in_front_after(
    keyacct_qapp, demo_ctx, qtbot
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert not window.attached and window.sync_controller is None
    assert not window.menus.settings_action.isEnabled()
    window.show_page("customers")  # the manager clicks ahead while the store opens
    window._focus_search()  # Ctrl+F too
    assert window.stack.currentWidget().objectName() == "pagePlaceholder"
    assert window.stack.currentWidget().text() == "正在打开本机数据…"
    assert not any(window.pages.is_built(key) for key, *_ in PAGES)
    menus = window.menus
    assert not menus.print_action.isEnabled()  # nothing to print yet
    menus.refresh_action.trigger()  # nothing to refresh: no error either
    for action in (menus.shortcuts_action, menus.about_action):
        action.trigger()
        assert menus.dialog is not None and menus.dialog.isVisible()
        menus.dialog.close()

    window.attach(demo_ctx)
    assert window.pages.is_built("customers") and not window.pages.is_built("home")
    assert window.stack.currentWidget() is window.pages["customers"]
    assert window.menus.settings_action.isEnabled()
    assert window.sync_controller is not None
    assert "服务器" in window.sync_label.text()  # the real sync state, not a blank
    window.close()


def _opening(window: MainWindow, data_dir: Path, demo_customers: int | None) -> StoreOpening:
    opening = StoreOpening(
        window,
        data_dir,
        Settings.in_dir(data_dir),
        "zh_CN",
        signs_in=False,
        demo_customers=demo_customers,
    )
    opening.start()
    return opening


def test_the_store_opens_on_a_worker_and_reaches_the_window(keyacct_qapp, qtbot, tmp_path) -> None:
    data_dir = tmp_path / "demo"
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(_opening(window, data_dir, 12).ready, timeout=60_000) as ready:
        pass
    ctx = ready.args[0]
    assert window.ctx is ctx and window.pages.is_built("home")
    assert CustomerDirectory(ctx.store).count() == 12  # the new demo store was filled
    assert window.findChild(SecurityController) is not None
    assert window.sync_controller is not None and window.sync_controller.periodic.isActive()
    qtbot.waitUntil(lambda: not window.pages["home"].loading, timeout=30_000)
    window.close()
    QThreadPool.globalInstance().waitForDone()
    ctx.close()


def test_the_window_says_when_the_store_is_being_upgraded(keyacct_qapp, qtbot, data_dir) -> None:
    """A store from the previous version: the migration runs on the worker, the window says so."""
    path = store_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = sqlite_engine(path)
    migrate(engine, "0008_customer_list_indexes")
    engine.dispose()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    phases: list[str] = []
    texts: list[str] = []

    def show_opening(phase: str) -> None:
        phases.append(phase)
        MainWindow.show_opening(window, phase)
        texts.append(window.stack.currentWidget().text())

    window.show_opening = show_opening  # type: ignore[method-assign]
    opening = _opening(window, data_dir, None)
    with qtbot.waitSignal(opening.ready, timeout=60_000):
        pass
    # Upgraded first; then checked, as no clean close was recorded for this file.
    assert phases == ["upgrade", "check"]
    assert texts[0] == "正在将本机数据升级到此版本（仅此一次，可能需要一分钟）…"
    assert not _imports_alembic_when_opening(path)  # now at the newest schema
    window.close()
    opening.finish()


def test_a_damaged_store_found_after_the_window_offers_the_backups(
    keyacct_qapp, qtbot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _damaged_store_with_a_backup(data_dir, customers=15, seed=3, crashed=True)
    offered = _restore_dialogs_choose_the_newest(monkeypatch)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    phases: list[str] = []

    def show_opening(phase: str) -> None:
        phases.append(phase)
        MainWindow.show_opening(window, phase)

    window.show_opening = show_opening  # type: ignore[method-assign]
    opening = _opening(window, data_dir, None)
    with qtbot.waitSignal(opening.ready, timeout=60_000) as ready:
        pass
    assert "check" in phases  # the window said it was checking (an unclean exit)
    assert len(offered) == 1 and "数据文件已损坏" in offered[0].explanation.text()
    assert CustomerDirectory(ready.args[0].store).count() == 15
    window.close()
    opening.finish()


def test_an_error_opening_the_store_is_shown_and_ends_the_app(
    keyacct_qapp, qtbot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise UserError("数据文件由更新版本的程序创建", "the store was written by a newer version")

    monkeypatch.setattr(AppContext, "open", refuse)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warnings.append(text))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    opening = _opening(window, data_dir, None)
    with qtbot.waitSignal(opening.failed, timeout=30_000) as failed:
        pass
    assert failed.args == [2]
    assert warnings == ["数据文件由更新版本的程序创建"]
    assert not window.attached
    opening.finish()  # nothing was opened: nothing to close or back up


def test_a_store_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    """An older install opening a newer store: a clear message, not Alembic's traceback."""
    path = tmp_path / "keyacct.sqlite3"
    open_store(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(StoreTooNewError) as refused:
        open_store(path)
    assert "更新版本" in refused.value.message_zh and "0099_from_the_future" in str(refused.value)
    assert path.read_bytes() == before
    result = subprocess.run(
        [sys.executable, "-m", "keyacct_desktop", "--data-dir", str(tmp_path), "sync", "status"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "KEYACCT_PASSPHRASE": ""},
    )
    assert result.returncode == 2, result.stderr
    assert "更新版本的 KeyAcct" in result.stderr and "Traceback" not in result.stderr
