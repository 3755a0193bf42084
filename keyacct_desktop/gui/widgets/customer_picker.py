"""A search-as-you-type customer field that scales to 100,000 customers.

It asks the customer directory for at most :data:`SUGGESTIONS` matches and never loads
the whole list into a combo box.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery

SUGGESTIONS = 30


class CustomerPicker(QLineEdit):
    """Type part of a name, account no. or USCC; pick from the suggestions.

    Signals:
        picked(object): the chosen customer's UUID (``None`` when the text is cleared).
    """

    picked = Signal(object)

    def __init__(self, directory: CustomerDirectory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.directory = directory
        self.customer_id: uuid.UUID | None = None
        self._choices: dict[str, uuid.UUID] = {}
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._choose)
        self.setCompleter(completer)
        self.setPlaceholderText(self.tr("Type a customer name, account no. or USCC"))
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh_suggestions)
        self.textEdited.connect(self._edited)

    def _edited(self, text: str) -> None:
        if self.customer_id is not None:
            self.customer_id = None
            self.picked.emit(None)
        self._timer.start()

    def refresh_suggestions(self) -> None:
        text = self.text().strip()
        ids = self.directory.first_page(CustomerQuery(text=text), SUGGESTIONS).ids if text else []
        rows = self.directory.rows(ids)
        self._choices = {f"{rows[i].name}({rows[i].account_no})": i for i in ids if i in rows}
        self._model.setStringList(list(self._choices))
        if self._choices and self.hasFocus():
            self.completer().complete()

    def _choose(self, label: str) -> None:
        customer_id = self._choices.get(label)
        if customer_id is not None:
            self.set_customer(customer_id, label)

    def set_customer(self, customer_id: uuid.UUID, label: str | None = None) -> None:
        if label is None:
            row = self.directory.rows([customer_id]).get(customer_id)
            label = f"{row.name}({row.account_no})" if row else str(customer_id)
        self.customer_id = customer_id
        self.setText(label)
        self.picked.emit(customer_id)
