"""Qt's dates as Python's: ``QDate.toPython`` and ``QDateTime.toPython`` are typed ``object``."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from PySide6.QtCore import QDate, QDateTime, QTime


def py_date(value: QDate) -> date:
    return cast(date, value.toPython())  # a QDate converts to a datetime.date


def py_datetime(value: QDateTime) -> datetime:
    return cast(datetime, value.toPython())  # a QDateTime converts to a datetime.datetime


def q_datetime(value: datetime) -> QDateTime:
    """A naive Python datetime as a local QDateTime (to the second)."""
    return QDateTime(
        QDate(value.year, value.month, value.day), QTime(value.hour, value.minute, value.second)
    )
