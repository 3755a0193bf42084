"""Settings dialog, About dialog, menus and shortcuts of the main window."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from keyacct_desktop import __version__
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.app import install_translators
from keyacct_desktop.gui.desktop.about_dialog import AboutDialog
from keyacct_desktop.gui.desktop.menus import shortcut_rows
from keyacct_desktop.gui.desktop.settings_dialog import GROUPS, SettingsDialog
from keyacct_desktop.gui.desktop.settings_rules import validate
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.settings import OPTIONS, Settings

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def _defaults() -> dict[str, object]:
    return {key: OPTIONS[key].default for _group, _title, keys in GROUPS for key in keys}


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("sync.server_url", "ftp://server", "https://"),
        ("sync.server_url", "https://", "https://"),
        ("sync.username", "li ming", "spaces"),
        ("letterhead.company", "  ", "company name"),
        ("letterhead.hotline", "95598 转 1", "digits"),
        ("letterhead.logo_path", "/no/such/logo.png", "does not exist"),
        ("security.idle_lock_minutes", 1000, "between 0 and 480"),
        ("visits.class_frequency_days", {"A": 0, "B": 60, "C": 90, "D": 180}, "[A]"),
        ("limits.working_days", {"design_review": 400}, "design_review"),
        ("limits.customer_terms", {"suspension_min_days": 0}, "suspension_min_days"),
        ("calendar.holidays", ["2026-13-01"], "not a date"),
        ("calendar.holidays", ["2026-05-01", "2026-05-01"], "twice"),
        ("calendar.extra_workdays", ["2026-05-06"], "not a weekend day"),
        ("ui.language", "fr", "unsupported"),
    ],
)
def test_each_invalid_value_names_its_field(key: str, value: object, fragment: str) -> None:
    values = _defaults() | {key: value}
    with pytest.raises(UserError) as caught:
        validate(values)
    assert caught.value.field == key
    assert fragment in caught.value.message_en
    assert caught.value.message_zh and caught.value.message_zh != caught.value.message_en


def test_defaults_and_a_real_logo_are_valid(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG_1PX)
    validate(_defaults() | {"letterhead.logo_path": str(logo)})
    not_image = tmp_path / "logo.png.txt"
    not_image.write_text("hello", encoding="utf-8")
    with pytest.raises(UserError, match="PNG or JPEG"):
        validate(_defaults() | {"letterhead.logo_path": str(not_image)})


def test_holiday_that_is_also_a_working_day_is_refused() -> None:
    values = _defaults() | {
        "calendar.holidays": ["2026-10-10"],
        "calendar.extra_workdays": ["2026-10-10"],
    }
    with pytest.raises(UserError, match="both a holiday"):
        validate(values)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.in_dir(tmp_path)


@pytest.fixture
def dialog(keyacct_qapp, settings: Settings, qtbot) -> SettingsDialog:
    shown = SettingsDialog(settings, "zh_CN")
    qtbot.addWidget(shown)
    return shown


def test_dialog_is_generated_from_declared_options_without_the_token(
    dialog: SettingsDialog,
) -> None:
    expected = {key for _group, _title, keys in GROUPS for key in keys}
    assert set(dialog.editors) == expected
    assert not any("token" in key or "password" in key for key in dialog.editors)
    assert dialog.tabs.count() == len(GROUPS)
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert "服务器" in titles and "节假日" in "".join(titles)
    assert dialog.values()["calendar.holidays"] == sorted(OPTIONS["calendar.holidays"].default)
    assert dialog.values()["limits.working_days"] == OPTIONS["limits.working_days"].default


def _label(dialog: SettingsDialog, key: str) -> str:
    return (
        dialog.pages[dialog._group_of[key]]
        .widget()
        .layout()
        .labelForField(dialog.editors[key])
        .text()
    )


def test_declared_texts_are_translated_chinese_by_default_english_with_en(
    keyacct_qapp, settings: Settings, qtbot
) -> None:
    """The declarations carry English source texts; the dialog shows them through Qt's
    translators (context ``Settings``): the Chinese by default, the English for ``en``."""
    chinese = SettingsDialog(settings, "zh_CN")
    qtbot.addWidget(chinese)
    assert _label(chinese, "sync.server_url") == "服务器地址"
    assert chinese.editors["sync.interval_seconds"].toolTip().startswith("在线时后台同步的周期")
    plans = chinese.editors["plan.validity_months"]
    assert plans.layout().labelForField(plans.spins["hv"]).text() == "高压"
    assert chinese.editors["ui.consumption_unit"].combo.itemText(0) == "万千瓦时"
    install_translators(keyacct_qapp, "en")
    try:
        english = SettingsDialog(settings, "en")
        qtbot.addWidget(english)
        assert _label(english, "sync.server_url") == "Server address"
        assert english.tabs.tabText(0) == "Server"
        assert english.editors["ui.consumption_unit"].combo.itemText(0) == "10,000 kWh"
        assert (
            english.editors["sync.interval_seconds"]
            .toolTip()
            .startswith("Background sync period when online")
        )
    finally:
        install_translators(keyacct_qapp, "zh_CN")


def test_save_writes_the_changed_values_once(
    dialog: SettingsDialog, settings: Settings, tmp_path: Path, qtbot
) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG_1PX)
    dialog.editors["sync.server_url"].edit.setText("https://keyacct.example.cn")
    dialog.editors["letterhead.logo_path"].edit.setText(str(logo))
    dialog.editors["visits.class_frequency_days"].spins["A"].setValue(20)
    dialog.editors["limits.working_days"].spins["design_review"].setValue(8)
    dialog.editors["security.idle_lock_minutes"].spin.setValue(5)
    dialog.editors["ui.language"].set_value("en")
    holidays = dialog.editors["calendar.holidays"]
    holidays.add_date(date(2027, 1, 1))
    holidays.list.setCurrentRow(0)
    first = holidays.list.item(0).text()
    holidays.remove_selected()

    with qtbot.wait_signal(dialog.saved) as saved:
        assert dialog.save()
    assert set(saved.args[0]) == {
        "sync.server_url",
        "letterhead.logo_path",
        "visits.class_frequency_days",
        "limits.working_days",
        "security.idle_lock_minutes",
        "ui.language",
        "calendar.holidays",
    }
    stored = json.loads(settings.path.read_text(encoding="utf-8"))
    assert stored["sync.server_url"] == "https://keyacct.example.cn"
    assert stored["visits.class_frequency_days"]["A"] == 20
    assert stored["limits.working_days"]["design_review"] == 8
    assert "2027-01-01" in stored["calendar.holidays"] and first not in stored["calendar.holidays"]
    reread = Settings(settings.path)
    assert reread.get("security.idle_lock_minutes") == 5
    assert reread.get("ui.language") == "en"
    assert not list(settings.path.parent.glob(".settings-*")), "no temp file left behind"


def test_invalid_value_shows_its_tab_and_writes_nothing(
    dialog: SettingsDialog, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    dialog.editors["letterhead.company"].edit.setText("新公司")
    dialog.editors["calendar.extra_workdays"].add_date(date(2026, 5, 6))  # a Wednesday
    assert not dialog.save()
    assert shown and "不是周末" in shown[0]
    assert dialog.tabs.currentWidget() is dialog.pages["calendar"]
    assert not settings.path.exists()
    assert settings.get("letterhead.company") == OPTIONS["letterhead.company"].default


def test_defaults_for_this_tab(dialog: SettingsDialog) -> None:
    dialog.editors["letterhead.company"].edit.setText("别的公司")
    dialog.tabs.setCurrentWidget(dialog.pages["letterhead"])
    dialog.restore_tab_defaults()
    assert dialog.values()["letterhead.company"] == OPTIONS["letterhead.company"].default


def test_about_dialog_shows_version_and_font_licence(keyacct_qapp, qtbot) -> None:
    about = AboutDialog()
    qtbot.addWidget(about)
    assert __version__ in about.summary.text()
    assert "Apache" in about.summary.text()
    assert "WenQuanYi" in about.licence_text.toPlainText()


@pytest.fixture
def window(keyacct_qapp, ctx, qtbot) -> MainWindow:
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def test_menus_list_every_shortcut(window: MainWindow) -> None:
    rows = dict(shortcut_rows(window))
    for keys in ("Ctrl+,", "Ctrl+P", "F5", "F1", "Ctrl+F", "Ctrl+Q", "Ctrl+1", "Ctrl+7"):
        assert keys in rows, keys
    assert rows["Ctrl+1"] == "首页" and rows["Ctrl+2"] == "客户"
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[0] == "文件(&F)" and titles[-1] == "帮助(&H)"
    window.menuBar().addMenu("Later")  # another controller adds its menu afterwards
    assert window.menuBar().actions()[-1] is window.menus.help_menu.menuAction()


def test_print_is_enabled_on_document_pages_only(window: MainWindow) -> None:
    window.show_page("home")
    assert not window.menus.print_action.isEnabled()
    window.show_page("checklists")
    assert window.menus.print_action.isEnabled()
    window.show_page("outages")  # a batch of notices
    assert window.menus.print_action.isEnabled()
    window.show_page("sync")
    assert not window.menus.print_action.isEnabled()


def test_settings_action_opens_the_dialog_and_saving_applies(
    window: MainWindow, ctx, qtbot
) -> None:
    window.menus.settings_action.trigger()
    dialog = window.menus.dialog
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    dialog.editors["letterhead.hotline"].edit.setText("0591-95598")
    assert dialog.save()
    assert ctx.settings.get("letterhead.hotline") == "0591-95598"
    window.menus.shortcuts_action.trigger()
    assert window.menus.dialog.table.rowCount() >= 12
    window.menus.dialog.reject()


def test_saved_idle_lock_applies_at_once_on_an_encrypted_store(
    keyacct_qapp, data_dir: Path, qtbot
) -> None:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.gui.security.controller import SecurityController
    from tests.security_helpers import set_up_keys

    keys, key = set_up_keys(data_dir)
    ctx = AppContext.open(data_dir, key=key)
    try:
        main = MainWindow(ctx)
        qtbot.addWidget(main)
        controller = SecurityController(ctx, main, keys)
        try:
            dialog = main.menus.open_settings()
            dialog.editors["security.idle_lock_minutes"].spin.setValue(3)
            assert dialog.save()
            assert controller.idle_lock.minutes == 3
            assert controller.idle_lock.timer.interval() == 3 * 60_000
            assert window_menus_last(main) is main.menus.help_menu.menuAction()
        finally:
            keyacct_qapp.removeEventFilter(controller.idle_lock)
    finally:
        ctx.close()


def window_menus_last(main: MainWindow):  # type: ignore[no-untyped-def]
    """The Security menu is added after ours; Help must still be last."""
    return main.menuBar().actions()[-1]
