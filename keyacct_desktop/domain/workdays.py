"""Working-day arithmetic for service time limits (工作日), with a calendar that never runs out.

Chinese public holidays move every year and some weekends become working days (调休), so
the calendar is data, one versioned file per year (``resources/calendar/cn-YYYY.json``:
status ``official`` or ``estimated``, holidays, make-up working days). An administrator adds
days in settings (``calendar.holidays``, ``calendar.extra_workdays``) and may declare a year
official (``calendar.official_years``): its settings days then replace the bundled ones.
A year with no official data is *estimated* (the statutory festivals, from the ``holidays``
package, without 调休), and every deadline that counts a day of such a year says so
(:attr:`Deadline.estimated`, printed "按预估日历计算").
A time limit of N working days from an acceptance date ends on the N-th working day *after*
that date (the acceptance day itself does not count).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

#: Printed beside a deadline that counts days of a year without official holiday data.
ESTIMATED_MARK = "按预估日历计算"


@dataclass(frozen=True)
class Deadline:
    """The last day of a time limit; ``estimated`` when a year without official data counts."""

    on: date
    days: int
    estimated: bool = False

    def label(self, fmt: str = "%Y-%m-%d") -> str:
        """As printed and shown: "2027-01-11", or "2027-01-11(按预估日历计算)"."""
        return f"{self.on:{fmt}}" + (f"({ESTIMATED_MARK})" if self.estimated else "")


def parse_dates(values: Iterable[str | date]) -> frozenset[date]:
    """ISO strings (from settings) or dates; a malformed entry raises ``ValueError`` naming it."""
    result = set()
    for value in values:
        if isinstance(value, date):
            result.add(value)
            continue
        try:
            result.add(date.fromisoformat(str(value).strip()))
        except ValueError as error:
            raise ValueError(f"not a date (YYYY-MM-DD): {value!r}") from error
    return frozenset(result)


@dataclass(frozen=True)
class YearData:
    """One year of the holiday calendar as shipped (or estimated)."""

    year: int
    status: str  # "official" / "estimated"
    version: str
    source: str
    holidays: frozenset[date]
    extra_workdays: frozenset[date]

    @property
    def official(self) -> bool:
        return self.status == "official"


def load_year_files(directory: Path) -> dict[int, YearData]:
    """The bundled ``cn-YYYY.json`` files; a malformed one raises ``ValueError`` naming it."""
    years: dict[int, YearData] = {}
    for path in sorted(directory.glob("cn-*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            data = YearData(
                int(raw["year"]),
                str(raw["status"]),
                str(raw.get("version", "")),
                str(raw.get("source", "")),
                parse_dates(raw.get("holidays", [])),
                parse_dates(raw.get("extra_workdays", [])),
            )
        except (OSError, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"holiday calendar file {path.name} is malformed: {error}") from error
        if data.status not in ("official", "estimated"):
            raise ValueError(f"holiday calendar file {path.name}: unknown status {data.status!r}")
        years[data.year] = data
    return years


@cache
def _bundled(directory: Path) -> dict[int, YearData]:
    return load_year_files(directory)


def bundled_years() -> dict[int, YearData]:
    """The calendar years shipped in ``resources/calendar``."""
    from keyacct_desktop.paths import resources_dir

    return dict(_bundled(resources_dir() / "calendar"))


def missing_next_year(calendar: WorkCalendar, today: date) -> int | None:
    """From November on: next year, when its official holiday data is still missing (首页)."""
    if today.month >= 11 and not calendar.is_official(today.year + 1):
        return today.year + 1
    return None


@cache
def estimate_year(year: int) -> YearData:
    """A year nobody has published: the statutory festivals (lunar ones computed), no 调休."""
    # Imported by name (not country_holidays("CN")) so a frozen build bundles the module.
    from holidays import __version__ as holidays_version
    from holidays.countries.china import China

    table = China(years=year)
    return YearData(
        year,
        "estimated",
        "",
        f"按法定节日推算(holidays {holidays_version}),未含调休",
        frozenset(day for day in table if day.year == year),
        frozenset(),
    )


@dataclass(frozen=True)
class WorkCalendar:
    """Monday–Friday working days, minus ``holidays``, plus ``extra_workdays`` (调休).

    ``official_years`` are the years whose data is the published notice; ``None`` means the
    calendar was built from bare day lists (tests, old callers) and flags nothing.
    """

    holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)
    official_years: frozenset[int] | None = None
    known_years: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def build(
        cls,
        year_data: dict[int, YearData],
        holidays: frozenset[date] = frozenset(),
        extra_workdays: frozenset[date] = frozenset(),
        admin_official_years: Iterable[int] = (),
        estimate_until: int | None = None,
    ) -> WorkCalendar:
        """Bundled years, then the administrator's days (replacing a year declared official),
        then an estimate for each later year up to ``estimate_until``."""
        admin_years = frozenset(int(y) for y in admin_official_years)
        days_off: set[date] = set()
        workdays: set[date] = set()
        official: set[int] = set(admin_years)
        years = dict(year_data)
        last = max([*years, *admin_years, *(d.year for d in holidays)], default=date.today().year)
        for year in range(min(years, default=last), max(last, estimate_until or last) + 1):
            if year not in years and year not in admin_years:
                years[year] = estimate_year(year)
        for year, data in years.items():
            if year in admin_years:
                continue  # the administrator's own list is the official one
            days_off |= data.holidays
            workdays |= data.extra_workdays
            if data.official:
                official.add(year)
        return cls(
            frozenset(days_off | set(holidays)),
            frozenset(workdays | set(extra_workdays)),
            frozenset(official),
            frozenset(years) | admin_years,
        )

    @classmethod
    def from_settings(
        cls, settings: object, year_data: dict[int, YearData] | None = None
    ) -> WorkCalendar:
        get = settings.get  # type: ignore[attr-defined]
        if year_data is None:
            year_data = bundled_years()
        try:
            admin_years = list(get("calendar.official_years"))
        except KeyError:
            admin_years = []
        return cls.build(
            year_data,
            parse_dates(get("calendar.holidays")),
            parse_dates(get("calendar.extra_workdays")),
            admin_years,
            estimate_until=date.today().year + 3,
        )

    def is_official(self, year: int) -> bool:
        return self.official_years is None or year in self.official_years

    def estimated_between(self, start: date, end: date) -> bool:
        """Whether counting from ``start`` to ``end`` uses a year without official data."""
        low, high = sorted((start, end))
        return any(not self.is_official(year) for year in range(low.year, high.year + 1))

    def deadline(self, start: date, days: int) -> Deadline:
        """The end of a limit of ``days`` working days, and whether it rests on an estimate."""
        end = self.add_workdays(start, days)
        return Deadline(end, days, self.estimated_between(start, end))

    def is_workday(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_workdays(self, start: date, days: int) -> date:
        """The date on which a limit of ``days`` working days, counted from ``start``, ends."""
        if days < 0:
            raise ValueError("days must be >= 0")
        current = start
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.is_workday(current):
                remaining -= 1
        return current

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        if end < start:
            return -self.workdays_between(end, start)
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count


@dataclass(frozen=True)
class LimitStatus:
    """Where a time limit stands today."""

    deadline: date
    remaining: int  # working days left; 0 = due today, negative = overdue
    warning: bool  # within the warning threshold
    overdue: bool
    estimated: bool = False  # counted over a year without official holiday data


def limit_status(
    calendar: WorkCalendar, start: date, days: int, today: date, warn_within: int = 3
) -> LimitStatus:
    end = calendar.deadline(start, days)
    remaining = calendar.workdays_between(today, end.on)
    overdue = today > end.on
    return LimitStatus(
        end.on, remaining, not overdue and remaining <= warn_within, overdue, end.estimated
    )


NOT_STARTED = "not_started"
RUNNING = "running"
DONE = "done"


@dataclass(frozen=True)
class StepClock:
    """Where the time limit of one step stands: not started, running, or done.

    A step's clock starts when the step starts (the customer's request for it arrives, or the
    previous step completes), never at acceptance unless the step starts there (plan reply).
    Only a running clock has days left, can warn or be overdue.
    """

    state: str  # NOT_STARTED / RUNNING / DONE
    days: int
    started_on: date | None = None
    completed_on: date | None = None
    deadline: date | None = None  # started_on + days working days
    remaining: int | None = None  # running only: working days left (0 = due today)
    warning: bool = False
    overdue: bool = False
    late: bool = False  # done after its deadline
    estimated: bool = False  # the deadline counts a year without official holiday data

    @property
    def needs_attention(self) -> bool:
        """What the dashboard tile and the page's warnings count: running and near or past due."""
        return self.warning or self.overdue


def step_clock(
    calendar: WorkCalendar,
    days: int,
    started_on: date | None,
    completed_on: date | None,
    today: date,
    warn_within: int = 3,
) -> StepClock:
    """The one rule for a tracked time limit, used by the checklist page and the dashboard."""
    if completed_on is not None:  # done (an old record may lack its start: no deadline then)
        deadline = calendar.add_workdays(started_on, days) if started_on else None
        late = deadline is not None and completed_on > deadline
        estimated = deadline is not None and calendar.estimated_between(started_on, deadline)  # type: ignore[arg-type]
        return StepClock(
            DONE, days, started_on, completed_on, deadline, late=late, estimated=estimated
        )
    if started_on is None:
        return StepClock(NOT_STARTED, days)
    deadline = calendar.add_workdays(started_on, days)
    status = limit_status(calendar, started_on, days, today, warn_within)
    return StepClock(
        RUNNING,
        days,
        started_on,
        None,
        deadline,
        status.remaining,
        status.warning,
        status.overdue,
        estimated=status.estimated,
    )
