"""The one place where errors reach the user in the GUI."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.progress import Cancelled

log = logging.getLogger(__name__)


def error_text(error: BaseException, language: str = "zh_CN") -> str:
    """The message for ``error`` in the UI language; unexpected errors get a generic text."""
    if isinstance(error, UserError):
        return error.message(language)
    if language.startswith("en"):
        return f"Unexpected error: {error}"
    return f"发生意外错误:{error}"


def show_error(parent: QWidget | None, error: BaseException, language: str = "zh_CN") -> None:
    """Show ``error`` in a message box (cancellation is not an error and shows nothing)."""
    if isinstance(error, Cancelled):
        return
    if not isinstance(error, UserError):
        log.exception("unexpected error", exc_info=error)
    title = "Error" if language.startswith("en") else "错误"
    QMessageBox.warning(parent, title, error_text(error, language))
