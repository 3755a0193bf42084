"""The customer profile editor: every field of the 大客户档案, checked before saving.

All problems are shown at once: each faulty field gets a red frame and a tooltip with the
reason, and the list under the form says which field and why. Nothing is saved until the
profile is valid. Beside the form: contacts, power sources, and the customer's class in force
with its history and the arrears/credit risk flags as badges.

The profile is read on the database worker (issue 20), never on the GUI thread: when the editor
opens (fields disabled and "reading…" meanwhile) and when a change notice says the customer
changed elsewhere.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.enums import (
    VOLTAGE_LEVELS_KV,
    ContactRole,
    CreditRating,
    ImportantGrade,
    Industry,
    LineType,
    LoadGrade,
    MeteringMethod,
    PoolStatus,
    SourceRole,
    TariffCategory,
    label,
)
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.customer_sections import ClassStatusBox, SupplyAndCreditForm
from keyacct_desktop.gui.economics.panel import EconomicsPanel, economics_tab_title
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.operations import OpResult, QueryOp, change_bus, run_op
from keyacct_desktop.gui.units import FACTORS, unit, unit_label
from keyacct_desktop.gui.widgets import unsaved
from keyacct_desktop.gui.widgets.combo import select_data
from keyacct_desktop.gui.widgets.dates import py_date
from keyacct_desktop.gui.widgets.forms import error_style, number_in_cell, table_with_buttons
from keyacct_desktop.gui.widgets.screen import fit_to_screen
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services import choices
from keyacct_desktop.services.customer_profile import (
    MAX_ANNUAL_KWH,
    MAX_CAPACITY_KVA,
    ContactForm,
    FieldProblem,
    ProfileForm,
    ProfileService,
    ProfileStatus,
    SourceForm,
    check,
    new_form,
)
from keyacct_desktop.store.changes import Changes


@dataclass(frozen=True)
class _Profile:
    """What the editor shows, as read on the database worker in one go."""

    form: ProfileForm
    status: ProfileStatus | None  # ``None``: a new customer
    options: dict[str, list[choices.Choice]] | None = None  # the lists to choose from (open)


class CustomerEditor(QDialog):
    """New (``customer_id=None``) or existing customer. ``saved_id`` is set after saving."""

    def __init__(
        self, ctx: AppContext, customer_id: uuid.UUID | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = ProfileService(ctx.store)
        self.saved_id: uuid.UUID | None = None
        self.customer_id = customer_id
        language = ctx.language
        self.setWindowTitle(self.tr("Customer profile"))
        fit_to_screen(self, 900, 760)

        self.account_no = QLineEdit()
        self.name = QLineEdit()
        self.uscc = QLineEdit()
        self.uscc.setPlaceholderText(self.tr("18 characters, e.g. 91350100M000100Y43"))
        self.address = QLineEdit()
        self.industry_detail = QLineEdit()
        self.notes = QLineEdit()
        self.pool_note = QLineEdit()
        self.pool_note.setPlaceholderText(self.tr("Required to enter the pool"))
        self.lead_source = QLineEdit()
        self.lead_source.setPlaceholderText(self.tr("e.g. park project filing"))
        self.combos: dict[str, QComboBox] = {}
        for name, enum in (
            ("industry", Industry),
            ("tariff", TariffCategory),
            ("metering", MeteringMethod),
            ("important_grade", ImportantGrade),
            ("load_grade", LoadGrade),
            ("credit_rating", CreditRating),
            ("pool_status", PoolStatus),
        ):
            combo = QComboBox()
            if name != "pool_status":
                combo.addItem(self.tr("(not set)"), "")
            for member in enum:
                text = label(member, language)
                combo.addItem(
                    f"{member.value} {text}" if name == "industry" else text, member.value
                )
            self.combos[name] = combo
        self.voltage = QComboBox()
        self.voltage.addItem(self.tr("(choose)"), None)
        for level in VOLTAGE_LEVELS_KV:
            self.voltage.addItem(f"{level:g} kV", float(level))
        self.numbers: dict[str, QDoubleSpinBox] = {}
        # Consumption is typed in the app's unit (万千瓦时 by default) and kept in kWh.
        self._scale = {"annual_kwh": FACTORS[unit(ctx.settings)]}
        for name, suffix, minimum, maximum in (
            ("capacity_kva", " kVA", -1, MAX_CAPACITY_KVA),
            (
                "annual_kwh",
                f" {unit_label(ctx.settings)}",
                -1,
                MAX_ANNUAL_KWH / self._scale["annual_kwh"],
            ),
            ("annual_profit_yuan", self.tr(" yuan"), -1e12, 1e12),
        ):
            spin = QDoubleSpinBox()
            spin.setRange(minimum, maximum)
            spin.setDecimals(4 if self._scale.get(name, 1) > 1 else 0)  # 1 kWh exact
            spin.setSuffix(suffix)
            spin.setSpecialValueText(self.tr("(not set)"))
            spin.setValue(minimum)
            self.numbers[name] = spin
        self.refs: dict[str, QComboBox] = {
            "park_id": QComboBox(),
            "grid_id": QComboBox(),
            "manager_id": QComboBox(),
        }
        for combo in self.refs.values():  # the parks, grids and managers come with the profile
            combo.addItem(self.tr("(none)"), None)

        profile = QGroupBox(self.tr("Profile"))
        form = QFormLayout(profile)
        form.addRow(self.tr("Account no."), self.account_no)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("USCC"), self.uscc)
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("Industry"), self.combos["industry"])
        form.addRow(self.tr("Products"), self.industry_detail)
        form.addRow(self.tr("Voltage"), self.voltage)
        form.addRow(self.tr("Contracted capacity"), self.numbers["capacity_kva"])
        form.addRow(self.tr("Annual consumption"), self.numbers["annual_kwh"])
        form.addRow(self.tr("Profit contribution"), self.numbers["annual_profit_yuan"])
        form.addRow(self.tr("Tariff"), self.combos["tariff"])
        form.addRow(self.tr("Metering"), self.combos["metering"])
        side = QGroupBox(self.tr("Service"))
        side_form = QFormLayout(side)
        side_form.addRow(self.tr("Park"), self.refs["park_id"])
        side_form.addRow(self.tr("Pool status"), self.combos["pool_status"])
        side_form.addRow(self.tr("Evaluation notes"), self.pool_note)
        side_form.addRow(self.tr("Lead source"), self.lead_source)
        side_form.addRow(self.tr("Grid"), self.refs["grid_id"])
        side_form.addRow(self.tr("Manager"), self.refs["manager_id"])
        side_form.addRow(self.tr("Important-customer grade"), self.combos["important_grade"])
        side_form.addRow(self.tr("Load grade"), self.combos["load_grade"])
        side_form.addRow(self.tr("Credit rating"), self.combos["credit_rating"])
        side_form.addRow(self.tr("Notes"), self.notes)

        self.contacts = QTableWidget(0, 8)
        self.contacts.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Role"),
                self.tr("Title"),
                self.tr("Mobile"),
                self.tr("Landline"),
                self.tr("Last verified"),
                self.tr("Email"),
                self.tr("Primary"),
            ]
        )
        self.contacts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._roles = [(r.value, label(r, language)) for r in ContactRole]
        add = QPushButton(self.tr("Add contact"))
        add.clicked.connect(lambda: self.add_contact(ContactForm()))
        remove = QPushButton(self.tr("Remove contact"))
        remove.clicked.connect(lambda: self.contacts.removeRow(self.contacts.currentRow()))
        contacts_box = table_with_buttons(self.contacts, add, remove)

        self.sources = QTableWidget(0, 8)
        self.sources.setHorizontalHeaderLabels(
            [
                self.tr("No."),
                self.tr("Main/backup"),
                self.tr("Voltage"),
                self.tr("Capacity (kVA)"),
                self.tr("Substation"),
                self.tr("Line"),
                self.tr("Bay"),
                self.tr("Line type"),
            ]
        )
        source_header = self.sources.horizontalHeader()
        source_header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        source_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self._source_roles = [(r.value, label(r, language)) for r in SourceRole]
        self._line_types = [(t.value, label(t, language)) for t in LineType]
        add_source = QPushButton(self.tr("Add power source"))
        add_source.clicked.connect(lambda: self.add_source(SourceForm(self.sources.rowCount() + 1)))
        remove_source = QPushButton(self.tr("Remove power source"))
        remove_source.clicked.connect(lambda: self.sources.removeRow(self.sources.currentRow()))
        sources_box = table_with_buttons(self.sources, add_source, remove_source)

        self.class_box = ClassStatusBox()
        self.class_box.set_class_button.clicked.connect(
            lambda: self.set_class(self.class_box.manual_class.currentData())
        )
        self.class_box.computed_class_button.clicked.connect(lambda: self.set_class(None))
        class_box = self.class_box
        self.class_label, self.history = class_box.class_label, class_box.history
        self.manual_class, self.manual_reason = class_box.manual_class, class_box.manual_reason
        self.set_class_button = class_box.set_class_button
        self.computed_class_button = class_box.computed_class_button

        self.tabs = QTabWidget()
        # the tabs take the room left under the form, never squeeze the form's rows
        self.tabs.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.tabs.setMinimumHeight(180)
        supply_box = self.supply = SupplyAndCreditForm(language)
        self.emergency_power, self.risk_updated_on = (
            supply_box.emergency_power,
            supply_box.risk_updated_on,
        )
        self.indicators, self.counts, self.flags = (
            supply_box.indicators,
            supply_box.counts,
            supply_box.flags,
        )
        self.tabs.addTab(contacts_box, self.tr("Contacts"))
        self.tabs.addTab(sources_box, self.tr("Power sources"))
        self.tabs.addTab(class_box, self.tr("Class and risk"))
        self.tabs.addTab(supply_box, self.tr("Emergency power and credit"))
        # what stays disabled until the profile is read (the economics tab reads its own)
        self._editable: list[QWidget] = [
            profile,
            side,
            contacts_box,
            sources_box,
            class_box,
            supply_box,
        ]
        self.economics: EconomicsPanel | None = None
        if customer_id is not None:  # monthly history, credit, advice, arrears (issue 19)
            self.economics = EconomicsPanel(ctx)
            self.tabs.addTab(self.economics, economics_tab_title())

        # A sync changed this customer while the editor is open with unsaved edits: say so
        # (never overwrite what was typed) and offer the synced version.
        self.remote_note = QLabel()
        self.remote_note.setObjectName("remoteChangeNote")
        self.remote_note.setWordWrap(True)
        self.remote_note.setStyleSheet(
            "background: #fff3cd; border: 1px solid #e0c36c; padding: 6px; color: #5c4400;"
        )
        self.load_remote_button = QPushButton(self.tr("Load the changed profile (drop my edits)"))
        self.load_remote_button.clicked.connect(self.load_remote)
        self.remote_row = QWidget()
        remote_layout = QHBoxLayout(self.remote_row)
        remote_layout.setContentsMargins(0, 0, 0, 0)
        remote_layout.addWidget(self.remote_note, 1)
        remote_layout.addWidget(self.load_remote_button)
        self.remote_row.hide()
        self._remote: _Profile | None = None
        self._own: Changes | None = None
        self._saving = False
        self._loaded: ProfileForm | None = None  # what Cancel compares with before it asks
        self._stored: ProfileForm | None = None  # the profile as stored, last time it was read
        self._asked = 0  # the last read asked: older answers, or any after closing, are dropped
        self._status_asked = 0  # the same for the class and risk read alone (_read_status)
        self._remote_pending = False  # a change made elsewhere waits for the read under way

        self.loading = QLabel(self.tr("Reading the customer profile…"))
        self.loading.setObjectName("profileLoading")
        self.loading.setWordWrap(True)

        self.problems = QLabel()
        self.problems.setStyleSheet("color: #c62828;")
        self.problems.setWordWrap(True)
        self.problems.setMinimumHeight(self.fontMetrics().height() * 2)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(profile, 3)
        top.addWidget(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.loading)
        layout.addWidget(self.remote_row)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        change_bus(ctx.store).published.connect(self.refresh_changes)
        self._read_opened()
        if self.economics is not None and customer_id is not None:  # after the profile
            self.economics.load(customer_id)  # on the database worker; it keeps itself current

    @property
    def risk_badges(self) -> list[QLabel]:
        """The risk badges shown in the class and risk tab."""
        return self.class_box.risk_badges

    @property
    def loaded(self) -> bool:
        """The profile was read and is shown: the fields are enabled and Save can run."""
        return self._loaded is not None

    def _set_loading(self, loading: bool) -> None:
        for widget in self._editable:
            widget.setEnabled(not loading)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not loading)
        self.loading.setVisible(loading)

    def _read_opened(self) -> None:
        """Read the profile (a new customer's defaults) and the parks, grids and managers to
        choose from on the database worker; until they are shown the fields stay disabled."""
        self._loaded = None
        self._set_loading(True)
        self.loading.setText(self.tr("Reading the customer profile…"))
        self._asked += 1
        asked = self._asked
        store, service, customer_id = self.ctx.store, self.service, self.customer_id
        username = str(self.ctx.settings.get("sync.username") or "")

        def read(_state: TaskState) -> _Profile:
            options = {
                "park_id": choices.parks(store),
                "grid_id": choices.grids(store),
                "manager_id": choices.managers(store),
            }
            if customer_id is None:
                return _Profile(new_form(store, username), None, options)
            return _Profile(service.load(customer_id), service.status(customer_id), options)

        def show(profile: _Profile) -> None:
            if asked == self._asked:
                self._opened(profile)

        def failed(error: BaseException) -> None:
            if asked != self._asked:
                return
            if isinstance(error, UserError):  # e.g. removed by a sync since the list was read
                self.loading.setText(error.message(self.ctx.language))
                return
            self.loading.setText(self.tr("The customer profile could not be read."))
            show_error(self, error, self.ctx.language)

        QueryOp(self, read, show, failed).run_in_background()

    def _opened(self, profile: _Profile) -> None:
        for name, combo in self.refs.items():
            combo.clear()
            combo.addItem(self.tr("(none)"), None)
            for item_id, text in (profile.options or {}).get(name, []):
                combo.addItem(text, item_id)
        self.load(profile.form)
        self.show_status(profile.status)
        self._loaded = self.form()
        self._stored = profile.form
        focus = self.focusWidget()
        self._set_loading(False)
        if self.isVisible() and not any(w.isAncestorOf(focus) for w in self._editable):
            self.account_no.setFocus()  # the keyboard waited on the buttons meanwhile

    def refresh_changes(self, changes: Changes) -> None:
        """Something changed (a sync, another window): if it is this customer's profile, show
        it, or, with edits not saved, say so and keep them. The profile is read again on the
        database worker; several notices before its answer are answered by one read."""
        if self.customer_id is None or self._saving or not self.isVisible():
            return
        if not changes.touches_customer(self.customer_id):
            return
        if self._loaded is None:  # still opening: the answer under way may be older
            self._read_opened()
            return
        if changes is self._own:  # this editor's own operation: the stored state moved on
            self._own = None
        else:
            self._remote_pending = True
        self._asked += 1
        asked = self._asked
        service, customer_id = self.service, self.customer_id

        def read(_state: TaskState) -> _Profile:
            return _Profile(service.load(customer_id), service.status(customer_id))

        def show(profile: _Profile) -> None:
            if asked == self._asked:
                self._refreshed(profile)

        def failed(error: BaseException) -> None:
            if asked != self._asked:
                return
            remote, self._remote_pending = self._remote_pending, False
            if not isinstance(error, UserError):
                show_error(self, error, self.ctx.language)
            elif remote:  # deleted meanwhile (e.g. left the manager's grids)
                self.remote_note.setText(
                    self.tr("This customer was removed from this computer by a sync.")
                )
                self.load_remote_button.hide()
                self.remote_row.show()

        QueryOp(self, read, show, failed).run_in_background()

    def _refreshed(self, profile: _Profile) -> None:
        """The profile as stored now, read after a change notice (see refresh_changes)."""
        remote, self._remote_pending = self._remote_pending, False
        stored = profile.form
        if not remote:  # only this editor's own change: nothing new to show
            self._stored = stored
            return
        if stored == self._stored:
            return  # another customer's change, or nothing shown here
        self._stored = stored
        if not self.has_changes():
            self.load(stored)
            self._loaded = self.form()
            self.show_status(profile.status)
            self.remote_row.hide()
            return
        self._remote = profile
        self.remote_note.setText(
            self.tr(
                "This customer's profile was changed elsewhere (by a sync) while you were "
                "editing. Your edits are kept and not saved yet: Save puts them over the "
                "changed profile, or load the changed profile instead."
            )
        )
        self.load_remote_button.show()
        self.remote_row.show()

    def load_remote(self) -> None:
        """Show the profile as stored now, dropping the edits typed here."""
        if self._remote is not None:
            self.load(self._remote.form)
            self._loaded = self.form()
            self._remote = None
            self._read_status()
        self.remote_row.hide()

    def _read_status(self) -> None:
        """Read the class, its history and the risk flags on the database worker, then show
        them (after this editor's own class change, or the changed profile loaded)."""
        if self.customer_id is None:
            return
        self._status_asked += 1
        asked = self._status_asked
        service, customer_id = self.service, self.customer_id

        def show(status: ProfileStatus) -> None:
            if asked == self._status_asked:
                self.show_status(status)

        def failed(error: BaseException) -> None:
            if asked == self._status_asked and not isinstance(error, UserError):
                show_error(self, error, self.ctx.language)  # removed: refresh_changes says so

        QueryOp(self, lambda _state: service.status(customer_id), show, failed).run_in_background()

    def has_changes(self) -> bool:
        """Whether anything was typed or chosen since the profile was opened (nothing can
        be while it is read)."""
        return self._loaded is not None and self.form() != self._loaded

    def reject(self) -> None:
        """Esc, Cancel and closing the window ask first when there are unsaved changes."""
        if self.saved_id is None and self.has_changes():
            answer = unsaved.ask(self, self.tr("The customer profile"))
            if answer is unsaved.Answer.SAVE:
                self.save()  # closes when the profile is valid, else shows the problems
                return
            if answer is not unsaved.Answer.DISCARD:
                return
        super().reject()

    def done(self, result: int) -> None:
        """Closed (saved or not): the reads still on their way (the profile's, the economics
        tab's) are dropped."""
        self._asked += 1
        self._status_asked += 1
        if self.economics is not None:
            self.economics.stop()
        super().done(result)

    # --- form <-> widgets -------------------------------------------------------------------

    def load(self, data: ProfileForm) -> None:
        self.account_no.setText(data.account_no)
        self.name.setText(data.name)
        self.uscc.setText(data.uscc)
        self.address.setText(data.address)
        self.industry_detail.setText(data.industry_detail)
        self.notes.setText(data.notes)
        self.pool_note.setText(data.pool_note)
        self.lead_source.setText(data.lead_source)
        for name, combo in self.combos.items():
            select_data(combo, getattr(data, name))
        select_data(self.voltage, data.voltage_kv)
        for name, spin in self.numbers.items():
            value = getattr(data, name)
            scale = self._scale.get(name, 1.0)
            spin.setValue(spin.minimum() if value is None else value / scale)
        for name, combo in self.refs.items():
            select_data(combo, getattr(data, name))
        self.contacts.setRowCount(0)
        for contact in data.contacts:
            self.add_contact(contact)
        self.sources.setRowCount(0)
        for source in data.power_sources:
            self.add_source(source)
        self.supply.load(data)

    def show_status(self, status: ProfileStatus | None) -> None:
        """The class in force with its history and the risk badges, as read on the worker."""
        self.class_box.show_status(
            status if self.customer_id is not None else None,
            editable=self.customer_id is not None,
            english=self.ctx.language.startswith("en"),
        )

    def set_class(self, new_class: str | None) -> bool:
        """Fix the class by hand (a reason is required) or go back to the computed class.

        Takes effect at once and is kept in the class history, like 调整分级 on the list.
        """
        from keyacct_desktop.services.pyramid import PyramidService

        if self.customer_id is None:
            return False
        service = PyramidService(self.ctx.store, self.ctx.settings)
        customer_id, reason = self.customer_id, self.manual_reason.text()

        def done(result: OpResult[object]) -> None:
            self._own = result.changes  # not "changed elsewhere" when it is announced
            self.manual_reason.setStyleSheet("")
            self.manual_reason.clear()
            self.problems.clear()
            self._read_status()

        def failed(error: BaseException) -> None:
            if not isinstance(error, UserError):
                show_error(self, error, self.ctx.language)
                return
            self.manual_reason.setStyleSheet(error_style(self.manual_reason))
            self.problems.setText(error.message(self.ctx.language))

        operation = run_op(
            self,
            self.ctx.store,
            lambda _state: service.override(customer_id, new_class, reason),
            done,
            on_error=failed,
            language=self.ctx.language,
        )
        return operation.running or operation.result is not None

    def add_source(self, source: SourceForm) -> None:
        row = self.sources.rowCount()
        self.sources.insertRow(row)
        number = QTableWidgetItem(str(source.source_no))
        number.setData(256, source.id)  # Qt.UserRole: the source's id, kept on edit
        self.sources.setItem(row, 0, number)
        roles = QComboBox()
        for code, text in self._source_roles:
            roles.addItem(text, code)
        select_data(roles, source.role)
        self.sources.setCellWidget(row, 1, roles)
        voltage = QComboBox()
        voltage.addItem(self.tr("(choose)"), None)
        for level in VOLTAGE_LEVELS_KV:
            voltage.addItem(f"{level:g} kV", float(level))
        select_data(voltage, source.voltage_kv)
        self.sources.setCellWidget(row, 2, voltage)
        capacity = f"{source.capacity_kva:g}" if source.capacity_kva is not None else ""
        self.sources.setItem(row, 3, QTableWidgetItem(capacity))
        self.sources.setItem(row, 4, QTableWidgetItem(source.substation))
        self.sources.setItem(row, 5, QTableWidgetItem(source.line))
        self.sources.setItem(row, 6, QTableWidgetItem(source.bay))
        kinds = QComboBox()
        kinds.addItem(self.tr("(not set)"), "")
        for code, text in self._line_types:
            kinds.addItem(text, code)
        select_data(kinds, source.line_type)
        self.sources.setCellWidget(row, 7, kinds)

    def add_contact(self, contact: ContactForm) -> None:
        row = self.contacts.rowCount()
        self.contacts.insertRow(row)
        name = QTableWidgetItem(contact.name)
        name.setData(256, contact.id)  # Qt.UserRole: the contact's id, kept on edit
        self.contacts.setItem(row, 0, name)
        roles = QComboBox()
        for code, text in self._roles:
            roles.addItem(text, code)
        select_data(roles, contact.role)
        self.contacts.setCellWidget(row, 1, roles)
        self.contacts.setItem(row, 2, QTableWidgetItem(contact.title))
        self.contacts.setItem(row, 3, QTableWidgetItem(contact.mobile))
        self.contacts.setItem(row, 4, QTableWidgetItem(contact.landline))
        self.contacts.setItem(
            row,
            5,
            QTableWidgetItem(contact.last_verified.isoformat() if contact.last_verified else ""),
        )
        self.contacts.setItem(row, 6, QTableWidgetItem(contact.email))
        primary = QTableWidgetItem()
        primary.setFlags(
            Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
        )
        primary.setCheckState(
            Qt.CheckState.Checked if contact.is_primary else Qt.CheckState.Unchecked
        )
        primary.setToolTip(self.tr("The contact printed on documents"))
        self.contacts.setItem(row, 7, primary)

    def _typed_problems(self) -> list[FieldProblem]:
        """Cells whose text cannot be read at all (a date or a number typed wrong)."""
        problems = []
        day = self.risk_updated_on.text().strip()
        if day and not QDate.fromString(day, "yyyy-MM-dd").isValid():
            problems.append(
                FieldProblem(
                    "risk_updated_on",
                    f"信用指标更新日期“{day}”无效,应为 年-月-日,如 2026-03-01",
                    f"indicators date {day!r} is invalid, use e.g. 2026-03-01",
                )
            )
        for row in range(self.contacts.rowCount()):
            item = self.contacts.item(row, 5)
            text = item.text().strip() if item else ""
            if text and not QDate.fromString(text, "yyyy-MM-dd").isValid():
                problems.append(
                    FieldProblem(
                        f"contacts.{row + 1}.last_verified",
                        f"第 {row + 1} 位联系人:核实日期“{text}”无效,应为 年-月-日,如 2026-03-01",
                        f"contact {row + 1}: verified date {text!r} is invalid, use e.g. 2026-03-01",
                    )
                )
        for row in range(self.sources.rowCount()):
            item = self.sources.item(row, 3)
            text = item.text().strip() if item else ""
            if text and number_in_cell(text) is None:
                problems.append(
                    FieldProblem(
                        f"power_sources.{row + 1}.capacity_kva",
                        f"第 {row + 1} 路电源:容量“{text}”不是数字",
                        f"source {row + 1}: capacity {text!r} is not a number",
                    )
                )
        return problems

    def form(self) -> ProfileForm:
        contacts = []
        for row in range(self.contacts.rowCount()):

            def cell(column: int, row: int = row) -> str:
                item = self.contacts.item(row, column)
                return item.text().strip() if item else ""

            verified = QDate.fromString(cell(5), "yyyy-MM-dd")
            roles = self.contacts.cellWidget(row, 1)
            name_item = self.contacts.item(row, 0)
            contacts.append(
                ContactForm(
                    name=cell(0),
                    role=roles.currentData() if isinstance(roles, QComboBox) else "general",
                    title=cell(2),
                    mobile=cell(3),
                    landline=cell(4),
                    last_verified=py_date(verified) if verified.isValid() else None,
                    id=name_item.data(256) if name_item else None,
                    email=cell(6),
                    is_primary=self._is_primary(row),
                )
            )
        sources = []
        for row in range(self.sources.rowCount()):

            def text(column: int, row: int = row) -> str:
                item = self.sources.item(row, column)
                return item.text().strip() if item else ""

            def choice(column: int, row: int = row) -> object:
                widget = self.sources.cellWidget(row, column)
                return widget.currentData() if isinstance(widget, QComboBox) else None

            number_item = self.sources.item(row, 0)
            source_no = number_in_cell(text(0))
            sources.append(
                SourceForm(
                    source_no=int(source_no) if source_no is not None else 0,
                    role=str(choice(1) or ""),
                    voltage_kv=choice(2),  # type: ignore[arg-type]
                    capacity_kva=number_in_cell(text(3)),
                    substation=text(4),
                    line=text(5),
                    bay=text(6),
                    line_type=str(choice(7) or ""),
                    id=number_item.data(256) if number_item else None,
                )
            )
        numbers: dict[str, Any] = {
            name: (
                None
                if spin.value() == spin.minimum()
                else round(spin.value() * self._scale.get(name, 1.0), 3)
            )
            for name, spin in self.numbers.items()
        }
        return ProfileForm(
            id=self.customer_id,
            account_no=self.account_no.text(),
            name=self.name.text(),
            uscc=self.uscc.text(),
            address=self.address.text(),
            industry_detail=self.industry_detail.text(),
            notes=self.notes.text(),
            pool_note=self.pool_note.text(),
            lead_source=self.lead_source.text(),
            voltage_kv=self.voltage.currentData(),
            contacts=contacts,
            power_sources=sources,
            **{name: combo.currentData() for name, combo in self.combos.items()},
            **{name: combo.currentData() for name, combo in self.refs.items()},
            **numbers,
            **self.supply.values(),
        )

    # --- saving -----------------------------------------------------------------------------

    def _widget(self, field_name: str) -> QWidget | None:
        simple = {
            "account_no": self.account_no,
            "name": self.name,
            "uscc": self.uscc,
            "voltage_kv": self.voltage,
            "pool_note": self.pool_note,
            **self.combos,
            **self.numbers,
            **self.refs,
        }
        if field_name in simple:
            return simple[field_name]
        if field_name in self.indicators:
            return self.indicators[field_name]
        if field_name in self.counts:
            return self.counts[field_name]
        if field_name == "risk_updated_on":
            return self.risk_updated_on
        if field_name.startswith("contacts."):
            return self.contacts
        if field_name.startswith("power_sources."):
            return self.sources
        return None

    def _label(self, field_name: str) -> str:
        """The form label of a field ("" for table cells, whose messages name the row)."""
        widget = self._widget(field_name)
        for layout in self.findChildren(QFormLayout):
            if widget is not None and layout.indexOf(widget) >= 0:
                label_widget = layout.labelForField(widget)
                if isinstance(label_widget, QLabel):
                    return label_widget.text()
        return ""

    def show_problems(self, problems: list[FieldProblem]) -> None:
        marked = {self._widget(p.field) for p in problems}
        for widget in [*self._widgets(), self.contacts, self.sources]:
            widget.setStyleSheet("")
            widget.setToolTip("")
        english = self.ctx.language.startswith("en")
        lines = []
        for problem in problems:
            target = self._widget(problem.field)
            message = problem.en if english else problem.zh
            if target is not None:
                target.setStyleSheet(error_style(target))
                target.setToolTip(message)
            name = self._label(problem.field)
            colon = ": " if english else ":"
            lines.append(message if not name or name in message else f"{name}{colon}{message}")
        for marked_widget in marked:
            if marked_widget is self.contacts:
                self.tabs.setCurrentIndex(0)
            elif marked_widget is self.sources:
                self.tabs.setCurrentIndex(1)
            elif marked_widget in (
                *self.indicators.values(),
                *self.counts.values(),
                self.risk_updated_on,
            ):
                self.tabs.setCurrentIndex(3)
        self.problems.setText("\n".join(lines))

    def _widgets(self) -> list[QWidget]:
        return [
            self.account_no,
            self.name,
            self.uscc,
            self.voltage,
            self.pool_note,
            *self.combos.values(),
            *self.numbers.values(),
            *self.refs.values(),
            *self.indicators.values(),
            *self.counts.values(),
            self.risk_updated_on,
        ]

    def _is_primary(self, row: int) -> bool:
        item = self.contacts.item(row, 7)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def save(self) -> bool:
        if self._loaded is None:  # still reading: nothing to save over yet
            return False
        form, typed = self.form(), self._typed_problems()
        self._saving = True
        self.buttons.setEnabled(False)
        store, service = self.ctx.store, self.service

        def op(_state: TaskState) -> uuid.UUID | list[FieldProblem]:
            # every problem at once: what was typed, and the checks that read the store (a
            # duplicate 户号, the pool status), here on the worker before the write they guard
            problems = typed + check(form, store, new_in_pool_needs_note=True)
            return problems or service.save(form)

        operation = run_op(
            self, store, op, self._saved, on_error=self._not_saved, language=self.ctx.language
        )
        return operation.running or self.saved_id is not None

    def _refused(self, problems: list[FieldProblem]) -> bool:
        """Show the problems (none: clear them) and put the cursor on the first."""
        self.show_problems(problems)
        if problems and (widget := self._widget(problems[0].field)) is not None:
            widget.setFocus()
        return bool(problems)

    def _saved(self, result: OpResult[uuid.UUID | list[FieldProblem]]) -> None:
        self._saving = False
        self.buttons.setEnabled(True)
        if isinstance(result.value, list):  # checked and refused: nothing was written
            self._refused(result.value)
            return
        self.saved_id = result.value
        self.accept()

    def _not_saved(self, error: BaseException) -> None:
        self._saving = False
        self.buttons.setEnabled(True)
        if not isinstance(error, UserError):
            show_error(self, error, self.ctx.language)
            return
        self.problems.setText(error.message(self.ctx.language))
