"""A search-as-you-type customer field that scales to 100,000 customers.

It asks the customer directory for at most :data:`SUGGESTIONS` matches and never loads
the whole list into a combo box. The matches are read on the database worker (a
``QueryOp``); the answer for text typed over since is dropped.
"""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from keyacct_desktop.gui.operations import QueryOp
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery

SUGGESTIONS = 30

_log = logging.getLogger(__name__)


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
        self._asked = 0  # the last suggestions asked for (older answers are dropped)
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
        """Read the suggestions for the text on the worker; show them when they arrive."""
        text, directory = self.text().strip(), self.directory
        self._asked += 1
        asked = self._asked

        def read(_state: TaskState) -> dict[str, uuid.UUID]:
            ids = directory.first_page(CustomerQuery(text=text), SUGGESTIONS).ids if text else []
            rows = directory.rows(ids)
            return {f"{rows[i].name}({rows[i].account_no})": i for i in ids if i in rows}

        def show(choices: dict[str, uuid.UUID]) -> None:
            if asked != self._asked:
                return  # typed over since
            self._choices = choices
            self._model.setStringList(list(choices))
            if choices and self.hasFocus():
                self.completer().complete()

        def failed(error: BaseException) -> None:  # no suggestions; the log says why
            _log.warning("customer suggestions for %r could not be read: %s", text, error)

        QueryOp(self, read, show, failed).run_in_background()

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
