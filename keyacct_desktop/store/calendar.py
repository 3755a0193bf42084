"""The work calendar a device counts time limits with: the synced table over the bundled files.

An administrator keeps the province's calendar on the server (``keyacct-server calendar``);
every device downloads it (table ``work_calendar``). A year found there replaces the bundled
``resources/calendar/cn-YYYY.json`` of the same year; the bundled files remain the fallback
(a device that never synced, a year the server has not published). A year marked
``estimated`` stays estimated, so documents counted over it still print "按预估日历计算".
Every screen and document gets its calendar from :func:`work_calendar`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from keyacct_desktop.domain.workdays import WorkCalendar, YearData, bundled_years, parse_dates
from keyacct_desktop.store.models import WorkCalendarYear


def year_data_of(row: WorkCalendarYear | dict[str, Any]) -> YearData:
    """A synced year (a row, or its wire data) as the calendar's :class:`YearData`."""
    get = row.get if isinstance(row, dict) else lambda key: getattr(row, key)
    status = str(get("status") or "estimated")
    return YearData(
        int(get("year") or 0),
        status if status in ("official", "estimated") else "estimated",
        "server",
        str(get("source") or ""),
        parse_dates(get("holidays") or []),
        parse_dates(get("extra_workdays") or []),
    )


def synced_years(session: Any) -> dict[int, YearData]:
    """The years the server has distributed (malformed rows are skipped, never fatal)."""
    years: dict[int, YearData] = {}
    for row in session.scalars(select(WorkCalendarYear)):
        try:
            data = year_data_of(row)
        except (TypeError, ValueError):
            continue
        years[data.year] = data
    return years


def calendar_years(store: Any) -> dict[int, YearData]:
    """Bundled years, replaced year by year by the synced ones."""
    with store.read() as session:
        synced = synced_years(session)
    return {**bundled_years(), **synced}


def work_calendar(store: Any, settings: Any) -> WorkCalendar:
    """The calendar of this device: synced years over bundled files, then the local settings."""
    return WorkCalendar.from_settings(settings, calendar_years(store))
