"""Importing the marketing system's monthly export from the GUI: check, preview, write.

Like the roster import: the file is checked on a worker, the preview says how many rows are
new, changed or already stored and lists every problem by row, and the user imports the valid
rows or nothing. Writing runs on a worker with progress and Cancel (a cancelled import
writes nothing); by default the customers' credit and consumption indicators are then
updated from the history. A file without a 电费年月 column asks which month it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QCheckBox, QFileDialog, QInputDialog, QMessageBox, QWidget

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.billing import MONTH_PATTERN
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.operations import CollectionOp, OpResult, run_op
from keyacct_desktop.gui.tasks import Task, run_task
from keyacct_desktop.gui.text import arg
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services.economics import update_indicators
from keyacct_desktop.services.monthly_history import (
    MonthlyPlan,
    MonthlyResult,
    apply_monthly_import,
    plan_monthly_import,
    report_lines,
)


class MonthlyImport(QObject):
    """Attributes:
    task: the check or write running now, if any.
    box: the preview shown last (tests answer it).
    result: what the last import wrote.
    """

    def __init__(
        self, ctx: AppContext, parent: QWidget, on_imported: Callable[[MonthlyResult], None]
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.widget = parent
        self.on_imported = on_imported
        self.task: Task | None = None  # reading the file
        self.writing: CollectionOp[MonthlyResult] | None = None  # the import (an operation)
        self.box: QMessageBox | None = None
        self.result: MonthlyResult | None = None

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.widget,
            self.tr("Import monthly figures"),
            "",
            self.tr("Spreadsheets (*.xlsx *.csv)"),
        )
        if path:
            self.check(Path(path))

    def check(self, path: Path, month: str | None = None) -> Task:
        store = self.ctx.store
        self.task = run_task(
            lambda _state: plan_monthly_import(store, path, month),
            title=arg(self.tr("Checking %1…"), path.name),
            parent=self.widget,
            on_done=self.preview,
            on_error=lambda error: self._check_failed(error, path),
        )
        return self.task

    def _check_failed(self, error: BaseException, path: Path) -> None:
        if isinstance(error, UserError) and error.field == "month":
            month, ok = QInputDialog.getText(
                self.widget,
                self.tr("Import monthly figures"),
                self.tr("The file has no month column. Which month is it (YYYY-MM)?"),
            )
            if ok and MONTH_PATTERN.match(month.strip()):
                self.check(path, month.strip())
                return
            if not ok:
                return
        show_error(self.widget, error, self.ctx.language)

    def preview_text(self, plan: MonthlyPlan) -> str:
        months = sorted(plan.months)
        span = f"{months[0]} – {months[-1]}" if months else "—"
        return arg(
            self.tr(
                "%1: months %2; %3 row(s): %4 new, %5 changed, %6 already stored; %7 with problems."
            ),
            plan.source,
            span,
            str(plan.data_rows),
            str(plan.new),
            str(plan.changed),
            str(plan.unchanged),
            str(len(plan.bad_rows)),
        )

    def preview(self, plan: MonthlyPlan) -> bool:
        """Show the report; on "import" write the valid rows on a worker."""
        box = QMessageBox(self.widget)
        box.setWindowTitle(self.tr("Import monthly figures"))
        box.setText(self.preview_text(plan))
        if plan.problems:
            box.setDetailedText("\n".join(report_lines(plan, self.ctx.language)))
        writes = plan.new + plan.changed
        button = box.addButton(
            self.tr("Import valid rows") if plan.problems else self.tr("Import"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        box.addButton(self.tr("Import nothing"), QMessageBox.ButtonRole.RejectRole)
        button.setEnabled(writes > 0)
        profiles = QCheckBox(
            self.tr("Also update the customers' credit and consumption indicators")
        )
        profiles.setChecked(True)
        box.setCheckBox(profiles)
        self.box = box
        box.exec()
        if box.clickedButton() is not button:
            return False
        self.write(plan, update_profiles=profiles.isChecked())
        return True

    def write(
        self, plan: MonthlyPlan, *, update_profiles: bool = True
    ) -> CollectionOp[MonthlyResult]:
        store = self.ctx.store
        customers = {row.customer_id for row in plan.valid}

        def work(state: TaskState) -> MonthlyResult:
            result = apply_monthly_import(store, plan, valid_only=True, progress=state.report)
            if update_profiles:
                update_indicators(store, date.today(), customers)
            return result

        self.writing = run_op(
            self.widget,
            store,
            work,
            self._written,
            title=self.tr("Importing monthly figures…"),
            language=self.ctx.language,
        )
        return self.writing

    def _written(self, result: OpResult[MonthlyResult]) -> None:
        self.result = result.value
        self.on_imported(result.value)
