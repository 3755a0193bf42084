"""The customer profile editor: every field of the 大客户档案, checked before saving.

All problems are shown at once: each faulty field gets a red frame and a tooltip with the
reason, and the list under the form says which field and why. Nothing is saved until the
profile is valid.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QDate
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
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.enums import (
    VOLTAGE_LEVELS_KV,
    ContactRole,
    CreditRating,
    ImportantGrade,
    Industry,
    LoadGrade,
    MeteringMethod,
    PoolStatus,
    TariffCategory,
    label,
)
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.services.customer_profile import (
    ContactForm,
    FieldProblem,
    ProfileForm,
    ProfileService,
    check,
)
from keyacct_desktop.store.models import Grid, Park, User


def _error_style(widget: QWidget) -> str:
    """A red frame on the widget itself (a type selector, so cells inside keep their look)."""
    return f"{type(widget).__name__} {{ border: 2px solid #c62828; }}"


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
        self.resize(900, 720)

        self.account_no = QLineEdit()
        self.name = QLineEdit()
        self.uscc = QLineEdit()
        self.uscc.setPlaceholderText(self.tr("18 characters, e.g. 91350100M000100Y43"))
        self.address = QLineEdit()
        self.industry_detail = QLineEdit()
        self.notes = QLineEdit()
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
        for name, suffix, maximum in (
            ("capacity_kva", " kVA", 10_000_000),
            ("annual_kwh", " kWh", 1e13),
        ):
            spin = QDoubleSpinBox()
            spin.setRange(-1, maximum)
            spin.setDecimals(0)
            spin.setSuffix(suffix)
            spin.setSpecialValueText(self.tr("(not set)"))
            spin.setValue(-1)
            self.numbers[name] = spin
        self.refs: dict[str, QComboBox] = {
            "park_id": QComboBox(),
            "grid_id": QComboBox(),
            "manager_id": QComboBox(),
        }
        with ctx.store.read() as session:
            choices = {
                "park_id": session.execute(select(Park.id, Park.name).order_by(Park.name)).all(),
                "grid_id": session.execute(select(Grid.id, Grid.name).order_by(Grid.name)).all(),
                "manager_id": session.execute(
                    select(User.id, User.display_name).order_by(User.display_name)
                ).all(),
            }
        for name, combo in self.refs.items():
            combo.addItem(self.tr("(none)"), None)
            for item_id, text in choices[name]:
                combo.addItem(text, item_id)

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
        form.addRow(self.tr("Tariff"), self.combos["tariff"])
        form.addRow(self.tr("Metering"), self.combos["metering"])
        side = QGroupBox(self.tr("Service"))
        side_form = QFormLayout(side)
        side_form.addRow(self.tr("Park"), self.refs["park_id"])
        side_form.addRow(self.tr("Pool status"), self.combos["pool_status"])
        side_form.addRow(self.tr("Grid"), self.refs["grid_id"])
        side_form.addRow(self.tr("Manager"), self.refs["manager_id"])
        side_form.addRow(self.tr("Important-customer grade"), self.combos["important_grade"])
        side_form.addRow(self.tr("Load grade"), self.combos["load_grade"])
        side_form.addRow(self.tr("Credit rating"), self.combos["credit_rating"])
        side_form.addRow(self.tr("Notes"), self.notes)

        self.contacts = QTableWidget(0, 6)
        self.contacts.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Role"),
                self.tr("Title"),
                self.tr("Mobile"),
                self.tr("Landline"),
                self.tr("Last verified"),
            ]
        )
        self.contacts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._roles = [(r.value, label(r, language)) for r in ContactRole]
        add = QPushButton(self.tr("Add contact"))
        add.clicked.connect(lambda: self.add_contact(ContactForm()))
        remove = QPushButton(self.tr("Remove contact"))
        remove.clicked.connect(lambda: self.contacts.removeRow(self.contacts.currentRow()))
        contacts_box = QGroupBox(self.tr("Contacts"))
        contacts_layout = QVBoxLayout(contacts_box)
        contacts_layout.addWidget(self.contacts)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(add)
        buttons_row.addWidget(remove)
        buttons_row.addStretch(1)
        contacts_layout.addLayout(buttons_row)

        self.problems = QLabel()
        self.problems.setStyleSheet("color: #c62828;")
        self.problems.setWordWrap(True)
        self.problems.setMinimumHeight(self.fontMetrics().height() * 5)
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
        layout.addWidget(contacts_box, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.load(self.service.load(customer_id) if customer_id else ProfileForm())

    # --- form <-> widgets -------------------------------------------------------------------

    def load(self, data: ProfileForm) -> None:
        self.account_no.setText(data.account_no)
        self.name.setText(data.name)
        self.uscc.setText(data.uscc)
        self.address.setText(data.address)
        self.industry_detail.setText(data.industry_detail)
        self.notes.setText(data.notes)
        for name, combo in self.combos.items():
            combo.setCurrentIndex(max(combo.findData(getattr(data, name)), 0))
        self.voltage.setCurrentIndex(max(self.voltage.findData(data.voltage_kv), 0))
        for name, spin in self.numbers.items():
            value = getattr(data, name)
            spin.setValue(-1 if value is None else value)
        for name, combo in self.refs.items():
            combo.setCurrentIndex(max(combo.findData(getattr(data, name)), 0))
        self.contacts.setRowCount(0)
        for contact in data.contacts:
            self.add_contact(contact)

    def add_contact(self, contact: ContactForm) -> None:
        row = self.contacts.rowCount()
        self.contacts.insertRow(row)
        name = QTableWidgetItem(contact.name)
        name.setData(256, contact.id)  # Qt.UserRole: the contact's id, kept on edit
        self.contacts.setItem(row, 0, name)
        roles = QComboBox()
        for code, text in self._roles:
            roles.addItem(text, code)
        roles.setCurrentIndex(max(roles.findData(contact.role), 0))
        self.contacts.setCellWidget(row, 1, roles)
        self.contacts.setItem(row, 2, QTableWidgetItem(contact.title))
        self.contacts.setItem(row, 3, QTableWidgetItem(contact.mobile))
        self.contacts.setItem(row, 4, QTableWidgetItem(contact.landline))
        self.contacts.setItem(
            row,
            5,
            QTableWidgetItem(contact.last_verified.isoformat() if contact.last_verified else ""),
        )

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
                    last_verified=verified.toPython() if verified.isValid() else None,
                    id=name_item.data(256) if name_item else None,
                )
            )
        numbers = {
            name: (None if spin.value() < 0 else spin.value())
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
            voltage_kv=self.voltage.currentData(),
            contacts=contacts,
            **{name: combo.currentData() for name, combo in self.combos.items()},
            **{name: combo.currentData() for name, combo in self.refs.items()},
            **numbers,
        )

    # --- saving -----------------------------------------------------------------------------

    def _widget(self, field_name: str) -> QWidget | None:
        simple = {
            "account_no": self.account_no,
            "name": self.name,
            "uscc": self.uscc,
            "voltage_kv": self.voltage,
            **self.combos,
            **self.numbers,
            **self.refs,
        }
        if field_name in simple:
            return simple[field_name]
        if field_name.startswith("contacts."):
            return self.contacts
        return None

    def show_problems(self, problems: list[FieldProblem]) -> None:
        for widget in {self._widget(p.field) for p in problems} | {self.contacts}:
            if widget is not None:
                widget.setStyleSheet("")
                widget.setToolTip("")
        english = self.ctx.language.startswith("en")
        for problem in problems:
            widget = self._widget(problem.field)
            if widget is not None:
                widget.setStyleSheet(_error_style(widget))
                widget.setToolTip(problem.en if english else problem.zh)
        self.problems.setText("\n".join(p.en if english else p.zh for p in problems))

    def save(self) -> bool:
        form = self.form()
        problems = check(form, self.ctx.store)
        self.show_problems(problems)
        if problems:
            widget = self._widget(problems[0].field)
            if widget is not None:
                widget.setFocus()
            return False
        try:
            self.saved_id = self.service.save(form)
        except UserError as error:
            self.problems.setText(error.message(self.ctx.language))
            return False
        self.accept()
        return True
