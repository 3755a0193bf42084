"""Grid balancing: the proposal beside the current assignment; applied only on confirmation.

The proposal is computed on a worker (``gui/tasks.py``): the dialog shows at once and stays
responsive, a progress dialog with Cancel appears if the work takes long, and closing the
dialog cancels it. The grids' names are read on the database worker once it is done.
"""

from __future__ import annotations

import uuid

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

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.operations import LatestReads, run_write
from keyacct_desktop.gui.tasks import Task, run_task
from keyacct_desktop.gui.units import format_consumption, with_unit
from keyacct_desktop.gui.widgets.rows_model import RowsModel, fit_columns
from keyacct_desktop.gui.widgets.screen import fit_to_screen
from keyacct_desktop.progress import Cancelled, TaskState
from keyacct_desktop.services import choices
from keyacct_desktop.services.grid_balance import GridBalancer, GridMoves, Proposal


class GridBalanceDialog(QDialog):
    """Attributes: ``task`` is the running computation (``None`` when none runs)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.balancer = GridBalancer(ctx.store)
        self.proposal: Proposal | None = None
        self.task: Task | None = None
        self.applied = 0
        self.moves: GridMoves = {}  # what the applied proposal changed (for the undo)
        self.reads = LatestReads(self, lambda: ctx.language)  # the grids' names
        self.setWindowTitle(self.tr("Balance grids"))
        fit_to_screen(self, 820, 420)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = RowsModel(
            [
                self.tr("Grid"),
                self.tr("Customers now"),
                with_unit(self.tr("Consumption now (%1)"), ctx.settings),
                self.tr("Customers proposed"),
                with_unit(self.tr("Consumption proposed (%1)"), ctx.settings),
            ],
            self,
        )
        view = QTableView()
        view.setModel(self.model)
        view.verticalHeader().hide()
        fit_columns(view, {1: 110, 2: 160, 3: 110, 4: 160}, 0)
        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton(
            self.tr("Apply proposal"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.recompute_button: QPushButton = self.buttons.addButton(
            self.tr("Propose again"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.recompute_button.clicked.connect(self.compute)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(view, 1)
        layout.addWidget(self.buttons)
        self.compute()

    def compute(self) -> Task:
        """Start computing a proposal on a worker; the table fills in when it is done."""
        if self.task is not None:
            return self.task
        self.proposal = None
        self.reads.drop("names")  # for the proposal before: dropped
        self.apply_button.setEnabled(False)
        self.recompute_button.setEnabled(False)
        self.summary.setText(self.tr("Computing a proposal…"))
        balancer = self.balancer

        def work(state: TaskState) -> Proposal:
            return balancer.propose(state=state)

        self.task = run_task(
            work,
            title=self.tr("Balancing grids…"),
            parent=self,
            on_done=self._show,
            on_error=self._failed,
        )
        return self.task

    def cancel(self) -> None:
        """Stop the computation (nothing was changed)."""
        if self.task is not None:
            self.task.cancel()

    def _failed(self, error: BaseException) -> None:
        self.task = None
        self.recompute_button.setEnabled(True)
        if isinstance(error, Cancelled):
            self.summary.setText(self.tr("Cancelled: no proposal was computed."))
        elif isinstance(error, UserError):
            self.summary.setText(error.message(self.ctx.language))
        else:
            self.summary.setText("")
            show_error(self, error, self.ctx.language)

    def _show(self, proposal: Proposal) -> None:
        """The proposal is computed: read the grids' names on the database worker, then
        show both (``proposal`` is set then, and Apply enabled)."""
        self.task = None
        store = self.ctx.store

        def read(_state: TaskState) -> dict[uuid.UUID | None, str]:
            return dict(choices.grids(store))

        self.reads.ask(
            "names",
            read,
            lambda names: self._show_named(proposal, names),
            self._failed,
        )

    def _show_named(self, proposal: Proposal, names: dict[uuid.UUID | None, str]) -> None:
        self.recompute_button.setEnabled(True)
        self.proposal = proposal
        self.apply_button.setEnabled(True)
        now, proposed = proposal.totals(proposed=False), proposal.totals()
        rows = []
        for grid in [*proposal.grids, None]:
            if grid is None and None not in now:
                continue
            before, after = now.get(grid, (0.0, 0)), proposed.get(grid, (0.0, 0))
            rows.append(
                (
                    names.get(grid, self.tr("(no grid)")),
                    before[1],
                    format_consumption(before[0], self.ctx.settings),
                    after[1],
                    format_consumption(after[0], self.ctx.settings),
                )
            )
        self.model.set_rows(rows)
        kwh_now, count_now = proposal.max_deviation(proposed=False)
        kwh_new, count_new = proposal.max_deviation()
        moving = self.tr("%1 of %2 pooled customers would move to another grid.").replace(
            "%1", f"{proposal.moves():,}"
        )
        self.summary.setText(
            moving.replace("%2", f"{len(proposal.members):,}")
            + (" " if self.ctx.language.startswith("en") else "")
            + self.tr(
                "Largest deviation from the mean — consumption: %1% now, %2% proposed; "
                "customer count: %3% now, %4% proposed. Parks split over grids: %5."
            )
            .replace("%1", f"{kwh_now:.0f}")
            .replace("%2", f"{kwh_new:.1f}")
            .replace("%3", f"{count_now:.0f}")
            .replace("%4", f"{count_new:.1f}")
            .replace("%5", str(proposal.split_parks()))
        )

    def apply(self) -> None:
        if self.proposal is None:
            return
        moving = self.proposal.moves()
        if not moving:
            QMessageBox.information(
                self,
                self.tr("Balance grids"),
                self.tr("The grids are balanced already: no customer would move."),
            )
            return
        answer = QMessageBox.question(
            self,
            self.tr("Balance grids"),
            self.tr(
                "Move %1 of %2 pooled customers to the proposed grids now? "
                "The customer list can undo this in one step."
            )
            .replace("%1", f"{moving:,}")
            .replace("%2", f"{len(self.proposal.members):,}"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        balancer, proposal = self.balancer, self.proposal

        def then(moves: GridMoves) -> None:
            self.moves, self.applied = moves, len(moves)
            self.accept()

        run_write(
            self,
            self.ctx.store,
            lambda _state: balancer.apply_undoable(proposal),
            then,
            language=self.ctx.language,
            title=self.tr("Balance grids"),
        )

    def done(self, result: int) -> None:
        """Closing the dialog cancels a computation still running."""
        self.cancel()
        super().done(result)
