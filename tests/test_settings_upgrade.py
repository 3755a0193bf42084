"""Settings declared once, versioned, upgraded from the files written before versions existed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from keyacct_desktop.domain.enums import ImportantGrade
from keyacct_desktop.settings import OPTIONS, VERSION_KEY, Option, Settings
from keyacct_desktop.settings.catalog import _GRADES
from keyacct_desktop.settings.docs import DOC, markdown
from keyacct_desktop.settings.options import chinese
from keyacct_desktop.settings.upgrade import SETTINGS_VERSION


def _changed(option: Option) -> Any:
    """A value other than the default, of the declared type and in range."""
    default = option.default
    if option.choices is not None:
        return next(key for key in option.choices if key != default)
    if isinstance(default, bool):
        return not default
    if isinstance(default, float):
        return round(default + (0.25 if (option.high or 10) - default > 0.25 else -0.25), 2)
    if isinstance(default, int):
        return default + 1 if option.high is None or default < option.high else default - 1
    if option.key in ("letterhead.hotline", "sync.username"):
        return "95598-1" if default else "wangli"
    if isinstance(default, str):
        return default + "X" if default else f"https://{option.key}.example.cn"
    if isinstance(default, dict):
        if not default:
            return {"王经理": {"customers": ["备注"]}}
        return {
            k: v + 1 if not isinstance(v, float) else round(v + 0.25, 2) for k, v in default.items()
        }
    if option.key == "calendar.official_years":
        return [2027]
    if option.key == "pyramid.cumulative_cutoffs":
        return [0.4, 0.7, 0.9]
    return default[1:]  # a list of dates: one less


def _today_file() -> dict[str, Any]:
    """A settings.json as KeyAcct writes it today (no version), every setting changed, plus an
    unknown key and the checklist limits under their keys of before 0f37494."""
    stored: dict[str, Any] = {key: _changed(option) for key, option in OPTIONS.items()}
    stored["pyramid.cost_per_kwh"] = 1  # a whole number for a decimal: used to be ignored
    stored["limits.working_days"] = {
        **stored["limits.working_days"],
        "reduction_notice": 9,
        "suspension_notice": 8,
    }
    del stored["limits.customer_terms"]  # never changed by this administrator
    stored["from.a.newer.version"] = {"kept": True}
    return stored


def test_upgrade_from_todays_settings_keeps_every_value(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    before = _today_file()
    path.write_text(json.dumps(before, ensure_ascii=False), encoding="utf-8")

    settings = Settings(path)

    assert settings.upgraded_from == 1 and settings.version == SETTINGS_VERSION
    for key in OPTIONS:
        if key in ("limits.working_days", "limits.customer_terms", "pyramid.cost_per_kwh"):
            continue
        assert settings.get(key) == before[key], key
    assert settings.get("pyramid.cost_per_kwh") == 1.0
    working_days = settings.get("limits.working_days")
    assert "reduction_notice" not in working_days and "suspension_notice" not in working_days
    assert {k: working_days[k] for k in OPTIONS["limits.working_days"].default} == {
        k: v + 1 for k, v in OPTIONS["limits.working_days"].default.items()
    }
    terms = settings.get("limits.customer_terms")
    assert terms["reduction_notice_days"] == 9 and terms["suspension_notice_days"] == 8
    assert (
        terms["reduction_min_months"]
        == OPTIONS["limits.customer_terms"].default["reduction_min_months"]
    )
    assert settings.stored()["from.a.newer.version"] == {"kept": True}

    written = json.loads(path.read_text(encoding="utf-8"))
    assert written[VERSION_KEY] == SETTINGS_VERSION
    assert json.loads((tmp_path / "settings.json.v1.bak").read_text(encoding="utf-8")) == before
    again = Settings(path)  # read back: no second upgrade, the same values
    assert again.upgraded_from is None
    assert all(again.get(key) == settings.get(key) for key in OPTIONS)


def test_the_dialog_shows_the_upgraded_values_and_saves_them_unchanged(
    keyacct_qapp,
    tmp_path: Path,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    from keyacct_desktop.gui.desktop.settings_dialog import GROUPS, SettingsDialog

    path = tmp_path / "settings.json"
    path.write_text(json.dumps(_today_file(), ensure_ascii=False), encoding="utf-8")
    settings = Settings(path)
    settings.set("letterhead.logo_path", "")  # no such file here
    settings.set("sync.ca_file", "")
    dialog = SettingsDialog(settings, "zh_CN")
    qtbot.addWidget(dialog)
    shown = dialog.values()
    for key in shown:
        assert shown[key] == pytest.approx(settings.get(key)), key
    titles = [dialog.tabs.tabText(index) for index in range(len(GROUPS))]
    assert {"用电与电费", "信用与欠费", "停电通知"} <= set(titles)
    assert {"history.sharp_change", "arrears.risk", "calendar.official_years"} <= set(shown)
    assert {"ui.stretch_strings", "outage.repair_arrival_minutes"} <= set(shown)
    assert "sync.user_id" not in shown and "ui.columns" not in shown
    stored = settings.stored()
    assert dialog.save()
    assert Settings(path).stored() == stored


def test_a_file_from_a_newer_version_is_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    content = {VERSION_KEY: SETTINGS_VERSION + 1, "limits.working_days": {"reduction_notice": 9}}
    path.write_text(json.dumps(content), encoding="utf-8")
    settings = Settings(path)
    assert settings.upgraded_from is None and settings.version == SETTINGS_VERSION + 1
    assert json.loads(path.read_text(encoding="utf-8")) == content


def test_declarations_are_complete_and_the_docs_current() -> None:
    for option in OPTIONS.values():
        texts = [option.label, option.help, *option.items.values()]
        texts += [] if option.key == "ui.language" else list((option.choices or {}).values())
        untranslated = [text for text in texts if chinese(text) == text]  # not in the .ts
        assert not untranslated, (option.key, untranslated)
        option.check(option.default)
    assert {grade.value: grade.en for grade in ImportantGrade} == _GRADES
    assert {chinese(text) for text in _GRADES.values()} == {grade.zh for grade in ImportantGrade}
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/SETTINGS.md is stale: python -m keyacct_desktop.settings.docs"
    )
