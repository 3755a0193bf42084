"""The visit plan's rule, shared by the laptop (``services.visit_schedule``) and the server's
specialist dashboard (``server.web.desk``): when a customer's next visit is due.

A customer's next visit is due a fixed number of days after the last completed one: the
shorter of the frequency of its pyramid class and of its important-customer grade (settings
``visits.class_frequency_days`` / ``visits.grade_frequency_days``). A customer never visited
is due today: due, not yet overdue. Overdue means the due day has passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

#: Days between visits of a class the settings do not name.
DEFAULT_FREQUENCY_DAYS = 180


def frequency_days(
    pyramid_class: str | None,
    important_grade: str | None,
    by_class: Mapping[str, int],
    by_grade: Mapping[str, int],
) -> int:
    """Days between visits: the shorter of the class and the important-grade frequency
    (a customer without a class counts as D)."""
    candidates = [int(by_class.get(pyramid_class or "D", DEFAULT_FREQUENCY_DAYS))]
    if important_grade and important_grade in by_grade:
        candidates.append(int(by_grade[important_grade]))
    return min(candidates)


def due_on(last_visit: date | None, frequency: int, today: date) -> date:
    """The day the next visit is due (today for a customer never visited)."""
    return last_visit + timedelta(days=frequency) if last_visit is not None else today


def is_overdue(last_visit: date | None, frequency: int, today: date) -> bool:
    return due_on(last_visit, frequency, today) < today
