"""A referral that does not start on a visit: a demand or complaint the customer phoned in.

The manager picks the customer, says what is asked and which team answers; the due date
starts at the default time limit of the kind (``referrals.due_workdays``) and can be changed.
The referral is then followed to closure on the 转办 page like one written on a visit.
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.enums import BackOfficeTeam, DemandType, label
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.operations import Changes, OpResult, run_op
from keyacct_desktop.gui.widgets.customer_picker import CustomerPicker
from keyacct_desktop.services.customers import CustomerDirectory
from keyacct_desktop.services.referrals import NewReferral, ReferralService


class NewReferralDialog(QDialog):
    """Refer a phoned-in demand or complaint; ``created_id`` holds the new referral's id."""

    def __init__(
        self,
        ctx: AppContext,
        customer_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = ReferralService(ctx.store, ctx.settings)
        self.today = today or date.today()
        self.created_id: uuid.UUID | None = None
        self.changes: Changes | None = None  # what the save changed
        self.setWindowTitle(self.tr("New referral (phone request)"))
        language = ctx.language

        self.customer = CustomerPicker(CustomerDirectory(ctx.store), self)
        if customer_id is not None:
            self.customer.set_customer(customer_id)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Demand"), "demand")
        self.kind.addItem(self.tr("Complaint"), "complaint")
        self.demand_type = QComboBox()
        for item in DemandType:
            self.demand_type.addItem(label(item, language), item.value)
        self.demand_type.setCurrentIndex(self.demand_type.findData(DemandType.OTHER.value))
        self.team = QComboBox()
        self.team.addItem(self.tr("— choose the team —"), None)
        for team in BackOfficeTeam:
            self.team.addItem(label(team, language), team.value)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText(self.tr("What the customer asks, in their words"))
        self.description.setMinimumHeight(90)
        self.owner = QLineEdit()
        self.owner.setPlaceholderText(self.tr("optional"))
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self._due_touched = False
        self._set_default_due()
        self.due.dateChanged.connect(self._due_edited)
        self.kind.currentIndexChanged.connect(self._kind_changed)

        form = QFormLayout()
        form.addRow(self.tr("&Customer"), self.customer)
        form.addRow(self.tr("&Kind"), self.kind)
        form.addRow(self.tr("Demand &type"), self.demand_type)
        form.addRow(self.tr("T&eam"), self.team)
        form.addRow(self.tr("&What is asked"), self.description)
        form.addRow(self.tr("&Owner"), self.owner)
        form.addRow(self.tr("&Due"), self.due)
        self.error = QLabel()
        self.error.setObjectName("referralError")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Refer"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(520, 420)
        (self.kind if customer_id is not None else self.customer).setFocus()

    def _set_default_due(self) -> None:
        due = self.service.default_due(self.kind.currentData(), self.today)
        self.due.blockSignals(True)
        self.due.setDate(QDate(due.year, due.month, due.day))
        self.due.blockSignals(False)

    def _due_edited(self) -> None:
        self._due_touched = True

    def _kind_changed(self) -> None:
        if self.kind.currentData() == "complaint":
            self.demand_type.setCurrentIndex(self.demand_type.findData(DemandType.COMPLAINT.value))
        if not self._due_touched:  # a complaint's time limit is shorter
            self._set_default_due()

    def item(self) -> NewReferral:
        if self.customer.customer_id is None:
            raise UserError("请选择客户", "choose the customer", field="customer")
        due = self.due.date()
        return NewReferral(
            customer_id=self.customer.customer_id,
            team=self.team.currentData() or "",
            description=self.description.toPlainText(),
            kind=self.kind.currentData(),
            demand_type=self.demand_type.currentData(),
            owner_name=self.owner.text(),
            due_on=date(due.year(), due.month(), due.day()),
        )

    def save(self) -> bool:
        """Create the referral as an operation; the dialog closes once it is stored. ``True``:
        started (under tests, which run operations at once: stored)."""
        try:
            item = self.item()
        except UserError as error:
            self._refused(error)
            return False
        today = self.today
        self.buttons.setEnabled(False)  # one referral per click, however slow the store

        def done(result: OpResult[uuid.UUID]) -> None:
            self.created_id, self.changes = result.value, result.changes
            self.accept()

        def failed(error: BaseException) -> None:
            self.buttons.setEnabled(True)
            if isinstance(error, UserError):
                self._refused(error)
            else:
                show_error(self, error, self.ctx.language)

        operation = run_op(
            self,
            self.ctx.store,
            lambda _state: self.service.create(item, today),
            done,
            on_error=failed,
            language=self.ctx.language,
        )
        return operation.running or self.created_id is not None

    def _refused(self, error: UserError) -> None:
        """Say what is wrong under the form and put the cursor in the field concerned."""
        self.error.setText(error.message(self.ctx.language))
        widget = {
            "customer": self.customer,
            "team": self.team,
            "description": self.description,
            "kind": self.kind,
            "demand_type": self.demand_type,
        }.get(error.field or "")
        if widget is not None:
            widget.setFocus()


__all__ = ["NewReferralDialog"]
