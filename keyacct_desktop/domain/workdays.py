"""Working-day arithmetic for service time limits (工作日), with a configurable calendar.

Chinese public holidays move every year and some weekends become working days (调休), so
the calendar is data: a set of extra holidays and a set of extra working days, kept in
settings (``calendar.holidays``, ``calendar.extra_workdays``) for an administrator to edit.
A time limit of N working days from an acceptance date ends on the N-th working day *after*
that date (the acceptance day itself does not count).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

#: 2026 defaults after the State Council's holiday notice; administrators check and edit them.
DEFAULT_HOLIDAYS_2026: tuple[str, ...] = (
    "2026-01-01", "2026-01-02", "2026-01-03",
    "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
    "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
    "2026-04-04", "2026-04-05", "2026-04-06",
    "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
    "2026-06-19", "2026-06-20", "2026-06-21",
    "2026-09-25", "2026-09-26", "2026-09-27",
    "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
    "2026-10-05", "2026-10-06", "2026-10-07",
)  # fmt: skip
DEFAULT_EXTRA_WORKDAYS_2026: tuple[str, ...] = (
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
)  # fmt: skip


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
class WorkCalendar:
    """Monday–Friday working days, minus ``holidays``, plus ``extra_workdays`` (调休)."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def from_settings(cls, settings: object) -> WorkCalendar:
        get = settings.get  # type: ignore[attr-defined]
        return cls(
            parse_dates(get("calendar.holidays")), parse_dates(get("calendar.extra_workdays"))
        )

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


def limit_status(
    calendar: WorkCalendar, start: date, days: int, today: date, warn_within: int = 3
) -> LimitStatus:
    deadline = calendar.add_workdays(start, days)
    remaining = calendar.workdays_between(today, deadline)
    overdue = today > deadline
    return LimitStatus(deadline, remaining, not overdue and remaining <= warn_within, overdue)


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
        return StepClock(DONE, days, started_on, completed_on, deadline, late=late)
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
    )
