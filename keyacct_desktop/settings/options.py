"""How a setting is declared: :class:`Option` (key, type, default, range or choices, label
and help, dialog tab), :func:`declare` and the registry :data:`OPTIONS`, filled by
``settings.catalog``.

Labels, help, choice and item labels and tab titles are English source texts marked with
:func:`QT_TRANSLATE_NOOP` in the context :data:`CONTEXT`: ``tools/i18n.py update settings``
extracts them into ``resources/i18n/settings_zh_CN.ts``, where they get their Chinese like
every other text of the UI, and the dialog shows them through
``QCoreApplication.translate(CONTEXT, text)``. No Qt here (services read settings too), so
the checks on save and docs/SETTINGS.md read the Chinese from that ``.ts`` (:func:`chinese`).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.paths import resources_dir

SETTINGS_FILENAME = "settings.json"
#: The key under which the settings file records the version of its layout.
VERSION_KEY = "_version"
#: The translation context of every text of the settings (labels, help, choices, tabs).
CONTEXT = "Settings"
#: The translation file those texts are extracted into (area ``settings`` of tools/i18n.py).
TS_FILE = "settings_zh_CN.ts"
log = logging.getLogger(__name__)


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for translation in ``context`` (found by pyside6-lupdate); returns it.

    Qt's own marker lives in PySide6, which this package must not import.
    """
    return source


@cache
def _chinese_texts() -> dict[str, str]:
    """Source text -> Chinese of the context :data:`CONTEXT`, read from :data:`TS_FILE`."""
    path = resources_dir() / "i18n" / TS_FILE
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as error:
        log.warning("settings texts: cannot read %s: %s", path, error)
        return {}
    texts = {}
    for context in root.iter("context"):
        if context.findtext("name") != CONTEXT:
            continue
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("vanished", "obsolete"):
                continue
            if translation.text and translation.text.strip():
                texts[message.findtext("source") or ""] = translation.text
    return texts


def chinese(source: str) -> str:
    """The Chinese of a settings text (the source itself where it has none, e.g. 简体中文)."""
    return _chinese_texts().get(source, source)


#: The tabs of the settings dialog, in order: group key -> title.
GROUPS: dict[str, str] = {
    "server": QT_TRANSLATE_NOOP("Settings", "Server"),
    "letterhead": QT_TRANSLATE_NOOP("Settings", "Letterhead"),
    "visits": QT_TRANSLATE_NOOP("Settings", "Visit frequencies"),
    "limits": QT_TRANSLATE_NOOP("Settings", "Time limits"),
    "plans": QT_TRANSLATE_NOOP("Settings", "Supply plans"),
    "outages": QT_TRANSLATE_NOOP("Settings", "Outage notices"),
    "economics": QT_TRANSLATE_NOOP("Settings", "Consumption and billing"),
    "credit": QT_TRANSLATE_NOOP("Settings", "Credit and arrears"),
    "calendar": QT_TRANSLATE_NOOP("Settings", "Holiday calendar"),
    "language": QT_TRANSLATE_NOOP("Settings", "Language and units"),
    "security": QT_TRANSLATE_NOOP("Settings", "Security and backup"),
}


@dataclass(frozen=True)
class Option:
    """A declared setting.

    Attributes:
        key: the name in the settings file (``group.name``).
        default: the value in force until someone changes it; its type is the setting's type.
        label: short name in the dialog and docs (English source text, see the module).
        help: what it does (tooltip and docs; English source text).
        group: the dialog tab (:data:`GROUPS`); ``None`` for values the app keeps itself.
        low, high: the accepted range of a number, or of each number in a mapping or list.
        choices: the accepted values of a text setting, with their labels (source texts).
        items: labels of the keys inside a mapping (source texts; keys without one show as
            themselves).
    """

    key: str
    default: Any
    label: str
    help: str
    group: str | None = None
    low: float | None = None
    high: float | None = None
    choices: dict[str, str] | None = None
    items: dict[str, str] = field(default_factory=dict)

    @property
    def type(self) -> type:
        return type(self.default)

    @property
    def description(self) -> str:
        """The English help (what older code and logs call the description)."""
        return self.help

    def accepts_type(self, value: Any) -> bool:
        """Whether ``value`` has this setting's type (a whole number is a decimal too)."""
        if self.default is None:
            return True
        if isinstance(self.default, float):
            return isinstance(value, int | float) and not isinstance(value, bool)
        if isinstance(self.default, int) and not isinstance(self.default, bool):
            return isinstance(value, int) and not isinstance(value, bool)
        return isinstance(value, type(self.default))

    def check(self, value: Any) -> None:
        """Raise :class:`UserError` (``field`` = the key) if ``value`` is not acceptable."""
        name = chinese(self.label)
        if not self.accepts_type(value):
            raise UserError(
                f"设置“{name}”的值类型不对",
                f"setting {self.key} needs a {type(self.default).__name__}",
                field=self.key,
            )
        if self.choices is not None and value not in self.choices:
            raise UserError(
                f"设置“{name}”不支持“{value}”",
                f"setting {self.key}: unsupported value {value!r}",
                field=self.key,
            )
        if self.low is None and self.high is None:
            return
        if isinstance(value, Mapping):
            for sub, number in value.items():
                item = self.items.get(str(sub))
                self._check_number(number, f"{name}“{chinese(item) if item else sub}”", f"[{sub}]")
        elif isinstance(value, list):
            for index, number in enumerate(value):
                self._check_number(number, f"{name}第 {index + 1} 项", f"[{index}]")
        else:
            self._check_number(value, name, "")

    def _check_number(self, value: Any, where_zh: str, sub: str) -> None:
        where_en = f"{self.key}{sub}"
        whole = isinstance(self.default, int) or (
            isinstance(self.default, dict | list) and _all_whole(self.default)
        )
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise UserError(f"{where_zh}应为数字", f"{where_en} must be a number", field=self.key)
        if whole and not isinstance(value, int):
            raise UserError(
                f"{where_zh}应为整数", f"{where_en} must be a whole number", field=self.key
            )
        low = self.low if self.low is not None else float("-inf")
        high = self.high if self.high is not None else float("inf")
        if not low <= value <= high:
            shown_low, shown_high = _shown(low), _shown(high)
            raise UserError(
                f"{where_zh}应在 {shown_low} 到 {shown_high} 之间,现为 {value}",
                f"{where_en} must be between {shown_low} and {shown_high}, not {value}",
                field=self.key,
            )


def _all_whole(container: Any) -> bool:
    values = container.values() if isinstance(container, dict) else container
    return bool(values) and all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _shown(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


OPTIONS: dict[str, Option] = {}


def declare(
    key: str,
    default: Any,
    label: str,
    help: str,
    *,
    group: str | None = None,
    low: float | None = None,
    high: float | None = None,
    choices: Mapping[str, str] | None = None,
    items: Mapping[str, str] | None = None,
) -> Option:
    """Declare a setting: ``label``, ``help`` and the labels of ``choices`` and ``items`` are
    source texts marked with ``QT_TRANSLATE_NOOP("Settings", …)``."""
    if key in OPTIONS:
        raise ValueError(f"setting {key!r} declared twice")
    if group is not None and group not in GROUPS:
        raise ValueError(f"setting {key!r}: unknown group {group!r}")
    option = Option(
        key,
        default,
        label,
        help,
        group,
        low,
        high,
        dict(choices) if choices is not None else None,
        dict(items or {}),
    )
    OPTIONS[key] = option
    return option


def options_of(group: str) -> list[Option]:
    """The options shown on one tab of the dialog, in declaration order."""
    return [option for option in OPTIONS.values() if option.group == group]
