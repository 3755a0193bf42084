"""Translations: complete and compiled, and the UI really switches between Chinese and English."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from keyacct_desktop.gui.app import install_translators
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.pages import PAGES

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
TS_FILES = sorted(I18N.glob("*_zh_CN.ts"))
sys.path.insert(0, str(ROOT / "tools"))
import i18n  # noqa: E402  (tools/i18n.py: the same logic as ``python tools/i18n.py check``)


def test_every_area_has_a_translation_file() -> None:
    assert {ts.name for ts in TS_FILES} >= {f"{area}_zh_CN.ts" for area in i18n.AREAS}


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda path: path.stem)
def test_no_unfinished_or_vanished_entries(ts: Path) -> None:
    problems = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else "missing"
            forms = translation.findall("numerusform") if translation is not None else []
            text = forms[0].text if forms else (translation.text if translation is not None else "")
            if (
                kind in ("unfinished", "vanished", "obsolete", "missing")
                or not (text or "").strip()
            ):
                problems.append(f"{name}: {message.findtext('source')} ({kind or 'empty'})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda path: path.stem)
def test_qm_is_compiled_from_the_current_ts(ts: Path, tmp_path: Path) -> None:
    """The .qm is up to date with its .ts.

    Compared by content, not by modification time: a git checkout gives both files the time
    of the checkout, so "the .qm is newer" cannot be read from the file system reliably.
    """
    qm = ts.with_suffix(".qm")
    assert qm.exists(), f"{qm.name} missing: run tools/i18n.py release"
    fresh = tmp_path / qm.name
    subprocess.run(
        [i18n._tool("pyside6-lrelease"), str(ts), "-qm", str(fresh)],
        check=True,
        capture_output=True,
    )
    assert fresh.read_bytes() == qm.read_bytes(), f"{qm.name} is stale: run tools/i18n.py release"


def test_sources_have_no_string_missing_from_the_ts_files() -> None:
    """lupdate over the sources finds nothing new: what ``tools/i18n.py check`` reports."""
    assert i18n.check() == []


@pytest.fixture
def english(keyacct_qapp):  # type: ignore[no-untyped-def]
    install_translators(keyacct_qapp, "en")
    yield
    install_translators(keyacct_qapp, "zh_CN")


def _navigation(window: MainWindow) -> list[str]:
    return [window.navigation.item(row).text() for row in range(window.navigation.count())]


def test_english_ui_shows_english_navigation(english, ctx, qtbot) -> None:
    ctx.settings.set("ui.language", "en")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert _navigation(window) == [title for _key, title, _target in PAGES]
    assert [a.text() for a in window.menuBar().actions()][:2] == ["&File", "&View"]
    home = window.pages["home"]
    assert home.tiles["customers"].caption.text() == "My customers"
    assert QLocale().language() == QLocale.Language.English
    assert all(ord(ch) < 0x3000 for ch in home.subtitle.text()), home.subtitle.text()


def test_chinese_ui_has_no_ascii_only_navigation_labels(keyacct_qapp, ctx, qtbot) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    labels = _navigation(window) + [a.text() for a in window.menuBar().actions()]
    ascii_only = [text for text in labels if text.isascii()]
    assert not ascii_only, ascii_only
    home = window.pages["home"]
    assert home.tiles["customers"].caption.text() == "我的客户"
    assert "年" in home.subtitle.text()  # 2026年11月23日星期一: Chinese long date
