"""How a setting is declared: :class:`Option` (key, type, default, range or choices, zh/en
label and help, dialog tab), :func:`declare` and the registry :data:`OPTIONS`, filled by
``settings.catalog``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from keyacct_desktop.domain.errors import UserError

SETTINGS_FILENAME = "settings.json"
#: The key under which the settings file records the version of its layout.
VERSION_KEY = "_version"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Text:
    """A text in Chinese (the default) and English."""

    zh: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.zh


def _text(value: Text | tuple[str, str] | str) -> Text:
    if isinstance(value, Text):
        return value
    if isinstance(value, tuple):
        return Text(*value)
    return Text(value, value)


#: The tabs of the settings dialog, in order: group key -> title.
GROUPS: dict[str, Text] = {
    "server": Text("服务器", "Server"),
    "letterhead": Text("信头", "Letterhead"),
    "visits": Text("走访周期", "Visit frequencies"),
    "limits": Text("办理时限", "Time limits"),
    "plans": Text("供电方案", "Supply plans"),
    "outages": Text("停电通知", "Outage notices"),
    "economics": Text("用电与电费", "Consumption and billing"),
    "credit": Text("信用与欠费", "Credit and arrears"),
    "calendar": Text("节假日日历", "Holiday calendar"),
    "language": Text("语言和单位", "Language and units"),
    "security": Text("安全与备份", "Security and backup"),
}


@dataclass(frozen=True)
class Option:
    """A declared setting.

    Attributes:
        key: the name in the settings file (``group.name``).
        default: the value in force until someone changes it; its type is the setting's type.
        label: short name in the dialog and docs.
        help: what it does (tooltip and docs).
        group: the dialog tab (:data:`GROUPS`); ``None`` for values the app keeps itself.
        low, high: the accepted range of a number, or of each number in a mapping or list.
        choices: the accepted values of a text setting, with their labels.
        items: labels of the keys inside a mapping (keys without one show as themselves).
    """

    key: str
    default: Any
    label: Text
    help: Text
    group: str | None = None
    low: float | None = None
    high: float | None = None
    choices: dict[str, Text] | None = None
    items: dict[str, Text] = field(default_factory=dict)

    @property
    def type(self) -> type:
        return type(self.default)

    @property
    def description(self) -> str:
        """The English help (what older code and logs call the description)."""
        return self.help.en

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
        name = self.label.zh
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
                self._check_number(number, f"{name}“{item.zh if item else sub}”", f"[{sub}]")
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
    label: tuple[str, str],
    help: tuple[str, str],
    *,
    group: str | None = None,
    low: float | None = None,
    high: float | None = None,
    choices: Mapping[str, tuple[str, str]] | None = None,
    items: Mapping[str, tuple[str, str]] | None = None,
) -> Option:
    """Declare a setting: ``label`` and ``help`` are (Chinese, English)."""
    if key in OPTIONS:
        raise ValueError(f"setting {key!r} declared twice")
    if group is not None and group not in GROUPS:
        raise ValueError(f"setting {key!r}: unknown group {group!r}")
    option = Option(
        key,
        default,
        _text(label),
        _text(help),
        group,
        low,
        high,
        {k: _text(v) for k, v in choices.items()} if choices is not None else None,
        {k: _text(v) for k, v in (items or {}).items()},
    )
    OPTIONS[key] = option
    return option


def options_of(group: str) -> list[Option]:
    """The options shown on one tab of the dialog, in declaration order."""
    return [option for option in OPTIONS.values() if option.group == group]
