"""客户 page: the customer list with search and filters."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.enums import VOLTAGE_LEVELS_KV
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.customer_editor import CustomerEditor
from keyacct_desktop.gui.customer_table import CustomerTableModel
from keyacct_desktop.gui.economics.panel import CustomerEconomicsDialog, economics_button
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.grid_balance_dialog import GridBalanceDialog
from keyacct_desktop.gui.import_preview import ImportPreviewDialog
from keyacct_desktop.gui.operations import LatestReads, OpResult, QueryOp, run_op
from keyacct_desktop.gui.pages.page import PageBase
from keyacct_desktop.gui.quality_dialog import QualityDialog
from keyacct_desktop.gui.security.exports import confirm_unprotected_export
from keyacct_desktop.gui.tasks import Task, run_task
from keyacct_desktop.gui.widgets.ask import confirm
from keyacct_desktop.gui.widgets.columns import ColumnChooser
from keyacct_desktop.gui.widgets.combo import select_data
from keyacct_desktop.gui.widgets.keys import enter_opens
from keyacct_desktop.progress import Cancelled, TaskState
from keyacct_desktop.services import choices
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.services.data_quality import KINDS
from keyacct_desktop.services.pyramid import PyramidService, Recomputed
from keyacct_desktop.services.roster.export import export_customers
from keyacct_desktop.services.roster.plan import ImportPlan, plan_import

SEARCH_DELAY_MS = 250
#: A stable name per column of ``CustomerTableModel`` (what the hidden-column setting keeps).
COLUMN_NAMES = (
    "account_no",
    "name",
    "class",
    "park",
    "grid",
    "industry",
    "voltage",
    "capacity",
    "consumption",
    "important_grade",
    "credit",
    "risk",
)
#: "Quality score below N" choices of the data-quality filter.
QUALITY_THRESHOLDS = (100, 90, 80, 60)


class CustomersPage(PageBase, QWidget):
    """Customer list: type to search name, account no., USCC or contact; filter by class.

    Nothing is read from the store until the page is first shown (:meth:`activated`): the
    window builds it at start-up, when only the home page is visible.

    Attributes:
        model: the lazy table model.
        search: the search box.
        table: the view.
    """

    WATCHES = frozenset(
        {
            "customer",
            "contact",
            "power_source",
            "pyramid_change",
            "customer_month",
            "visit",
            "grid",
            "park",
            "user",
        }
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.directory = CustomerDirectory(ctx.store, ctx.settings)
        self._quality_task: Task | None = None
        self.model = CustomerTableModel(self.directory, ctx.language, self)

        self.search = QLineEdit()
        self.search.setObjectName("customerSearch")
        self.search.setPlaceholderText(self.tr("Search name, account no., USCC, contact or phone"))
        self.search.setClearButtonEnabled(True)
        self.class_filter = QComboBox()
        self.class_filter.addItem(self.tr("All classes"), ())
        for code in "ABCD":
            self.class_filter.addItem(self.tr("Class %1").replace("%1", code), (code,))
        self.grid_filter = QComboBox()
        self.park_filter = QComboBox()
        self.voltage_filter = QComboBox()
        self.voltage_filter.setObjectName("voltageFilter")
        self.voltage_filter.addItem(self.tr("All voltages"), None)
        for level in VOLTAGE_LEVELS_KV:
            self.voltage_filter.addItem(f"{level:g} kV", float(level))
        self.quality_filter = QComboBox()
        self.quality_filter.setObjectName("qualityFilter")
        self.quality_filter.addItem(self.tr("All data quality"), None)
        for below in QUALITY_THRESHOLDS:
            self.quality_filter.addItem(
                self.tr("Quality score below %1").replace("%1", str(below)), ("below", below)
            )
        english = ctx.language.startswith("en")
        for code, (zh, en) in KINDS.items():
            self.quality_filter.addItem(
                self.tr("Problem: %1").replace("%1", en if english else zh), ("kind", code)
            )
        self.risk_filter = QCheckBox(self.tr("Risk only"))
        self.count_label = QLabel()
        self.model.total_changed.connect(self._show_count)
        self.model.read_failed.connect(lambda error: show_error(self, error, self.ctx.language))

        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the list (arrows move in it)
        self.table.setObjectName("customerTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in {0: 110, 1: 240, 2: 50, 3: 130, 4: 80, 5: 140, 11: 180}.items():
            header.resizeSection(column, width)
        # Name, class and risk first and always shown; the rest fit a 1366 px laptop or can be
        # hidden (right-click the header), remembered per user.
        self.columns = ColumnChooser(
            header,
            "customers",
            COLUMN_NAMES,
            ctx.settings,
            keep=("name", "class", "risk"),
            hidden=("industry", "capacity", "important_grade"),
            order=("name", "class", "risk", "credit", "account_no"),
        )
        # Sorts the model, which only notes the order: it has not run a query yet.
        header.setSortIndicator(1, Qt.SortOrder.AscendingOrder)

        self.reads = LatestReads(self, lambda: ctx.language)  # the filter lists
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.go_to_results)  # Enter: on to the list
        self.class_filter.currentIndexChanged.connect(self.apply_filters)
        self.grid_filter.currentIndexChanged.connect(self.apply_filters)
        self.park_filter.currentIndexChanged.connect(self.apply_filters)
        self.voltage_filter.currentIndexChanged.connect(self.apply_filters)
        self.quality_filter.currentIndexChanged.connect(self.apply_filters)
        self.risk_filter.toggled.connect(self.apply_filters)

        self.table.doubleClicked.connect(
            lambda index: self.edit_customer(self.model.customer_id(index.row()))
        )
        enter_opens(self.table)
        self.new_button = QPushButton(self.tr("New customer"))
        self.new_button.setToolTip("Ctrl+N")  # the window's action: it works from every page
        self.new_button.clicked.connect(lambda: self.edit_customer(None))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.editor: CustomerEditor | None = None
        self.economics_button = economics_button()
        self.economics_button.clicked.connect(self.show_economics)
        self.economics_dialog: CustomerEconomicsDialog | None = None
        self.recompute_button = QPushButton(self.tr("Recompute classes"))
        self.recompute_button.clicked.connect(self.recompute_classes)
        self.override_button = QPushButton(self.tr("Set class…"))
        self.override_button.clicked.connect(self.override_class)
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.clicked.connect(self.choose_import)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.clicked.connect(self.choose_export)
        self.quality_button = QPushButton(self.tr("Data quality…"))
        self.quality_button.clicked.connect(self.show_quality)
        self.balance_button = QPushButton(self.tr("Balance grids…"))
        self.balance_button.clicked.connect(self.show_balance)
        self.undo_recompute_button = QPushButton(self.tr("Undo recomputed classes"))
        self.undo_recompute_button.clicked.connect(self.undo_recompute)
        self.undo_recompute_button.setVisible(False)  # shown after a recomputation
        self._recomputed: Recomputed | None = None
        self.undo_balance_button = QPushButton(self.tr("Undo grid balancing"))
        self.undo_balance_button.clicked.connect(self.undo_balance)
        self.undo_balance_button.setVisible(False)  # shown after a balancing was applied
        self._balance_moves: dict = {}

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        for widget in (
            self.class_filter,
            self.grid_filter,
            self.park_filter,
            self.voltage_filter,
            self.quality_filter,
            self.risk_filter,
            self.count_label,
        ):
            bar.addWidget(widget)
        actions = QHBoxLayout()
        for button in (
            self.new_button,
            self.edit_button,
            self.economics_button,
            self.recompute_button,
            self.override_button,
            self.import_button,
            self.export_button,
            self.quality_button,
            self.balance_button,
            self.undo_balance_button,
            self.undo_recompute_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)

    def _fill_choices(self) -> None:
        """The grids and parks to filter by, read on the database worker; the one chosen in
        each list stays chosen (an older answer is dropped)."""
        store = self.ctx.store
        self.reads.ask(
            "choices",
            lambda _state: (choices.grids(store), choices.parks(store)),
            lambda lists: self._show_choices(*lists),
        )

    def _show_choices(self, grids: list[choices.Choice], parks: list[choices.Choice]) -> None:
        for combo, everyone, items in (
            (self.grid_filter, self.tr("All grids"), grids),
            (self.park_filter, self.tr("All parks"), parks),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for item_id, name in items:
                combo.addItem(name, item_id)
            select_data(combo, current)  # findData misses an equal UUID
            combo.blockSignals(False)

    def recompute_classes(self) -> None:
        """Classify all pooled customers again, after saying how many classes would change.

        Nothing changes without a confirmation; 撤销重新分级 then takes it back in one step.
        """
        service = PyramidService(self.ctx.store, self.ctx.settings)

        def failed(error: BaseException) -> None:
            if not isinstance(error, Cancelled):
                show_error(self, error, self.ctx.language)

        QueryOp(  # classifying every customer takes seconds at 100k: on the database worker
            self,
            lambda _state: service.recompute(dry_run=True),
            lambda preview: self._confirm_recompute(service, preview),
            failed,
            title=self.tr("Recompute classes"),
        ).run_in_background()

    def _confirm_recompute(self, service: PyramidService, preview: Recomputed) -> None:
        """Say how many classes would change; recompute (an operation) once confirmed."""
        counts = "  ".join(f"{k}: {v}" for k, v in preview.by_class.items())
        if not preview.changed:
            QMessageBox.information(
                self,
                self.tr("Pyramid classes"),
                self.tr("No class would change (%1 customers).").replace(
                    "%1", str(preview.customers)
                )
                + "\n"
                + counts,
            )
            return
        if not confirm(
            self,
            self.tr("Recompute classes"),
            self.tr(
                "Recomputing changes the class of %1 of %2 pooled customers. Recompute now? "
                "The customer list can undo this in one step."
            )
            .replace("%1", str(preview.changed))
            .replace("%2", str(preview.customers)),
        ):
            return

        def done(outcome: OpResult[Any]) -> None:
            result = outcome.value
            self._recomputed = result
            self.undo_recompute_button.setVisible(bool(result.changed))
            self.refresh()
            self.refreshed_for(outcome.changes)
            QMessageBox.information(
                self,
                self.tr("Pyramid classes"),
                self.tr("%1 customers classified, %2 changed.")
                .replace("%1", str(result.customers))
                .replace("%2", str(result.changed))
                + "\n"
                + counts,
            )

        run_op(
            self,
            self.ctx.store,
            lambda _state: service.recompute(),
            done,
            title=self.tr("Recompute classes"),
            language=self.ctx.language,
        )

    def undo_recompute(self) -> int:
        """Put back the classes the last recomputation changed (after a confirmation)."""
        result = self._recomputed
        if result is None:
            return 0
        if not confirm(
            self,
            self.tr("Undo recomputed classes"),
            self.tr("Put the %1 changed class(es) back as they were?").replace(
                "%1", str(result.changed)
            ),
        ):
            return 0
        service = PyramidService(self.ctx.store, self.ctx.settings)

        def done(outcome: OpResult[int]) -> None:
            self._recomputed = None
            self.undo_recompute_button.setVisible(False)
            self.refresh()
            self.refreshed_for(outcome.changes)
            QMessageBox.information(
                self,
                self.tr("Undo recomputed classes"),
                self.tr("%1 class(es) are back as they were.").replace("%1", str(outcome.value)),
            )

        operation = run_op(
            self,
            self.ctx.store,
            lambda _state: service.undo(result),
            done,
            language=self.ctx.language,
        )
        return operation.result.value if operation.result is not None else 0

    def override_class(self, new_class: str | None = None, reason: str | None = None) -> bool:
        """Fix the selected customer's class by hand, with a reason (kept in the history)."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(
                self, self.tr("Pyramid classes"), self.tr("Select a customer first.")
            )
            return False
        customer_id = self.model.customer_id(rows[0].row())
        if new_class is None:
            new_class, accepted = QInputDialog.getItem(
                self, self.tr("Set class"), self.tr("Class:"), ["A", "B", "C", "D"], 0, False
            )
            if not accepted:
                return False
        if reason is None:
            reason, accepted = QInputDialog.getText(self, self.tr("Set class"), self.tr("Reason:"))
            if not accepted:
                return False
        service = PyramidService(self.ctx.store, self.ctx.settings)
        chosen, why = new_class, reason

        def done(result: OpResult[object]) -> None:
            self.refresh()  # keeps the selection
            self.refreshed_for(result.changes)

        failed: list[BaseException] = []

        def error(problem: BaseException) -> None:
            failed.append(problem)
            show_error(self, problem, self.ctx.language)

        operation = run_op(
            self,
            self.ctx.store,
            lambda _state: service.override(customer_id, chosen, why),
            done,
            on_error=error,
            language=self.ctx.language,
        )
        return operation.running or (operation.result is not None and not failed)

    def show_quality(self) -> QualityDialog:
        dialog = QualityDialog(self.ctx, self)
        dialog.view.doubleClicked.connect(
            lambda index: self.edit_customer(dialog.rows[index.row()].customer_id)
        )
        enter_opens(dialog.view)
        self.quality_dialog = dialog
        dialog.open()
        return dialog

    def show_balance(self) -> GridBalanceDialog:
        dialog = GridBalanceDialog(self.ctx, self)
        dialog.accepted.connect(lambda: self._balanced(dialog.moves))
        self.balance_dialog = dialog
        dialog.open()
        return dialog

    def _balanced(self, moves: dict) -> None:
        self._balance_moves = dict(moves)
        self.undo_balance_button.setVisible(bool(moves))
        self.undo_balance_button.setToolTip(
            self.tr("Put the %1 customer(s) moved back in their previous grids").replace(
                "%1", str(len(moves))
            )
        )
        self.refresh()

    def undo_balance(self) -> int:
        """Take the last grid balancing back in one step (after a confirmation)."""
        from keyacct_desktop.services.grid_balance import GridBalancer

        moves = self._balance_moves
        if not moves:
            return 0
        answer = QMessageBox.question(
            self,
            self.tr("Undo grid balancing"),
            self.tr("Put the %1 customer(s) moved back in their previous grids?").replace(
                "%1", str(len(moves))
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return 0
        balancer = GridBalancer(self.ctx.store)

        def done(outcome: OpResult[int]) -> None:
            self._balance_moves = {}
            self.undo_balance_button.setVisible(False)
            self.refresh()
            self.refreshed_for(outcome.changes)
            QMessageBox.information(
                self,
                self.tr("Undo grid balancing"),
                self.tr("%1 customer(s) are back in their previous grids.").replace(
                    "%1", str(outcome.value)
                ),
            )

        operation = run_op(
            self,
            self.ctx.store,
            lambda _state: balancer.undo(moves),
            done,
            language=self.ctx.language,
        )
        return operation.result.value if operation.result is not None else 0

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import customers"), "", self.tr("Spreadsheets (*.xlsx *.xls *.csv)")
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> Task:
        """Read and check the file off the GUI thread, then show the import preview."""
        store = self.ctx.store
        reading = self.tr("Checking %1…").replace("%1", path.name)
        username = str(self.ctx.settings.get("sync.username") or "")
        self._task = run_task(
            lambda state: plan_import(
                store,
                path,
                progress=lambda done, total: state.report(done, total, reading),
                username=username,
            ),
            title=reading,
            parent=self,
            on_done=self.confirm_import,
            on_error=lambda error: show_error(self, error, self.ctx.language),
        )
        return self._task

    def confirm_import(self, plan: ImportPlan) -> ImportPreviewDialog:
        """The preview: mapping, new parks, problems and changes; the user imports or not."""
        dialog = ImportPreviewDialog(self.ctx, plan, self)
        dialog.accepted.connect(self.refresh)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export customers"), "", self.tr("Excel workbook (*.xlsx)")
        )
        if path:
            self.export_file(Path(path if path.lower().endswith(".xlsx") else f"{path}.xlsx"))

    def export_file(self, path: Path) -> Task | None:
        """Export the list as filtered now (after the not-encrypted warning), on a worker.

        20,000 profiles take a while to write: the window stays responsive, with progress and
        Cancel; ``exported`` holds the count once done and the status bar says where it went.
        """
        if not confirm_unprotected_export(self, path, self.ctx.language):
            return None
        store, query = self.ctx.store, self.model.query
        self.exported: int | None = None

        def work(_state: TaskState) -> int:
            try:
                return export_customers(store, query, path)
            except OSError as error:
                raise UserError(
                    f"无法写入文件:{error}", f"cannot write the file: {error}"
                ) from None

        def done(count: int) -> None:
            self.exported = count
            bar = getattr(self.window(), "statusBar", None)
            if callable(bar):
                bar().showMessage(
                    self.tr("%1 customer(s) exported to %2")
                    .replace("%1", str(count))
                    .replace("%2", str(path)),
                    8000,
                )

        self._export_task = run_task(
            work,
            title=self.tr("Exporting to %1…").replace("%1", path.name),
            parent=self,
            on_done=done,
            on_error=lambda error: show_error(self, error, self.ctx.language),
        )
        return self._export_task

    def edit_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.edit_customer(self.model.customer_id(rows[0].row()))

    def show_economics(self) -> CustomerEconomicsDialog | None:
        """The selected customer's monthly history, credit, advice and arrears follow-up."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        customer_id = self.model.customer_id(rows[0].row())
        self.economics_dialog = CustomerEconomicsDialog(self.ctx, customer_id, self)
        self.economics_dialog.open()
        return self.economics_dialog

    def edit_customer(self, customer_id: uuid.UUID | None) -> CustomerEditor:
        """Open the profile editor (a new customer for ``None``); the list refreshes when the
        save is announced (``refresh_changes``)."""
        self.editor = CustomerEditor(self.ctx, customer_id, self)
        self.editor.open()
        return self.editor

    def go_to_results(self) -> None:
        """Search now and put the keyboard on the first customer found (Enter opens it)."""

        def first() -> None:
            if self.model.rowCount():
                self.table.setFocus()
                self.table.selectRow(0)

        self.apply_filters(then=first)

    def selected_customer(self) -> uuid.UUID | None:
        """The customer selected in the list, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.customer_id(rows[0].row()) if rows else None

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def apply_filters(self, *, then: Callable[[], None] | None = None) -> None:
        """Run the search now (the search box calls this after a short pause in typing); the
        list is read off the GUI thread, then ``then()`` runs."""
        self._timer.stop()
        if not self.model.started:
            self._fill_choices()
        quality = self.quality_filter.currentData() or (None, None)
        query = replace(
            self.model.query,
            text=self.search.text(),
            pyramid_classes=tuple(self.class_filter.currentData() or ()),
            grid_id=self.grid_filter.currentData(),
            park_id=self.park_filter.currentData(),
            voltage_kv=self.voltage_filter.currentData(),
            risk_only=self.risk_filter.isChecked(),
            quality_below=quality[1] if quality[0] == "below" else None,
            quality_kind=quality[1] if quality[0] == "kind" else None,
        )
        if self._assess_first(query):
            return

        def shown() -> None:
            if self.model.total is None:  # counted right after the first rows show
                self.count_label.clear()
            if then is not None:
                then()

        self.model.set_query(query, shown)

    def _assess_first(self, query: CustomerQuery, verify: bool = False) -> bool:
        """With a quality filter, score every customer on a worker first when the scores
        need it (first use, a new day, a sync); the filter then runs. True: started."""
        if query.quality_below is None and query.quality_kind is None:
            return False
        if self._quality_task is not None:
            return True  # already assessing: its end applies the filters
        index = self.directory.quality
        if not verify and not index.needs_rebuild():
            return False  # edits since are assessed with the query (a few customers)
        self.count_label.setText(self.tr("Assessing data quality…"))

        def done(_result: object) -> None:
            self._quality_task = None
            self.apply_filters()

        def failed(error: BaseException) -> None:
            self._quality_task = None
            self.quality_filter.setCurrentIndex(0)  # cancelled or failed: the filter is off
            if isinstance(error, Cancelled):
                return
            if not isinstance(error, UserError):
                error = UserError(
                    f"无法评估数据质量:{error}", f"cannot assess data quality: {error}"
                )
            show_error(self, error, self.ctx.language)

        self._quality_task = run_task(
            lambda state: index.ensure(state, verify=verify),
            title=self.tr("Assessing data quality…"),
            parent=self,
            on_done=done,
            on_error=failed,
        )
        return True

    def _show_count(self, total: int) -> None:
        self.count_label.setText(self.tr("%n customer(s)", "", total))

    def refresh(self) -> None:
        if not self.model.started:
            return  # never shown: the first activation reads everything
        self._fill_choices()  # grids and parks may have arrived by sync
        if self._assess_first(self.model.query, verify=True):
            return  # the quality scores are checked first, then the list is read again
        selected = self.selected_customer()

        def reselect() -> None:  # an action (edit, set class, undo…) keeps the selection
            row = self.model.row_of(selected) if selected is not None else None
            if row is not None:
                self.table.selectRow(row)

        self.model.refresh(reselect)

    def activated(self) -> None:
        """First shown: read the list. Later, only an empty list, or one whose customers
        changed while it was hidden, is read again."""
        if not self.model.started or self.model.rowCount() == 0:  # (read on the worker)
            self.take_stale()
            self.apply_filters()
        elif self.take_stale():
            self.refresh()


__all__ = ["CustomerQuery", "CustomersPage"]
