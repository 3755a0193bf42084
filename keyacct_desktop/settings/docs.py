"""docs/SETTINGS.md, generated from the declared settings (``python -m keyacct_desktop.settings.docs``).

One table per tab of the settings dialog, then the values the app keeps itself; each row has
the key, the Chinese and English label, the type, the default, the accepted range or choices
and the help in both languages: the English source texts of the declarations and their Chinese
from ``resources/i18n/settings_zh_CN.ts`` (``options.chinese``). tests/test_settings_upgrade.py
fails when the file is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from keyacct_desktop.settings.options import GROUPS, OPTIONS, Option, chinese, options_of
from keyacct_desktop.settings.upgrade import SETTINGS_VERSION

DOC = Path(__file__).resolve().parents[2] / "docs" / "SETTINGS.md"

TYPES = {
    bool: "开关 on/off",
    int: "整数 integer",
    float: "小数 decimal",
    str: "文本 text",
    dict: "对照表 mapping",
    list: "列表 list",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _both(source: str) -> str:
    """Chinese over English in one cell (``<`` and ``>`` of the texts shown, not markup)."""
    return "<br>".join(
        t.replace("<", "&lt;").replace(">", "&gt;") for t in (chinese(source), source)
    )


def _default(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, dict | list):
        shown = json.dumps(value, ensure_ascii=False)
        return shown if len(shown) <= 80 else shown[:77] + "…"
    return str(value) if value != "" else "(空 empty)"


def _accepted(option: Option) -> str:
    if option.choices is not None:
        return ", ".join(
            f"`{key}` {chinese(text)}" + (f" / {text}" if chinese(text) != text else "")
            for key, text in option.choices.items()
        )
    if option.low is None and option.high is None:
        return ""
    low = "" if option.low is None else f"{option.low:g}"
    high = "" if option.high is None else f"{option.high:g}"
    each = "每项 each " if isinstance(option.default, dict | list) else ""
    return f"{each}{low} – {high}"


def _row(option: Option) -> str:
    cells = [
        f"`{option.key}`",
        _both(option.label),
        TYPES.get(option.type, option.type.__name__),
        f"`{_default(option.default)}`",
        _accepted(option),
        _both(option.help),
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


HEADER = (
    "| 键 key | 名称 label | 类型 type | 默认 default | 允许 accepted | 说明 help |\n"
    "|---|---|---|---|---|---|"
)


def markdown() -> str:
    """The whole of docs/SETTINGS.md."""
    parts = [
        "# 设置 Settings",
        "",
        "<!-- Generated from keyacct_desktop/settings/catalog.py by "
        "`python -m keyacct_desktop.settings.docs`; do not edit by hand. -->",
        "",
        "Every setting is declared once in `keyacct_desktop/settings/catalog.py`; the settings dialog "
        "(文件 → 设置, Ctrl+,), the checks on save and this table are generated from those "
        "declarations. `settings.json` in the data folder stores only the values someone "
        f"changed, with the version of its layout (`_version`, now {SETTINGS_VERSION}). A file "
        "written by an older KeyAcct is upgraded when it is read "
        "(`keyacct_desktop/settings/upgrade.py`): renamed keys are moved, never dropped, and "
        "the original is kept as `settings.json.v<N>.bak`. Keys a newer KeyAcct wrote are "
        "kept as they are.",
        "",
    ]
    for group, title in GROUPS.items():
        options = options_of(group)
        if not options:
            continue
        parts += [f"## {chinese(title)} · {title}", "", HEADER]
        parts += [_row(option) for option in options]
        parts.append("")
    hidden = [option for option in OPTIONS.values() if option.group is None]
    parts += [
        "## 程序自行保存的值 · Kept by the app (not in the dialog)",
        "",
        HEADER,
        *[_row(option) for option in hidden],
        "",
    ]
    return "\n".join(parts)


def main() -> None:
    DOC.write_text(markdown(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")


if __name__ == "__main__":
    main()
