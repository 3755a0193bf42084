"""The sync state the status bar and the Sync page show, apart from the controller.

Kept free of SQLAlchemy and the sync client so that the main window's status bar can be
built before the store is open (the window shows first; see ``gui/app.py``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyacct_desktop.sync.review import SyncOverview
    from keyacct_desktop.sync.state import SyncReport


class SyncPhase(enum.Enum):
    UNCONFIGURED = "unconfigured"  # no server or not signed in: the app works offline
    IDLE = "idle"  # last attempt succeeded (or none yet)
    SYNCING = "syncing"
    OFFLINE = "offline"  # server unreachable; retrying with backoff
    ERROR = "error"  # the server refused; needs the manager (e.g. sign in again)


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar and the Sync page show."""

    phase: SyncPhase
    overview: SyncOverview
    message: str = ""
    retry_in_seconds: int | None = None
    last_report: SyncReport | None = field(default=None, compare=False)
