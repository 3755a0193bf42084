"""The customer's economics on screen: 24-month chart, credit reasons, advice, arrears actions.

:class:`EconomicsPanel` is a plain widget (shown in :class:`CustomerEconomicsDialog`, opened
from the customer list, and as a tab of the profile editor). It reads one
:class:`~keyacct_desktop.services.economics.CustomerEconomics` on the database worker (a
24-month read and the scores, 30–50 ms at 100k customers: not on the GUI thread, issue 20),
reads it again when a change notice on the store's change bus concerns the customer (an
import, a sync, another window), and calls services for every action as an operation.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.billing import mode_label
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.economics.chart import ChartMonth, MonthlyChart
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.operations import OpResult, QueryOp, change_bus, run_op, run_write
from keyacct_desktop.gui.text import arg
from keyacct_desktop.gui.widgets.dates import py_date
from keyacct_desktop.gui.widgets.screen import fit_to_screen
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services.economics import (
    ACTION_KINDS,
    ActionView,
    CustomerEconomics,
    apply_credit_rating,
    customer_economics,
    log_action,
    mark_instalment_paid,
)
from keyacct_desktop.store.changes import Changes

T = TypeVar("T")

#: The tables :func:`customer_economics` reads (a bulk change to one may concern anyone).
READS = frozenset({"customer", "customer_month", "arrears_action"})

RISK_COLOURS = {"high": "#c0392b", "medium": "#a94400", "low": "#5b6573"}


def _wan(value: float | None) -> str:
    return "—" if value is None else f"{value / 10_000:,.1f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1%}"


class EconomicsPanel(QWidget):
    """Attributes:
        customer_id: the customer shown, or being read (``None`` before :meth:`load`).
        data: the economics on screen (``None`` until the first read arrives).
        chart: the 24-month chart.

    Signals:
        changed(): an action was logged or the rating applied (the owner may refresh).
        loaded(CustomerEconomics): a fresh read is on screen.
    """

    changed = Signal()
    loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer_id: uuid.UUID | None = None
        self.data: CustomerEconomics | None = None
        self.today: date | None = None  # tests pin the day
        self._asked = 0  # the last read asked: older answers are dropped
        self._stale = False  # a change concerned the customer while the panel was hidden
        self._handled: Changes | None = None  # the panel's own write, already read again
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("economicsSummary")
        self.chart = MonthlyChart()
        self.chart.unit_caption = self.tr("10,000 kWh")
        self.chart.empty_text = self.tr(
            "No monthly figures yet: import the marketing system's monthly export "
            "(keyacct import-months) to see the history."
        )
        self.chart.legend = (
            self.tr("Peak"),
            self.tr("Flat"),
            self.tr("Valley"),
            self.tr("Year before"),
        )
        self.credit_title = QLabel()
        self.credit_reasons = QListWidget()
        self.apply_rating_button = QPushButton(self.tr("Use this rating"))
        self.apply_rating_button.clicked.connect(self.apply_rating)
        credit_box = QGroupBox(self.tr("Credit score"))
        credit_layout = QVBoxLayout(credit_box)
        credit_layout.addWidget(self.credit_title)
        credit_layout.addWidget(self.credit_reasons, 1)
        credit_layout.addWidget(self.apply_rating_button)

        self.advice_text = QLabel()
        self.advice_text.setWordWrap(True)
        self.advice_text.setObjectName("adviceText")
        self.advice_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.print_advice_button = QPushButton(self.tr("Print advice sheet…"))
        self.print_advice_button.clicked.connect(self.print_advice)
        advice_box = QGroupBox(self.tr("Basic charge advice"))
        advice_layout = QVBoxLayout(advice_box)
        advice_layout.addWidget(self.advice_text, 1)
        advice_layout.addWidget(self.print_advice_button)

        self.arrears_text = QLabel()
        self.arrears_text.setWordWrap(True)
        self.action_list = QListWidget()
        self.log_button = QPushButton(self.tr("Log follow-up…"))
        self.log_button.clicked.connect(self.log_follow_up)
        self.notice_button = QPushButton(self.tr("Print payment reminder…"))
        self.notice_button.clicked.connect(self.print_notice)
        arrears_box = QGroupBox(self.tr("Arrears follow-up"))
        arrears_layout = QVBoxLayout(arrears_box)
        arrears_layout.addWidget(self.arrears_text)
        arrears_layout.addWidget(self.action_list, 1)
        self.paid_button = QPushButton(self.tr("Instalment paid"))
        self.paid_button.setToolTip(
            self.tr("Record the selected agreement's next open instalment as paid today")
        )
        self.paid_button.clicked.connect(self.mark_paid)
        self.action_list.currentRowChanged.connect(lambda _row: self._action_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.log_button)
        buttons.addWidget(self.paid_button)
        buttons.addWidget(self.notice_button)
        arrears_layout.addLayout(buttons)

        boxes = QHBoxLayout()
        boxes.addWidget(credit_box, 1)
        boxes.addWidget(advice_box, 1)
        boxes.addWidget(arrears_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart, 3)
        layout.addLayout(boxes, 2)
        self._actions_enabled(False)  # nothing to act on before the first read arrives
        change_bus(ctx.store).published.connect(self.refresh_changes)

    @property
    def language(self) -> str:
        return self.ctx.language

    def _actions_enabled(self, enabled: bool) -> None:
        for button in (
            self.apply_rating_button,
            self.print_advice_button,
            self.log_button,
            self.paid_button,
            self.notice_button,
        ):
            button.setEnabled(enabled)

    def load(self, customer_id: uuid.UUID) -> None:
        """Read the customer's economics on the database worker, then show them.

        Another customer (or the first one) shows "reading…" meanwhile; the same one keeps
        its figures until the fresh ones arrive (no flicker after each action). An answer
        older than the last load asked, or for a window closed since (:meth:`stop`), is
        dropped. Under tests (operations at once) the figures are on screen on return.
        """
        if customer_id != self.customer_id or self.data is None:
            self.data = None
            self.summary.setText(self.tr("Reading…"))
            self._actions_enabled(False)
        self.customer_id = customer_id
        self._stale = False
        self._asked += 1
        asked = self._asked
        store, settings = self.ctx.store, self.ctx.settings

        def read(_state: TaskState) -> CustomerEconomics:
            return customer_economics(store, settings, customer_id)

        def show(data: CustomerEconomics) -> None:
            if asked == self._asked:
                self.data = data
                self.show_data(data)
                self.loaded.emit(data)

        def failed(error: BaseException) -> None:
            if asked != self._asked:
                return
            if isinstance(error, UserError) and self.data is not None:
                # read again after a change: the customer is gone (a sync); say so here,
                # the editor around the panel says so too
                self.summary.setText(error.message(self.language))
                self._actions_enabled(False)
                return
            self.summary.setText(self.tr("The figures could not be read."))
            show_error(self, error, self.language)

        QueryOp(self, read, show, failed).run_in_background()

    def stop(self) -> None:
        """The window around the panel closed: an answer still on its way is dropped, and
        the panel reads again if it is shown again."""
        self._asked += 1
        self._stale = self.customer_id is not None

    def concerns(self, changes: Changes) -> bool:
        """Whether ``changes`` may change what the panel shows: a row of this customer's
        (its profile, months, follow-ups), or one of those tables changed throughout."""
        return self.customer_id is not None and (
            self.customer_id in changes.customers or bool(changes.whole & READS)
        )

    def refresh_changes(self, changes: Changes) -> None:
        """A change notice on the store's change bus: read again if it concerns the customer
        (at once when shown, else when next shown). The panel's own writes are read again by
        :meth:`_after_change` and not twice."""
        customer_id = self.customer_id
        if customer_id is None or changes is self._handled or not self.concerns(changes):
            self._handled = None
            return
        if self.isVisible():
            self.load(customer_id)
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.customer_id is not None:
            self.load(self.customer_id)

    def _own_changes(self, changes: Changes) -> None:
        """``changes`` are the panel's own write, read again already (see run_write)."""
        self._handled = changes

    def show_data(self, data: CustomerEconomics) -> None:
        english = self.language.startswith("en")
        self.log_button.setEnabled(True)
        changes = {c.month: c.change for c in data.changes}
        months = []
        for key in data.months:
            record = data.records.get(key)
            months.append(
                ChartMonth(
                    key,
                    record.kwh if record else None,
                    record.kwh_peak if record else None,
                    record.kwh_flat if record else None,
                    record.kwh_valley if record else None,
                    changes.get(key),
                )
            )
        self.chart.set_months(months)
        if data.last_month:
            self.summary.setText(
                arg(
                    self.tr(
                        "Last 12 months to %1: %2 (10,000 kWh), %3 year on year; bills %4 "
                        "(10,000 yuan)."
                    ),
                    data.last_month,
                    _wan(data.twelve_kwh),
                    _pct(data.twelve_change),
                    _wan(data.twelve_bill),
                )
            )
        else:
            self.summary.setText(self.tr("No monthly figures for this customer yet."))
        credit = data.credit
        source = (
            self.tr("from the last 12 months")
            if data.credit_from_history
            else self.tr("from the profile's indicators")
        )
        self.credit_title.setText(
            arg(
                self.tr("Score %1 → %2 (%3); rating on file: %4"),
                f"{credit.score:g}",
                credit.rating,
                source,
                data.stored_rating or "—",
            )
        )
        self.credit_reasons.clear()
        for reason in credit.reasons:
            message = reason.message_en if english else reason.message_zh
            self.credit_reasons.addItem(f"−{reason.points:g}  {message}")
        if not credit.reasons:
            self.credit_reasons.addItem(self.tr("No deductions."))
        self.apply_rating_button.setEnabled(credit.rating != data.stored_rating)
        self.advice_text.setText(self._advice_text(data))
        self.print_advice_button.setEnabled(data.advice is not None)
        arrears = data.arrears
        if arrears is None:
            self.arrears_text.setText(self.tr("Nothing owed in the latest month."))
            self.arrears_text.setStyleSheet("")
        else:
            risk = {"high": self.tr("high"), "medium": self.tr("medium"), "low": self.tr("low")}
            self.arrears_text.setText(
                arg(
                    self.tr("Owes %1 yuan, %2 days overdue, %3 against the month before; risk %4"),
                    f"{arrears.amount:,.2f}",
                    str(arrears.days),
                    f"{arrears.trend:+,.2f}",
                    risk[arrears.risk],
                )
            )
            self.arrears_text.setStyleSheet(f"color: {RISK_COLOURS[arrears.risk]};")
        self.notice_button.setEnabled(arrears is not None)
        self.action_list.clear()
        for action in data.actions:
            zh, en = ACTION_KINDS.get(action.kind, (action.kind, action.kind))
            line = f"{action.done_on:%Y-%m-%d}  {en if english else zh}"
            if action.amount_yuan:
                line += f"  {action.amount_yuan:,.2f}"
            if action.expires_on:
                line += "  → " + f"{action.expires_on:%Y-%m-%d}"
            unpaid = [p for p in action.instalments if p.get("paid_on") is None]
            if action.kind == "instalment":
                line += "  " + arg(
                    self.tr("%1 of %2 instalments open"),
                    str(len(unpaid)),
                    str(len(action.instalments)),
                )
                if unpaid:
                    line += "  " + arg(
                        self.tr("next %1: %2"), unpaid[0]["due_on"], f"{unpaid[0]['amount']:,.2f}"
                    )
            if action.note:
                line += f"  {action.note}"
            item = QListWidgetItem(line)
            item.setData(Qt.ItemDataRole.UserRole, action)
            self.action_list.addItem(item)
        self._action_selected()

    def _selected_action(self) -> ActionView | None:
        item = self.action_list.currentItem()
        action = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return action if isinstance(action, ActionView) else None

    def _action_selected(self) -> None:
        action = self._selected_action()
        self.paid_button.setEnabled(
            action is not None
            and action.kind == "instalment"
            and any(p.get("paid_on") is None for p in action.instalments)
        )

    def mark_paid(self) -> bool:
        """The selected agreement's next open instalment is paid (today)."""
        action = self._selected_action()
        if action is None:
            return False
        unpaid = [p for p in action.instalments if p.get("paid_on") is None]
        if not unpaid:
            return False
        store, action_id, today = self.ctx.store, action.id, self._today()
        due_on = date.fromisoformat(unpaid[0]["due_on"])
        return self._write(lambda _state: mark_instalment_paid(store, action_id, due_on, today))

    def _advice_text(self, data: CustomerEconomics) -> str:
        english = self.language.startswith("en")
        advice = data.advice
        pf = data.power_factor
        pf_line = [pf.message_en if english else pf.message_zh] if pf else []
        if advice is None:
            zh, en = data.advice_unavailable or ("", "")
            return "\n".join([en if english else zh, *pf_line])
        mode = mode_label(advice.recommended_mode, self.language)
        lines = [
            arg(
                self.tr("Capacity billing %1 yuan, demand billing %2 yuan (%3 months)."),
                f"{advice.capacity_total:,.2f}",
                f"{advice.demand_total:,.2f}",
                str(len(advice.months)),
            ),
            arg(
                self.tr("Recommended: %1, declared demand %2 kW; saves %3 yuan."),
                mode,
                f"{advice.declared_kw:,.0f}",
                f"{advice.saving:,.2f}",
            ),
        ]
        if advice.saving_vs_current and advice.saving_vs_current > 0.005:
            lines.append(
                arg(
                    self.tr("%1 yuan less than the current way of billing (%2)."),
                    f"{advice.saving_vs_current:,.2f}",
                    mode_label(advice.current_mode, self.language),
                )
            )
        lines += [f.message_en if english else f.message_zh for f in advice.flags]
        return "\n".join(lines + pf_line)

    # --- actions ----------------------------------------------------------------------------

    def _today(self) -> date:
        return self.today or date.today()

    def apply_rating(self) -> None:
        if self.data is None:
            return
        store, customer_id, rating = self.ctx.store, self.data.customer_id, self.data.credit.rating
        self._write(lambda _state: apply_credit_rating(store, customer_id, rating))

    def _write(self, op: Callable[[TaskState], T], then: Callable[[T], None] | None = None) -> bool:
        """A write of the panel as an operation; afterwards the panel reads the customer
        again, then ``then(value)``. ``True``: started (under tests: succeeded)."""

        def done(value: T) -> None:
            self._after_change()
            if then is not None:
                then(value)

        return run_write(
            self, self.ctx.store, op, done, language=self.language, shown=self._own_changes
        )

    def log_follow_up(self) -> FollowUpDialog | None:
        if self.data is None:
            return None
        dialog = FollowUpDialog(self.ctx, self.data.customer_id, self._today(), self)
        dialog.logged.connect(self._own_changes)
        dialog.accepted.connect(lambda: self._after_change())
        dialog.open()
        return dialog

    def _after_change(self) -> None:
        """After the panel's own write: read the customer again (the same way as a load)."""
        if self.customer_id is not None:
            self.load(self.customer_id)
        self.changed.emit()

    def _preview(self, pdf: bytes, title: str) -> None:
        from keyacct_desktop.gui.print_preview import PrintPreviewDialog

        PrintPreviewDialog(pdf, title, self).exec()

    def print_notice(self) -> bytes | None:
        from keyacct_desktop.services.economics_print import print_arrears_notice

        if self.data is None:
            return None
        store, settings = self.ctx.store, self.ctx.settings
        customer_id, today = self.data.customer_id, self._today()
        printed: list[bytes] = []

        def show(pdf: bytes) -> None:
            printed.append(pdf)
            self._preview(pdf, self.tr("Payment reminder"))

        # An operation: the notice is logged as a written reminder.
        self._write(
            lambda _state: print_arrears_notice(store, settings, customer_id, today)[1], show
        )
        return printed[0] if printed else None  # under tests (done at once): the PDF

    def print_advice(self) -> bytes | None:
        """Build the advice sheet (a read and ReportLab, nothing logged: a read on the
        database worker), then preview it."""
        from keyacct_desktop.services.economics_print import print_advice_sheet

        if self.data is None:
            return None
        store, settings = self.ctx.store, self.ctx.settings
        customer_id, today = self.data.customer_id, self._today()
        printed: list[bytes] = []

        def read(_state: TaskState) -> bytes:
            return print_advice_sheet(store, settings, customer_id, today)[1]

        def show(pdf: bytes) -> None:
            self.print_advice_button.setEnabled(True)
            printed.append(pdf)
            self._preview(pdf, self.tr("Basic charge advice"))

        def failed(error: BaseException) -> None:
            self.print_advice_button.setEnabled(True)
            show_error(self, error, self.language)

        self.print_advice_button.setEnabled(False)  # one sheet at a time
        QueryOp(self, read, show, failed).run_in_background()
        return printed[0] if printed else None  # under tests (done at once): the PDF


class FollowUpDialog(QDialog):
    """Log one arrears follow-up step; the service checks it, nothing is half-written.

    Signals:
        logged(Changes): the step is stored (what it changed; just before ``accepted``).
    """

    logged = Signal(object)

    def __init__(
        self, ctx: AppContext, customer_id: uuid.UUID, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer_id = customer_id
        self.setWindowTitle(self.tr("Log follow-up"))
        english = ctx.language.startswith("en")
        self.kind = QComboBox()
        for code, (zh, en) in ACTION_KINDS.items():
            self.kind.addItem(en if english else zh, code)
        self.done_on = QDateEdit(QDate(today.year, today.month, today.day))
        self.done_on.setCalendarPopup(True)
        self.done_on.setDisplayFormat("yyyy-MM-dd")
        self.contact = QLineEdit()
        self.amount = QDoubleSpinBox()
        self.amount.setRange(0, 1e10)
        self.amount.setDecimals(2)
        self.amount.setGroupSeparatorShown(True)
        self.expires_on = QDateEdit(QDate(today.year, today.month, today.day).addYears(1))
        self.expires_on.setCalendarPopup(True)
        self.expires_on.setDisplayFormat("yyyy-MM-dd")
        self.instalments = QPlainTextEdit()
        self.instalments.setPlaceholderText(self.tr("One line per instalment: 2026-12-20 50000"))
        self.instalments.setMaximumHeight(90)
        self.note = QLineEdit()
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Date"), self.done_on)
        form.addRow(self.tr("Customer contact"), self.contact)
        form.addRow(self.tr("Amount (yuan)"), self.amount)
        form.addRow(self.tr("Expires on"), self.expires_on)
        form.addRow(self.tr("Instalments"), self.instalments)
        form.addRow(self.tr("Note"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        fit_to_screen(self, 520, 460)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.amount.setEnabled(kind not in ("call", "visit"))
        self.expires_on.setEnabled(kind in ("guarantee", "deposit"))
        self.instalments.setEnabled(kind == "instalment")

    def _schedule(self) -> list[dict[str, object]]:
        schedule = []
        for number, line in enumerate(self.instalments.toPlainText().splitlines(), start=1):
            parts = line.replace(",", "").replace(",", "").split()
            if not parts:
                continue
            if len(parts) != 2:
                raise UserError(
                    f"第 {number} 行应为“日期 金额”,如 2026-12-20 50000",
                    f"line {number}: write 'date amount', e.g. 2026-12-20 50000",
                    field="instalments",
                )
            try:
                amount = float(parts[1])
            except ValueError as error:
                raise UserError(
                    f"第 {number} 行的金额“{parts[1]}”不是数字",
                    f"line {number}: {parts[1]!r} is not an amount",
                    field="instalments",
                ) from error
            schedule.append({"due_on": parts[0], "amount": amount})
        return schedule

    def save(self) -> bool:
        """Log the step as an operation; the dialog closes once it is stored. ``True``:
        started (under tests, which run operations at once: stored)."""
        kind = self.kind.currentData()
        try:
            schedule = self._schedule() if kind == "instalment" else None
        except UserError as error:
            self.problem.setText(error.message(self.ctx.language))
            return False
        store, customer_id, done_on = self.ctx.store, self.customer_id, py_date(self.done_on.date())
        contact, note = self.contact.text(), self.note.text()
        amount = self.amount.value() if self.amount.isEnabled() else None
        expires_on = py_date(self.expires_on.date()) if self.expires_on.isEnabled() else None

        def op(_state: TaskState) -> object:
            return log_action(
                store,
                customer_id,
                kind,
                done_on,
                contact_name=contact,
                note=note,
                amount_yuan=amount,
                expires_on=expires_on,
                instalments=schedule,
            )

        def failed(error: BaseException) -> None:
            if isinstance(error, UserError):
                self.problem.setText(error.message(self.ctx.language))
            else:
                show_error(self, error, self.ctx.language)

        def stored(result: OpResult[object]) -> None:
            self.logged.emit(result.changes)
            self.accept()

        operation = run_op(self, store, op, stored, on_error=failed, language=self.ctx.language)
        return operation.running or operation.result is not None


class CustomerEconomicsDialog(QDialog):
    """The panel in its own window, opened from the customer list (room for the chart)."""

    def __init__(
        self, ctx: AppContext, customer_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.panel = EconomicsPanel(ctx, self)
        self.setWindowTitle(economics_tab_title())  # the customer's name once read
        self.panel.loaded.connect(
            lambda data: self.setWindowTitle(arg(self.tr("Consumption and billing: %1"), data.name))
        )
        self.panel.load(customer_id)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(close)
        fit_to_screen(self, 1200, 720)

    def done(self, result: int) -> None:
        self.panel.stop()
        super().done(result)


def economics_button(parent: QWidget | None = None) -> QPushButton:
    """The customer list's button that opens the dialog (its text translated here)."""
    return QPushButton(
        QCoreApplication.translate("EconomicsPanel", "Consumption and billing…"), parent
    )


def economics_tab_title() -> str:
    """The profile editor's tab title (translated here, not in the editor's file)."""
    return QCoreApplication.translate("EconomicsPanel", "Consumption and billing")
