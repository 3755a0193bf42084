"""Unsaved visit logs offered at start: restore (open the editor), discard, or later.

The editor autosaves every few seconds; a log that was never saved (the app crashed, was
killed, or the laptop's battery ran out) is still in the draft table. The main window shows this
dialog, not modal, once it is up, listing each draft with its customer and times.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.gui.operations import run_write
from keyacct_desktop.gui.widgets.keys import enter_opens
from keyacct_desktop.gui.widgets.rows_model import RowsModel, fit_columns
from keyacct_desktop.gui.widgets.screen import fit_to_screen
from keyacct_desktop.services.visits import VisitDraft, VisitLogService


def _local(stamp: datetime) -> str:
    """A naive UTC time (``updated_at``) as local wall time."""
    return stamp.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


class DraftsDialog(QDialog):
    """The drafts left over; ``restore_requested(VisitDraft)`` asks the window to open one.

    Attributes:
        drafts: the drafts listed, newest first.
    """

    restore_requested = Signal(object)

    def __init__(
        self,
        service: VisitLogService,
        drafts: list[VisitDraft],
        parent: QWidget | None = None,
        language: str = "zh_CN",
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.language = language
        self.drafts: list[VisitDraft] = []
        self.setModal(False)
        self.setWindowTitle(self.tr("Unsaved visit logs"))
        fit_to_screen(self, 720, 300)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.model = RowsModel(
            [
                self.tr("Customer"),
                self.tr("Visit time"),
                self.tr("Last autosaved"),
                self.tr("Purpose"),
                self.tr("Left"),
            ],
            self,
        )
        self.view = QTableView()
        self.view.setTabKeyNavigation(False)  # Tab leaves the list (arrows move in it)
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.doubleClicked.connect(lambda _index: self.restore())
        enter_opens(self.view)
        fit_columns(self.view, {0: 200, 1: 130, 2: 130, 4: 110}, 3)
        self.buttons = QDialogButtonBox()
        self.restore_button: QPushButton = self.buttons.addButton(
            self.tr("Restore"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.discard_button: QPushButton = self.buttons.addButton(
            self.tr("Discard…"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.later_button: QPushButton = self.buttons.addButton(
            self.tr("Later"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.restore_button.clicked.connect(self.restore)
        self.discard_button.clicked.connect(self.discard)
        self.later_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        self.set_drafts(drafts)

    def set_drafts(self, drafts: list[VisitDraft]) -> None:
        self.drafts = list(drafts)
        self.model.set_rows(
            [
                (
                    d.customer_name,
                    d.form.started_at.replace("T", " ")[:16],
                    _local(d.updated_at),
                    d.form.purpose,
                    self.tr("cancelled, kept") if d.cancelled else self.tr("interrupted"),
                )
                for d in self.drafts
            ],
            self.drafts,
        )
        if any(not d.cancelled for d in self.drafts):
            self.intro.setText(
                self.tr(
                    "These visit logs were being written when KeyAcct last stopped and were "
                    "never saved. Restore one to go on editing it, or discard it."
                )
            )
        else:
            self.intro.setText(
                self.tr(
                    "These visit logs were kept as drafts when their editor was cancelled. "
                    "Restore one to go on editing it, or discard it."
                )
            )
        if self.drafts:
            self.view.selectRow(0)
        for button in (self.restore_button, self.discard_button):
            button.setEnabled(bool(self.drafts))

    def selected(self) -> VisitDraft | None:
        rows = self.view.selectionModel().selectedRows()
        return self.drafts[rows[0].row()] if rows else None

    def restore(self) -> None:
        draft = self.selected()
        if draft is not None:
            self.hide()
            self.restore_requested.emit(draft)

    def discard(self) -> None:
        draft = self.selected()
        if draft is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Discard unsaved visit log"),
            self.tr(
                "Discard the unsaved visit log for %1 (last autosaved %2)? It cannot be undone."
            )
            .replace("%1", draft.customer_name)
            .replace("%2", _local(draft.updated_at)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        key, service = draft.key, self.service

        def then(_value: None) -> None:
            self.set_drafts([d for d in self.drafts if d.key != key])
            if not self.drafts:
                self.accept()

        run_write(
            self, service.store, lambda _s: service.discard_draft(key), then, language=self.language
        )


__all__ = ["DraftsDialog"]
