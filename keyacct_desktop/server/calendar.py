"""The province's work calendar, kept on the server and downloaded by every device.

``keyacct-server calendar`` edits it: import a year from a JSON file (the format of the
bundled ``resources/calendar/cn-YYYY.json``) or a CSV file (``date,kind`` lines, kind
``holiday``/``休`` or ``workday``/``班``), list the years, set or unset one day, and mark a year
official or estimated. Each change is one new version of the year's ``work_calendar`` row
(id derived from the year), so devices receive it at their next sync like a park or a grid,
and is written to the audit log.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyacct_desktop.domain.workdays import YearData, bundled_years, estimate_year, parse_dates
from keyacct_desktop.server.models import AuditEntry, SyncRow
from keyacct_desktop.store.models import calendar_year_id

TABLE = "work_calendar"
STATUSES = ("official", "estimated")
HOLIDAY_WORDS = {"holiday", "休", "假", "节假日", "off"}
WORKDAY_WORDS = {"workday", "班", "上班", "调休", "work"}


def _data(year: YearData) -> dict[str, Any]:
    return {
        "id": str(calendar_year_id(year.year)),
        "year": year.year,
        "status": year.status,
        "source": year.source or None,
        "holidays": sorted(d.isoformat() for d in year.holidays),
        "extra_workdays": sorted(d.isoformat() for d in year.extra_workdays),
    }


def _row(session: Session, year: int) -> SyncRow | None:
    row = session.get(SyncRow, (TABLE, calendar_year_id(year)))
    return None if row is None or row.deleted else row


def current_year(session: Session, year: int) -> YearData | None:
    """The year as the server distributes it, else the bundled file, else nothing."""
    from keyacct_desktop.store.calendar import year_data_of

    row = _row(session, year)
    if row is not None:
        return year_data_of(row.data)
    return bundled_years().get(year)


def _check(year: YearData) -> None:
    if year.status not in STATUSES:
        raise ValueError(f"status must be official or estimated, not {year.status!r}")
    if not 2000 <= year.year <= 2100:
        raise ValueError(f"not a calendar year: {year.year}")
    strays = sorted(d for d in year.holidays | year.extra_workdays if d.year != year.year)
    if strays:
        raise ValueError(f"{strays[0]} is not in {year.year}")
    both = sorted(year.holidays & year.extra_workdays)
    if both:
        raise ValueError(f"{both[0]} is both a holiday and a make-up workday")


def save_year(session: Session, year: YearData, action: str) -> None:
    """Write the year as a new version every device downloads (and audit it)."""
    from keyacct_desktop.server.rows import write_row

    _check(year)
    row_id = calendar_year_id(year.year)
    write_row(session, TABLE, row_id, _data(year))
    session.add(
        AuditEntry(
            action=f"calendar-{action}",
            table_name=TABLE,
            row_id=row_id,
            detail={"year": year.year, "status": year.status},
            note="keyacct-server calendar",
        )
    )


def parse_file(path: Path, year: int | None = None, status: str | None = None) -> YearData:
    """A year from a JSON (cn-YYYY.json format) or CSV (``date,kind``) file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror}") from None
    if path.suffix.lower() == ".json":
        try:
            raw = json.loads(text)
            found = YearData(
                int(raw.get("year") or year or 0),
                str(status or raw.get("status") or "official"),
                str(raw.get("version", "")),
                str(raw.get("source", "")),
                parse_dates(raw.get("holidays", [])),
                parse_dates(raw.get("extra_workdays", [])),
            )
        except (AttributeError, TypeError, ValueError) as error:
            raise ValueError(f"{path.name} is not a calendar year file: {error}") from None
    else:
        holidays: set[date] = set()
        workdays: set[date] = set()
        for number, line in enumerate(csv.reader(io.StringIO(text)), start=1):
            cells = [c.strip() for c in line]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if len(cells) < 2:
                raise ValueError(f"{path.name} line {number}: expected date,kind")
            try:
                day = date.fromisoformat(cells[0])
            except ValueError:
                if number == 1:
                    continue  # a header row
                raise ValueError(f"{path.name} line {number}: not a date: {cells[0]!r}") from None
            kind = cells[1].lower()
            if kind in HOLIDAY_WORDS:
                holidays.add(day)
            elif kind in WORKDAY_WORDS:
                workdays.add(day)
            else:
                raise ValueError(
                    f"{path.name} line {number}: kind must be holiday/休 or workday/班"
                )
        years = {d.year for d in holidays | workdays}
        if year is None and len(years) != 1:
            raise ValueError(f"{path.name}: give --year (dates of {len(years)} years found)")
        found = YearData(
            year or years.pop(),
            status or "official",
            "",
            f"导入自 {path.name}",
            frozenset(holidays),
            frozenset(workdays),
        )
    if year is not None and found.year != year:
        raise ValueError(f"{path.name} is the calendar of {found.year}, not {year}")
    return found


def import_year(session: Session, year: YearData) -> None:
    save_year(session, year, "import")


def set_day(session: Session, day: date, kind: str | None) -> YearData:
    """Make ``day`` a holiday, a make-up workday, or (``None``) an ordinary day again."""
    if kind not in (None, "holiday", "workday"):
        raise ValueError("kind must be holiday or workday")
    # a year nobody entered yet starts from the estimate devices would use (festivals, no 调休)
    base = current_year(session, day.year) or estimate_year(day.year)
    holidays = set(base.holidays) - {day}
    workdays = set(base.extra_workdays) - {day}
    if kind == "holiday":
        holidays.add(day)
    elif kind == "workday":
        workdays.add(day)
    year = YearData(
        base.year, base.status, "", base.source, frozenset(holidays), frozenset(workdays)
    )
    save_year(session, year, "set" if kind else "unset")
    return year


def set_status(session: Session, year_no: int, status: str) -> YearData:
    base = current_year(session, year_no)
    if base is None:
        raise ValueError(f"no calendar for {year_no}: import it first")
    year = YearData(year_no, status, "", base.source, base.holidays, base.extra_workdays)
    save_year(session, year, "status")
    return year


def list_years(session: Session) -> list[tuple[YearData, str]]:
    """Every year a device will count with: the server's, then bundled ones it lacks."""
    from keyacct_desktop.store.calendar import year_data_of

    years: dict[int, tuple[YearData, str]] = {
        year: (data, "bundled") for year, data in bundled_years().items()
    }
    rows = session.scalars(
        select(SyncRow).where(SyncRow.table_name == TABLE, SyncRow.deleted.is_(False))
    )
    for row in rows:
        data = year_data_of(row.data)
        years[data.year] = (data, f"server v{row.version}")
    return [years[year] for year in sorted(years)]
