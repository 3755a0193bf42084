"""The status-bar indicator: offline / syncing / N pending / error / conflicts, last success."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from keyacct_desktop.gui.sync.state import SyncPhase, SyncStatus
from keyacct_desktop.gui.text import arg

if TYPE_CHECKING:
    from keyacct_desktop.sync.review import LocalOnly

#: Background colours per phase; conflicts and errors must catch the eye.
_STYLES = {
    "warning": "QLabel { background: #fff3cd; color: #7a4b00; padding: 1px 6px; }",
    "error": "QLabel { background: #f8d7da; color: #842029; padding: 1px 6px; }",
    "normal": "QLabel { padding: 1px 6px; }",
}


class SyncStatusLabel(QLabel):
    """Shows a :class:`SyncStatus`; a click asks for the Sync page (``clicked``)."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncState")
        self.setText(self.tr("Offline — no server configured"))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)

    def show_status(self, status: SyncStatus) -> None:
        info = status.overview
        parts: list[str] = []
        style = "normal"
        if status.phase is SyncPhase.UNCONFIGURED:
            parts.append(self.tr("Offline — not signed in to a server"))
        elif status.phase is SyncPhase.SYNCING:
            parts.append(self.tr("Syncing…"))
        elif status.phase is SyncPhase.OFFLINE:
            style = "warning"
            if status.retry_in_seconds is not None:
                parts.append(self.tr("Offline — retrying in %n s", "", status.retry_in_seconds))
            else:
                parts.append(self.tr("Offline"))
        elif status.phase is SyncPhase.ERROR:
            style = "error"
            parts.append(arg(self.tr("Sync error: %1"), status.message))
        elif info.last_success is not None:
            parts.append(arg(self.tr("Synced %1"), info.last_success.strftime("%m-%d %H:%M")))
        else:
            parts.append(self.tr("Not synced yet"))
        if info.pending:
            parts.append(self.tr("%n change(s) to upload", "", info.pending))
        if info.open_conflicts:
            style = "error" if style == "error" else "warning"
            parts.append(self.tr("%n conflict(s) to review", "", info.open_conflicts))
        if info.rejected:
            style = "error" if style == "error" else "warning"
            parts.append(self.tr("%n refused change(s) need attention", "", info.rejected))
        if info.set_aside:
            style = "error" if style == "error" else "warning"
            parts.append(self.tr("%n downloaded record(s) set aside", "", info.set_aside))
        if info.clock_is_off:
            style = "error" if style == "error" else "warning"
            parts.append(
                arg(
                    self.tr("computer clock is off by %1 min"),
                    round(abs(info.clock_skew_seconds) / 60),
                )
            )
        self.setText(" · ".join(parts))
        self.setStyleSheet(_STYLES[style])
        last = info.last_success.strftime("%Y-%m-%d %H:%M:%S") if info.last_success else "—"
        tip = arg(self.tr("Last successful sync: %1"), last)
        if status.message:
            tip += "\n" + status.message
        self.setToolTip(tip)


class LocalOnlyText(QObject):
    """Translated lines saying what exists only on this computer (sign-out, device wipe)."""

    def lines(self, left: LocalOnly) -> list[str]:
        lines = []
        if left.pending:
            lines.append(self.tr("• %n change(s) not yet uploaded to the server", "", left.pending))
        if left.refused:
            lines.append(
                self.tr("• %n change(s) refused by the server, needing attention", "", left.refused)
            )
        if left.set_aside:
            lines.append(
                self.tr(
                    "• %n downloaded record(s) not yet applied on this computer", "", left.set_aside
                )
            )
        if left.open_conflicts:
            lines.append(self.tr("• %n sync conflict(s) not yet reviewed", "", left.open_conflicts))
        return lines


def local_only_lines(left: LocalOnly) -> list[str]:
    """One line per kind of work that exists only on this computer, in the UI language."""
    return LocalOnlyText().lines(left)
