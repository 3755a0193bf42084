"""Checks on the values of the settings dialog, with messages naming the field at fault.

Plain Python (no Qt) so the rules are tested without widgets and could serve a headless
``keyacct settings`` command too. Every problem raises :class:`UserError` with ``field`` set
to the setting key, so the dialog can show the page and focus the editor at fault.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from keyacct_desktop.domain.errors import UserError

LANGUAGES = ("zh_CN", "en")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"

#: Accepted ranges of whole-number settings: key -> (lowest, highest, Chinese name).
INT_RANGES: dict[str, tuple[int, int, str]] = {
    "security.idle_lock_minutes": (0, 480, "空闲锁定分钟数"),
    "limits.warn_within_workdays": (0, 30, "时限预警工作日数"),
    "sync.interval_seconds": (30, 86_400, "同步间隔秒数"),
}
#: Accepted ranges of the values inside dict-valued settings.
DICT_RANGES: dict[str, tuple[int, int, str]] = {
    "visits.class_frequency_days": (1, 3650, "按客户分级的走访周期(天)"),
    "visits.grade_frequency_days": (1, 3650, "按重要等级的走访周期(天)"),
    "limits.working_days": (1, 365, "办理时限(工作日)"),
    "limits.customer_terms": (1, 366, "客户须知期限"),
}


def _fail(key: str, zh: str, en: str) -> UserError:
    return UserError(zh, en, field=key)


def _check_url(url: str) -> None:
    if not url:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        raise _fail(
            "sync.server_url",
            f"服务器地址“{url}”无效:应以 https:// 或 http:// 开头,后接主机名",
            f"server URL {url!r} is not valid: it must start with https:// or http:// "
            "followed by a host name",
        )


def _check_logo(path_text: str) -> None:
    if not path_text:
        return
    path = Path(path_text)
    if not path.is_file():
        raise _fail(
            "letterhead.logo_path",
            f"信头徽标文件不存在:{path_text}",
            f"letterhead logo file does not exist: {path_text}",
        )
    try:
        head = path.read_bytes()[:8]
    except OSError as error:
        raise _fail(
            "letterhead.logo_path",
            f"信头徽标文件无法读取:{error}",
            f"letterhead logo file cannot be read: {error}",
        ) from error
    if not (head.startswith(PNG_MAGIC) or head.startswith(JPEG_MAGIC)):
        raise _fail(
            "letterhead.logo_path",
            f"信头徽标须为 PNG 或 JPEG 图片:{path.name}",
            f"the letterhead logo must be a PNG or JPEG image: {path.name}",
        )


def _dates(key: str, values: Any, name_zh: str) -> set[date]:
    if not isinstance(values, list):
        raise _fail(key, f"{name_zh}应为日期列表", f"{key} must be a list of dates")
    result: set[date] = set()
    for value in values:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise _fail(
                key,
                f"{name_zh}中的“{value}”不是日期(格式 YYYY-MM-DD)",
                f"{key}: {value!r} is not a date (YYYY-MM-DD)",
            ) from None
        if day in result:
            raise _fail(key, f"{name_zh}中 {day} 重复", f"{key}: {day} is listed twice")
        result.add(day)
    return result


def _check_calendar(values: Mapping[str, Any]) -> None:
    holidays = _dates("calendar.holidays", values.get("calendar.holidays", []), "节假日")
    extra = _dates(
        "calendar.extra_workdays", values.get("calendar.extra_workdays", []), "调休工作日"
    )
    for day in sorted(extra):
        if day.weekday() < 5:
            raise _fail(
                "calendar.extra_workdays",
                f"调休工作日 {day} 不是周末:只有周六、周日需要登记为调休上班",
                f"extra working day {day} is not a weekend day: only Saturdays and Sundays "
                "need to be listed as working days",
            )
    both = sorted(holidays & extra)
    if both:
        raise _fail(
            "calendar.extra_workdays",
            f"{both[0]} 既是节假日又是调休工作日",
            f"{both[0]} is both a holiday and an extra working day",
        )


def _check_int(key: str, value: Any, low: int, high: int, name_zh: str, sub: str = "") -> None:
    where_zh = f"{name_zh}“{sub}”" if sub else name_zh
    where_en = f"{key}[{sub}]" if sub else key
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(key, f"{where_zh}应为整数", f"{where_en} must be a whole number")
    if not low <= value <= high:
        raise _fail(
            key,
            f"{where_zh}应在 {low} 到 {high} 之间,现为 {value}",
            f"{where_en} must be between {low} and {high}, not {value}",
        )


def validate(values: Mapping[str, Any]) -> None:
    """Raise :class:`UserError` (``field`` = setting key) for the first invalid value."""
    language = values.get("ui.language", "zh_CN")
    if language not in LANGUAGES:
        raise _fail(
            "ui.language", f"不支持的界面语言:{language}", f"unsupported UI language: {language}"
        )
    _check_url(str(values.get("sync.server_url", "")).strip())
    username = str(values.get("sync.username", ""))
    if username != username.strip() or " " in username or len(username) > 64:
        raise _fail(
            "sync.username",
            "服务器账号不能包含空格,且不超过 64 个字符",
            "the server account name must not contain spaces and has at most 64 characters",
        )
    for key, (zh, en) in {
        "letterhead.company": ("单位名称", "company name"),
        "letterhead.hotline": ("服务热线", "service hotline"),
    }.items():
        if key in values and not str(values[key]).strip():
            raise _fail(key, f"信头的{zh}不能为空", f"the letterhead {en} must not be empty")
    hotline = str(values.get("letterhead.hotline", "95598")).strip()
    if hotline and not all(ch.isdigit() or ch in "-+ ()" for ch in hotline):
        raise _fail(
            "letterhead.hotline",
            f"服务热线“{hotline}”只能包含数字和 - + ( )",
            f"service hotline {hotline!r} may contain only digits and - + ( )",
        )
    _check_logo(str(values.get("letterhead.logo_path", "")).strip())
    for key, (low, high, name_zh) in INT_RANGES.items():
        if key in values:
            _check_int(key, values[key], low, high, name_zh)
    for key, (low, high, name_zh) in DICT_RANGES.items():
        if key not in values:
            continue
        mapping = values[key]
        if not isinstance(mapping, dict):
            raise _fail(key, f"{name_zh}格式不对", f"{key} must be a mapping")
        for sub, value in mapping.items():
            _check_int(key, value, low, high, name_zh, sub)
    _check_calendar(values)
