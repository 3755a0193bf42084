"""供电方案 page: draft a technical plan handout, see rule warnings, issue and print it.

What it shows is read on the database worker (issue 20), never on the GUI thread: the list,
the plan selected and the one to print. A refresh keeps the rows, the selection and any edits
typed on screen; the new rows arrive when read.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.documents import PlanView
from keyacct_desktop.domain.enums import (
    DocumentStatus,
    ImportantGrade,
    Industry,
    LineType,
    LoadGrade,
    MeteringMethod,
    SourceRole,
    TariffCategory,
    label,
)
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.operations import LatestReads, run_write
from keyacct_desktop.gui.pages.page import PageBase
from keyacct_desktop.gui.print_preview import preparing, preview_when_rendered
from keyacct_desktop.gui.widgets import unsaved
from keyacct_desktop.gui.widgets.customer_picker import CustomerPicker
from keyacct_desktop.gui.widgets.dates import py_date
from keyacct_desktop.gui.widgets.loading import loading_note, with_loading_note
from keyacct_desktop.gui.widgets.record_table import Column, RecordTable
from keyacct_desktop.gui.widgets.rows_model import ObjectRole, RowsModel, fit_columns
from keyacct_desktop.printing.base import Letterhead
from keyacct_desktop.printing.documents import render_plan
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services.customers import CustomerDirectory
from keyacct_desktop.services.plans import SupplyPlanService

T = TypeVar("T")


class SupplyPlansPage(PageBase, QWidget):
    """Plan list on the left; the plan form, its warnings and actions on the right."""

    WATCHES = frozenset({"supply_plan", "customer", "power_source"})

    TEXT_FIELDS = (
        "application_no",
        "contact",
        "property_boundary",
        "receiving_type",
        "protection",
        "emergency_power",
        "power_quality",
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = SupplyPlanService(ctx.store, ctx.settings)
        self.current: PlanView | None = None
        self._shown_values: dict[str, Any] | None = None
        self._showing: uuid.UUID | None = None  # the plan asked for last (shown or coming)
        self._listed = False  # the list was read once (until then "reading…" shows)
        self.reads = LatestReads(self, lambda: ctx.language)

        self.customer = CustomerPicker(CustomerDirectory(ctx.store))
        self.accepted = QDateEdit(QDate.currentDate())
        self.accepted.setCalendarPopup(True)
        self.accepted.setDisplayFormat("yyyy-MM-dd")
        self.create_button = QPushButton(self.tr("Create draft"))
        self.create_button.clicked.connect(self.create_draft)
        new_box = QGroupBox(self.tr("New supply plan handout"))
        new_layout = QHBoxLayout(new_box)
        new_layout.addWidget(QLabel(self.tr("Customer")))
        new_layout.addWidget(self.customer, 2)
        new_layout.addWidget(QLabel(self.tr("Accepted on")))
        new_layout.addWidget(self.accepted)
        new_layout.addWidget(self.create_button)

        self.list_model = RowsModel(
            [
                self.tr("Number"),
                self.tr("Customer"),
                self.tr("Version"),
                self.tr("Status"),
                self.tr("Valid until"),
            ],
            self,
        )
        self.list_view = QTableView()
        self.list_view.setModel(self.list_model)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_columns(self.list_view, {0: 140, 2: 36, 3: 56, 4: 86}, stretch=1)
        self.list_view.selectionModel().currentRowChanged.connect(self._selected)
        self.loading_note = loading_note(self.tr("Reading the supply plans…"))
        list_box = with_loading_note(self.loading_note, self.list_view)

        self.heading = QLabel(self.tr("Select a plan, or create one above."))
        self.heading.setWordWrap(True)
        self.inputs: dict[str, QLineEdit] = {name: QLineEdit() for name in self.TEXT_FIELDS}
        self.capacity = QDoubleSpinBox()
        self.added_capacity = QDoubleSpinBox()
        self.voltage = QDoubleSpinBox()
        for box in (self.capacity, self.added_capacity):
            box.setRange(0, 10_000_000)
            box.setSuffix(" kVA")
            box.setDecimals(0)
        self.voltage.setRange(0, 1000)
        self.voltage.setSuffix(" kV")
        self.power_factor = QDoubleSpinBox()
        self.power_factor.setRange(0, 1)
        self.power_factor.setSingleStep(0.05)
        self.dual_source = QCheckBox(self.tr("Dual-source supply"))
        self.basic_charge = QCheckBox(self.tr("Two-part tariff (basic charge applies)"))
        self.tap_changer = QCheckBox(self.tr("On-load tap changer (HV transformer)"))
        self.tap_changer.setToolTip(
            self.tr("HV users with on-load tap changers are assessed at the 0.90 power factor")
        )
        self.remarks = QPlainTextEdit()
        self.remarks.setMaximumHeight(70)
        self.load_grade = QComboBox()
        self.load_grade.addItem("", None)
        for grade in LoadGrade:
            self.load_grade.addItem(label(grade, ctx.language), grade.value)
        self.customer_facts = QLabel()
        self.customer_facts.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Customer"), self.customer_facts)
        form.addRow(self.tr("Application no."), self.inputs["application_no"])
        form.addRow(self.tr("Contact"), self.inputs["contact"])
        form.addRow(self.tr("Total capacity"), self.capacity)
        form.addRow(self.tr("Added capacity"), self.added_capacity)
        form.addRow(self.tr("Supply voltage"), self.voltage)
        form.addRow("", self.dual_source)
        form.addRow(self.tr("Property boundary point"), self.inputs["property_boundary"])
        form.addRow(self.tr("Receiving installation"), self.inputs["receiving_type"])
        form.addRow(self.tr("Protection"), self.inputs["protection"])
        form.addRow("", self.tap_changer)
        form.addRow(self.tr("Power-factor standard"), self.power_factor)
        form.addRow("", self.basic_charge)
        form.addRow(self.tr("Load grade"), self.load_grade)
        form.addRow(self.tr("Emergency power"), self.inputs["emergency_power"])
        form.addRow(self.tr("Power quality duties"), self.inputs["power_quality"])
        form.addRow(self.tr("Remarks"), self.remarks)
        lang = ctx.language
        self.sources_table = RecordTable(
            [
                Column("no", self.tr("No."), "text", 40),
                Column("role", self.tr("Main/backup"), SourceRole, 70),
                Column("voltage_kv", self.tr("Voltage (kV)"), "number", 70),
                Column("capacity_kva", self.tr("Capacity (kVA)"), "number", 80),
                Column("substation", self.tr("Substation"), "text", 130),
                Column("line", self.tr("Line"), "text", 100),
                Column("bay", self.tr("Bay"), "text", 70),
                Column("line_type", self.tr("Overhead/cable"), LineType, 70),
            ],
            lang,
        )
        self.metering_table = RecordTable(
            [
                Column("point", self.tr("Metering point"), "text", 100),
                Column("method", self.tr("Method"), MeteringMethod, 90),
                Column("wiring", self.tr("Wiring"), "text", 70),
                Column("meter_class", self.tr("Accuracy class"), "text", 70),
                Column("ct_ratio", self.tr("CT ratio"), "text", 60),
                Column("pt_ratio", self.tr("PT ratio"), "text", 60),
                Column("tariff", self.tr("Tariff"), TariffCategory, 120),
                Column("time_of_use", self.tr("Time of use"), "bool", 50),
            ],
            lang,
        )
        self.fees_table = RecordTable(
            [
                Column("item", self.tr("Fee item"), "text", 160),
                Column("unit_price", self.tr("Unit price"), "number", 70),
                Column("quantity", self.tr("Quantity"), "number", 70),
                Column("amount", self.tr("Amount (yuan)"), "number", 90),
                Column("basis", self.tr("Basis"), "text", 120),
            ],
            lang,
        )
        self.table_buttons: list[QPushButton] = []
        self.warnings = QListWidget()
        self.warnings.setMaximumHeight(110)
        self.deadlines = QLabel()
        self.save_button = QPushButton(self.tr("Save draft"))
        self.issue_button = QPushButton(self.tr("Issue…"))
        self.correct_button = QPushButton(self.tr("Correct (new version)"))
        self.preview_button = QPushButton(self.tr("Preview / print"))
        self.save_button.clicked.connect(self.save)
        self.issue_button.clicked.connect(self.issue)
        self.correct_button.clicked.connect(self.correct)
        self.preview_button.clicked.connect(self.preview)
        buttons = QHBoxLayout()
        for button in (
            self.save_button,
            self.issue_button,
            self.correct_button,
            self.preview_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.heading)
        detail_layout.addWidget(self.deadlines)
        detail_layout.addLayout(form)
        for title, table in (
            (self.tr("Power sources"), self.sources_table),
            (self.tr("Metering"), self.metering_table),
            (self.tr("Fees"), self.fees_table),
        ):
            add = QPushButton(self.tr("Add row"))
            remove = QPushButton(self.tr("Remove row"))
            add.clicked.connect(lambda _checked=False, t=table: t.add_row())
            remove.clicked.connect(lambda _checked=False, t=table: t.remove_selected())
            self.table_buttons += [add, remove]
            row = QHBoxLayout()
            row.addWidget(QLabel(title))
            row.addStretch(1)
            row.addWidget(add)
            row.addWidget(remove)
            table.setMinimumHeight(96)
            table.setMaximumHeight(150)
            detail_layout.addLayout(row)
            detail_layout.addWidget(table)
        detail_layout.addWidget(QLabel(self.tr("Rule checks")))
        detail_layout.addWidget(self.warnings)
        detail_layout.addLayout(buttons)
        scroll = QScrollArea()
        scroll.setWidget(detail)
        scroll.setWidgetResizable(True)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(list_box)
        splitter.addWidget(scroll)
        splitter.setSizes([500, 780])
        layout = QVBoxLayout(self)
        layout.addWidget(new_box)
        layout.addWidget(splitter, 1)
        self._set_enabled()

    def activated(self) -> None:
        self.refresh()

    @property
    def loaded(self) -> bool:
        """The list and the plan asked for are shown (no read of them is awaited)."""
        return self._listed and not self.reads.waiting("list", "view")

    def refresh(self) -> None:
        """Read the list and the plan shown again on the database worker (the plan not over
        edits typed); what is on screen stays until the answers come."""
        self._read_list()
        if self._showing is not None and not self.has_changes():  # never over typed edits
            self.show_plan(self._showing)

    def _read_list(self) -> None:
        if not self._listed:
            self.loading_note.show()
        service = self.service
        self.reads.ask("list", lambda _state: service.list(), self._show_list)

    def _show_list(
        self, rows: list[tuple[uuid.UUID, str | None, str, int, str, date | None]]
    ) -> None:
        self._listed = True
        self.loading_note.hide()
        lang = self.ctx.language
        self.list_model.set_rows(
            [
                (
                    n or self.tr("(draft)"),
                    c,
                    v,
                    label(DocumentStatus(s), lang),
                    u.isoformat() if u else "",
                )
                for _id, n, c, v, s, u in rows
            ],
            [r[0] for r in rows],
        )
        ids = [r[0] for r in rows]
        if self._showing in ids:  # the plan shown stays selected
            self.list_view.selectRow(ids.index(self._showing))

    def has_changes(self) -> bool:
        """Whether the draft shown has edits not saved yet."""
        return (
            self.current is not None
            and self.current.status == "draft"
            and self._shown_values is not None
            and self.form_values() != self._shown_values
        )

    def keep_or_drop_changes(self) -> bool:
        """Before the draft shown is replaced: ask about unsaved edits. ``False``: stay."""
        if not self.has_changes():
            return True
        answer = unsaved.ask(self, self.tr("The supply plan draft"))
        if answer is unsaved.Answer.SAVE:
            return self.save()
        return answer is unsaved.Answer.DISCARD

    def _selected(self, current, _previous) -> None:
        plan_id = self.list_model.data(current, ObjectRole) if current.isValid() else None
        if plan_id is None or plan_id == self._showing:
            return
        if not self.keep_or_drop_changes():  # go on editing: the draft's row selected again
            rows = [self.list_model.object_at(r) for r in range(self.list_model.rowCount())]
            selection = self.list_view.selectionModel()
            selection.blockSignals(True)
            if self._showing in rows:
                self.list_view.selectRow(rows.index(self._showing))
            selection.blockSignals(False)
            return
        self.show_plan(plan_id)

    def show_plan(self, plan_id: uuid.UUID) -> None:
        """Show a plan, read on the database worker. Until it comes, the one shown before
        stays on screen, not editable (the edits would go to it); an answer for a plan no
        longer asked for is dropped, and one for the plan shown does not replace edits
        typed meanwhile."""
        self._showing = plan_id
        if self.current is not None and self.current.id != plan_id:
            self._set_enabled()
        service = self.service

        def shown(view: PlanView) -> None:
            if self.current is not None and self.current.id == view.id and self.has_changes():
                return  # typed while it was read: kept (saving them stores them)
            self._show_view(view)

        self.reads.ask("view", lambda _state: service.view(plan_id), shown, self._view_failed)

    def _view_failed(self, error: BaseException) -> None:
        if not isinstance(error, UserError):  # the one shown before stays, usable again
            self._showing = self.current.id if self.current is not None else None
            self._set_enabled()
            show_error(self, error, self.ctx.language)
            return
        self._showing = None  # gone (by a sync): it left the list too, nothing shows here
        self.current = None
        self._shown_values = None
        self.heading.setText(self.tr("Select a plan, or create one above."))
        self._set_enabled()

    def _shown_now(self, view: PlanView) -> None:
        """Show the plan a write returned at once (its read under way, if any, is dropped)."""
        self.reads.drop("view")
        self._showing = view.id
        self._show_view(view)

    def _show_view(self, view: PlanView) -> None:
        self.current = view
        data = view.data
        lang = self.ctx.language
        self.heading.setText(
            f"<b>{view.customer.get('name', '')}</b> — {view.number or self.tr('(draft)')} — "
            f"{label(DocumentStatus(view.status), lang)}"
        )
        parts = []
        if view.reply_deadline:
            parts.append(
                self.tr("Reply due by %1").replace("%1", view.reply_deadline.on.isoformat())
            )
            if view.reply_deadline.estimated:
                parts.append(self.tr("counted on the estimated holiday calendar"))
        if view.valid_until:
            parts.append(self.tr("Valid until %1").replace("%1", view.valid_until.isoformat()))
        self.deadlines.setText(" · ".join(parts))
        customer = view.customer
        facts = [
            label(TariffCategory(customer["tariff"]), lang) if customer.get("tariff") else "",
            label(Industry(customer["industry"]), lang) if customer.get("industry") else "",
            label(ImportantGrade(customer["important_grade"]), lang)
            if customer.get("important_grade")
            else self.tr("not an important user"),
        ]
        self.customer_facts.setText(" · ".join(f for f in facts if f))
        for name, widget in self.inputs.items():
            widget.setText(str(data.get(name) or ""))
        self.load_grade.setCurrentIndex(max(self.load_grade.findData(data.get("load_grade")), 0))
        self.capacity.setValue(float(data.get("capacity_kva") or 0))
        self.added_capacity.setValue(float(data.get("added_capacity_kva") or 0))
        self.voltage.setValue(float(data.get("voltage_kv") or 0))
        self.power_factor.setValue(float(data.get("power_factor") or 0))
        self.dual_source.setChecked(bool(data.get("dual_source")))
        self.basic_charge.setChecked(bool(data.get("basic_charge")))
        self.tap_changer.setChecked(bool(data.get("on_load_tap_changer")))
        self.remarks.setPlainText(str(data.get("remarks") or ""))
        self.sources_table.set_records(data.get("sources") or [])
        self.metering_table.set_records(data.get("metering") or [])
        self.fees_table.set_records(data.get("fees") or [])
        self.warnings.clear()
        for warning in view.warnings:
            self.warnings.addItem(warning.message(lang))
        if not view.warnings:
            self.warnings.addItem(self.tr("No rule warnings."))
        self._set_enabled()
        self._shown_values = self.form_values()  # what "unsaved edits" are measured against

    def _set_enabled(self) -> None:
        """What the plan shown allows; nothing while another one is being read."""
        current = self.current if self.current and self.current.id == self._showing else None
        draft = current is not None and current.status == "draft"
        for widget in (
            *self.inputs.values(),
            self.capacity,
            self.added_capacity,
            self.voltage,
            self.power_factor,
            self.dual_source,
            self.basic_charge,
            self.tap_changer,
            self.remarks,
            self.load_grade,
            *self.table_buttons,
            self.save_button,
            self.issue_button,
        ):
            widget.setEnabled(draft)
        for table in (self.sources_table, self.metering_table, self.fees_table):
            table.set_editable(draft)
        self.correct_button.setEnabled(current is not None and current.status == "issued")
        self.preview_button.setEnabled(current is not None)

    def form_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            name: widget.text().strip() for name, widget in self.inputs.items()
        }
        values.update(
            capacity_kva=self.capacity.value(),
            added_capacity_kva=self.added_capacity.value(),
            voltage_kv=self.voltage.value(),
            power_factor=round(self.power_factor.value(), 2) or None,
            dual_source=self.dual_source.isChecked(),
            basic_charge=self.basic_charge.isChecked(),
            # LV customers have no transformer of their own: the handout then says nothing
            on_load_tap_changer=self.tap_changer.isChecked() if self.voltage.value() >= 1 else None,
            remarks=self.remarks.toPlainText().strip(),
            load_grade=self.load_grade.currentData() or "",
            sources=self.sources_table.records(),
            metering=self.metering_table.records(),
            fees=self.fees_table.records(),
        )
        return values

    def create_draft(self) -> None:
        if not self.keep_or_drop_changes():
            return
        if self.customer.customer_id is None:
            QMessageBox.information(self, self.windowTitle(), self.tr("Pick a customer first."))
            return
        customer_id, accepted_on = self.customer.customer_id, py_date(self.accepted.date())

        def then(view: PlanView) -> None:
            self._shown_now(view)
            self._read_list()

        self._write(
            lambda _state: self.service.view(self.service.draft(customer_id, accepted_on)), then
        )

    def _write(self, op: Callable[[TaskState], T], then: Callable[[T], None]) -> bool:
        """A write of this page as an operation; ``then`` shows its result here."""
        return run_write(
            self, self.ctx.store, op, then, language=self.ctx.language, shown=self.refreshed_for
        )

    def save(self, then: Callable[[], None] | None = None) -> bool:
        """Save the draft shown (an operation); ``then()`` once it is saved. ``True``: the
        save started (under tests, which run operations at once: succeeded)."""
        if self.current is None:
            return False
        try:
            values = self.form_values()  # a table cell that is not a number is refused here
        except UserError as error:
            show_error(self, error, self.ctx.language)
            return False
        plan_id = self.current.id

        def saved(view: PlanView) -> None:
            if self._showing == plan_id:  # still shown
                self._shown_now(view)
            self._read_list()
            if then is not None:
                then()

        def op(_state: TaskState) -> PlanView:
            self.service.update(plan_id, values)
            return self.service.view(plan_id)

        return self._write(op, saved)

    def issue(self) -> None:
        """Save the draft, then issue it after a confirmation naming its rule warnings."""
        if self.current is not None:
            self.save(then=self._confirm_issue)

    def _confirm_issue(self) -> None:
        if self.current is None:
            return
        question = self.tr("Issue the plan handout now? It is frozen once issued.")
        if self.current.warnings:
            question = self.tr(
                "The plan has %n rule warning(s). Issue it anyway?", "", len(self.current.warnings)
            )
        if (
            QMessageBox.question(self, self.tr("Issue plan"), question)
            != QMessageBox.StandardButton.Yes
        ):
            return
        plan_id = self.current.id
        self._write(lambda _state: self.service.issue(plan_id), lambda _value: self.refresh())

    def correct(self) -> None:
        """Start a corrected version of the issued plan shown (same number, superseding it)."""
        if self.current is None:
            return
        plan_id = self.current.id

        def then(view: PlanView) -> None:
            self._shown_now(view)
            self._read_list()

        self._write(lambda _state: self.service.view(self.service.correct(plan_id)), then)

    def pdf(self) -> bytes:
        """The PDF of the plan shown (as last read), laid out here."""
        assert self.current is not None
        return render_plan(self.current, Letterhead.from_settings(self.ctx.settings))

    def preview(self) -> None:
        """Preview (and print from there): the plan as stored now is read on the database
        worker, the PDF laid out on a worker, then shown."""
        if self.current is None:
            return
        plan_id, service = self.current.id, self.service
        letterhead = Letterhead.from_settings(self.ctx.settings)
        title = self.tr("Supply plan handout")

        def rendered(view: PlanView) -> None:
            preview_when_rendered(
                self, lambda: render_plan(view, letterhead), title, self.ctx.language
            )

        self.reads.ask(
            "print", lambda _state: service.view(plan_id), rendered, title=preparing(title)
        )
