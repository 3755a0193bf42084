"""What a manager sees when the app fails unexpectedly: a dialog, not a silent window.

``keyacct_desktop.logs`` writes the traceback into the log file; here the GUI adds

* a dialog (Chinese by default) that says an error happened and where the log is, with
  "复制详细信息" (copy details) for the administrator, and the details themselves;
* Qt's own warnings (``qWarning``/``qCritical``, e.g. a broken signal connection) in the log
  under the ``qt`` logger, where a windowed build would otherwise drop them.

An exception in a worker thread is reported on the GUI thread (a queued signal), and while
one crash dialog is open further errors are only logged, so a failing timer cannot stack
dialogs faster than they can be closed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QtMsgType, QUrl, Signal, qInstallMessageHandler
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop import logs

log = logging.getLogger(__name__)
qt_log = logging.getLogger("qt")

QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


class CrashDialog(QDialog):
    """The error, where its log is, and a button that copies the details."""

    def __init__(self, details: str, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details = details
        self.log_path = log_path
        self.setWindowTitle(self.tr("KeyAcct: unexpected error"))
        layout = QVBoxLayout(self)
        text = self.tr(
            "An unexpected error happened. Your saved data is not affected; the action that "
            "failed may not have finished. Please copy the details and send them to your "
            "administrator."
        )
        message = QLabel(text)
        message.setWordWrap(True)
        layout.addWidget(message)
        where = (
            self.tr("Log file: %1").replace("%1", str(log_path))
            if log_path is not None
            else self.tr("No log file is being written.")
        )
        self.log_label = QLabel(where)
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.log_label)
        self.details_view = QPlainTextEdit(details)
        self.details_view.setReadOnly(True)
        self.details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.details_view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("Copy details"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        self.folder_button = QPushButton(self.tr("Open log folder"))
        self.folder_button.setEnabled(log_path is not None)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button.clicked.connect(self.open_log_folder)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText(self.tr("Copied"))

    def open_log_folder(self) -> None:
        if self.log_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_path.parent)))


class CrashReporter(QObject):
    """Shows :class:`CrashDialog` on the GUI thread for crashes reported from any thread."""

    crashed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.showing = False
        self.shown = 0
        self.crashed.connect(self._show)  # queued when emitted from another thread

    def report(self, details: str) -> None:
        """The listener of ``logs.install_exception_hooks``: safe from any thread."""
        self.crashed.emit(details)

    def _show(self, details: str) -> None:
        if self.showing:
            return  # logged already; one dialog at a time
        self.showing = True
        try:
            parent = QApplication.activeWindow()
            dialog = CrashDialog(details, logs.current_log_file(), parent)
            self.shown += 1
            dialog.exec()
        finally:
            self.showing = False


def _qt_message(msg_type: QtMsgType, context: Any, message: str) -> None:
    level = QT_LEVELS.get(msg_type, logging.WARNING)
    where = f" ({context.file}:{context.line})" if context is not None and context.file else ""
    qt_log.log(level, "%s%s", message, where)


@dataclass
class CrashReporting:
    """Everything :func:`install_crash_reporting` set up; ``uninstall`` undoes it (tests)."""

    reporter: CrashReporter
    hooks: logs.ExceptionHooks
    previous_qt_handler: Any

    def uninstall(self) -> None:
        self.hooks.uninstall()
        qInstallMessageHandler(self.previous_qt_handler)


def install_crash_reporting(app: QApplication) -> CrashReporting:
    """Exception hooks that log and show :class:`CrashDialog`; Qt's messages into the log.

    Qt's previous message handler (the console, or pytest-qt's capture) still gets every
    message after it was logged.
    """
    reporter = CrashReporter(app)
    hooks = logs.install_exception_hooks(reporter.report)
    previous: Any = None

    def qt_message(msg_type: QtMsgType, context: Any, message: str) -> None:
        _qt_message(msg_type, context, message)
        if previous is not None:
            previous(msg_type, context, message)

    previous = qInstallMessageHandler(qt_message)
    return CrashReporting(reporter, hooks, previous)
