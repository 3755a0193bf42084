"""Checks on the values of the settings dialog, with messages naming the field at fault.

Plain Python (no Qt) so the rules are tested without widgets and could serve a headless
``keyacct settings`` command too. Every problem raises :class:`UserError` with ``field`` set
to the setting key, so the dialog can show the page and focus the editor at fault. Types and
ranges come from the declarations (:meth:`keyacct_desktop.settings.Option.check`); the checks
here are those a range cannot say (addresses, files, calendars).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.settings import OPTIONS

LANGUAGES = ("zh_CN", "en")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


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


def _check_cutoffs(values: Mapping[str, Any]) -> None:
    cutoffs = values.get("pyramid.cumulative_cutoffs")
    if isinstance(cutoffs, list) and (
        len(cutoffs) != 3 or any(b <= a for a, b in itertools.pairwise(cutoffs))
    ):
        raise _fail(
            "pyramid.cumulative_cutoffs",
            "A/B/C 类累计占比分界应为 3 个依次递增的数",
            "the A/B/C cut-offs must be three rising numbers",
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
    for key, value in values.items():  # type and range of every declared setting
        if key in OPTIONS:
            OPTIONS[key].check(value)
    _check_cutoffs(values)
    _check_calendar(values)
