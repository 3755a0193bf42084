"""The preview of a customer import: what the file would do, before anything is written.

The file is read and checked off the GUI thread (``import_file`` on the customers page runs
:func:`~keyacct_desktop.services.roster.plan.plan_import` as a task); this dialog shows the
plan: which column fills which field (with the unit converted) and which columns are ignored,
the parks/grids/managers that would be created (created only when the user ticks the box),
the pool status for rows without one, how many rows are valid, every problem with its Excel
row number, and the per-field changes of customers already in the store. Importing runs off
the GUI thread too, in one transaction.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.customer_fields import CUSTOMER_SHEET
from keyacct_desktop.domain.enums import PoolStatus, label
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.operations import CollectionOp, OpResult, run_op
from keyacct_desktop.gui.widgets.screen import fit_to_screen
from keyacct_desktop.services.roster.apply import apply_import, import_note
from keyacct_desktop.services.roster.plan import ImportPlan
from keyacct_desktop.services.roster.report import column_text


class _RowsModel(QAbstractTableModel):
    """A read-only table of text rows (problems can run to thousands: no item widgets)."""

    def __init__(
        self,
        headers: list[str],
        rows: list[tuple[str, ...]],
        parent: Any = None,
        muted: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows = rows
        self.muted = muted  # rows shown in grey (ignored columns)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.row() in self.muted:
            return QColor("#757575")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


def _view(model: _RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table for the Import/Cancel buttons
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


class ImportPreviewDialog(QDialog):
    """Shows an :class:`ImportPlan`; "Import" writes its valid rows (``imported`` counts them).

    Signals: ``accepted`` once the import is written.
    """

    def __init__(self, ctx: AppContext, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan = plan
        self.imported: int | None = None
        self.task: CollectionOp[int] | None = None
        english = ctx.language.startswith("en")
        self.setWindowTitle(self.tr("Import preview: %1").replace("%1", plan.source))
        fit_to_screen(self, 1000, 680)

        new, updated, same = plan.counts()
        data_rows = {r.row for r in plan.rows}
        self.summary = QLabel(
            self.tr(
                "%1 data row(s) from header row %2: %3 valid, %4 with problems. "
                "New customers: %5, updated: %6, unchanged: %7."
            )
            .replace("%1", str(len(plan.rows)))
            .replace("%2", str(plan.header_row))
            .replace("%3", str(len(plan.valid)))
            .replace("%4", str(len(plan.bad_rows & data_rows)))
            .replace("%5", str(new))
            .replace("%6", str(updated))
            .replace("%7", str(same))
        )
        self.summary.setWordWrap(True)
        self.warning = QLabel("\n".join(en if english else zh for zh, en in plan.warnings))
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #e65100;")
        self.warning.setVisible(bool(plan.warnings))

        options = QWidget()
        option_form = QFormLayout(options)
        option_form.setContentsMargins(0, 0, 0, 0)
        created = [
            (self.tr("Parks"), plan.new_parks),
            (self.tr("Grids"), plan.new_grids),
            (self.tr("Managers"), plan.new_managers),
        ]
        self.create_refs = QCheckBox(self.tr("Create them with the import"))
        self.new_refs = QLabel(
            "\n".join(
                f"{title}: {'、'.join(names) if not english else ', '.join(names)}"
                for title, names in created
                if names
            )
        )
        self.new_refs.setWordWrap(True)
        if plan.new_refs:
            option_form.addRow(self.tr("Not in the store yet"), self.new_refs)
            option_form.addRow("", self.create_refs)
        self.create_refs.setVisible(plan.new_refs)
        self.pool_status = QComboBox()
        for status in (PoolStatus.POOLED, PoolStatus.EVALUATING, PoolStatus.PROSPECT):
            self.pool_status.addItem(label(status, ctx.language), status.value)
        self.pool_note = QLabel(
            self.tr("Evaluation note recorded: %1").replace("%1", import_note(plan))
        )
        if not plan.pool_column:
            option_form.addRow(self.tr("Pool status of the imported rows"), self.pool_status)
            option_form.addRow("", self.pool_note)
        self.pool_status.setVisible(not plan.pool_column)

        mapping_rows: list[tuple[str, ...]] = []
        for column in plan.columns:
            sheet = "" if column.sheet == CUSTOMER_SHEET else column.sheet
            if column.field is None:
                reason = column.reason_en if english else column.reason_zh
                mapping_rows.append(
                    (sheet, column.header, self.tr("(ignored: %1)").replace("%1", reason), "")
                )
                continue
            unit = column.unit
            if column.factor != 1:
                unit = f"{column.unit} ×{column.factor:g}"
            mapping_rows.append(
                (sheet, column.header, column.label_en if english else column.label_zh, unit)
            )
        self.mapping = _RowsModel(
            [self.tr("Sheet"), self.tr("Column"), self.tr("Field"), self.tr("Unit")],
            mapping_rows,
            muted=frozenset(n for n, c in enumerate(plan.columns) if c.field is None),
        )
        self.problems = _RowsModel(
            [self.tr("Sheet"), self.tr("Row"), self.tr("Column"), self.tr("Problem")],
            [
                (p.sheet, str(p.row), column_text(plan, p, english), p.en if english else p.zh)
                for p in plan.problems
            ],
        )
        self.changes = _RowsModel(
            [
                self.tr("Row"),
                self.tr("Account no."),
                self.tr("Field"),
                self.tr("Now"),
                self.tr("After import"),
            ],
            [
                (str(r.row), r.form.account_no, c.label_en if english else c.label_zh, c.old, c.new)
                for r in plan.valid
                if r.existing_id is not None
                for c in r.changes
            ],
        )
        self.notes = _RowsModel(
            [self.tr("Sheet"), self.tr("Row"), self.tr("Note")],
            [(n.sheet, str(n.row), n.en if english else n.zh) for n in plan.notes],
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(
            _view(self.mapping), self.tr("Columns (%1)").replace("%1", str(len(mapping_rows)))
        )
        self.tabs.addTab(
            _view(self.problems), self.tr("Problems (%1)").replace("%1", str(len(plan.problems)))
        )
        self.tabs.addTab(
            _view(self.changes), self.tr("Changes (%1)").replace("%1", str(len(self.changes.rows)))
        )
        self.tabs.addTab(
            _view(self.notes), self.tr("Notes (%1)").replace("%1", str(len(plan.notes)))
        )
        if plan.problems:
            self.tabs.setCurrentIndex(1)

        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton(
            self.tr("Import %1 valid row(s)").replace("%1", str(len(plan.valid)))
        )
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)
        self.create_refs.toggled.connect(self._update_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #c62828;")

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        layout.addWidget(options)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._update_button()

    def _update_button(self) -> None:
        """Import needs valid rows and, when parks/grids/managers are new, the user's consent."""
        ready = bool(self.plan.valid) and (not self.plan.new_refs or self.create_refs.isChecked())
        self.import_button.setEnabled(ready)
        if self.plan.valid and self.plan.new_refs and not self.create_refs.isChecked():
            self.status.setText(
                self.tr("Tick the box to create the parks, grids and managers listed above.")
            )
        else:
            self.status.clear()

    def start_import(self) -> CollectionOp[int] | None:
        """Write the valid rows off the GUI thread (one transaction); close when done."""
        if not self.import_button.isEnabled():
            return None
        self.import_button.setEnabled(False)
        store = self.ctx.store
        plan = self.plan
        create = self.create_refs.isChecked()
        status = str(self.pool_status.currentData())
        self.task = run_op(
            self,
            store,
            lambda _state: apply_import(
                store, plan, valid_only=True, create_refs=create, pool_status=status
            ),
            self._done,
            on_error=self._failed,
            title=self.tr("Importing %1…").replace("%1", plan.source),
            language=self.ctx.language,
        )
        return self.task

    def _done(self, result: OpResult[int]) -> None:
        self.imported = result.value
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._update_button()
        if isinstance(error, UserError):
            self.status.setText(error.message(self.ctx.language))
        show_error(self, error, self.ctx.language)
