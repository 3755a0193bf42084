"""The visit log editor: every field of a visit, demands to refer, photos and the signature.

The form autosaves every few seconds (and when closed) into the local draft table, so a crash,
a flat battery or a kill loses at most a few seconds of typing; the draft is offered again on
the next start. Photos and the signature are stored once in the sealed attachment folder, by
operations on the database worker (a photo when attached, a new signature by the first write of
the form that refers to it, before that write); the draft holds only their SHA-256, so an
autosave writes a few kilobytes whatever is attached. Saving validates first and writes
everything in one transaction.
"""

from __future__ import annotations

import hashlib
import itertools
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.enums import BackOfficeTeam, DemandType, label
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.errors import error_text, show_error
from keyacct_desktop.gui.operations import OpResult, run_op, run_write
from keyacct_desktop.gui.visits.signature import SignaturePad
from keyacct_desktop.gui.widgets import unsaved
from keyacct_desktop.gui.widgets.customer_picker import CustomerPicker
from keyacct_desktop.gui.widgets.screen import fit_to_screen
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services.customers import CustomerDirectory
from keyacct_desktop.services.reviews import review_of
from keyacct_desktop.services.visits import DemandForm, VisitForm, VisitLogService

#: The findings fields, in the order of the form.
FINDINGS = (
    "findings_reliability",
    "findings_power_quality",
    "findings_equipment",
    "findings_safety",
    "consumption_outlook",
    "advice",
)
T = TypeVar("T")

#: The file name a signature is stored under.
SIGNATURE_FILE = "客户签名.png"
#: Milliseconds between autosaves.
AUTOSAVE_MS = 3000
#: A faulty demand cell (the table is not framed: its combo boxes and header stay as they are).
_ERROR_CELL = QColor("#f8d7da")
#: The demands table's column of each field a demand's error can name.
_DEMAND_COLUMNS = {
    "demand_type": 0,
    "kind": 0,
    "description": 1,
    "team": 2,
    "owner_name": 3,
    "due_on": 4,
}


def _error_style(widget: QWidget) -> str:
    """A red frame on the widget itself (a type selector: a frame does not spread inside)."""
    return f"{type(widget).__name__} {{ border: 2px solid #c62828; }}"


def _names(text: str) -> list[str]:
    """``王经理、李工, 张三`` → a list (Chinese and Latin separators)."""
    for separator in ("、", ",", ";", ";"):
        text = text.replace(separator, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def _text_as_tooltip(item: QTableWidgetItem) -> None:
    """A cell's whole text as its tooltip: what is typed may be longer than the column."""
    if item.toolTip() != item.text():
        item.setToolTip(item.text())


class VisitEditor(QDialog):
    """Edit one visit. ``saved_id`` holds the visit's id after a successful save."""

    def __init__(self, ctx: AppContext, form: VisitForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = VisitLogService(ctx.store, ctx.settings, ctx.attachment_files)
        self.saved_id: uuid.UUID | None = None
        self._photos: list[tuple[str, str]] = list(form.photos)  # (file name, SHA-256)
        self._signature_sha = ""  # the SHA-256 of the signature the form refers to
        self._signature_dirty = False  # drawn on since: its SHA-256 taken at the next form()
        self._signature_png: bytes | None = None  # drawn, in the form, not yet stored
        self._files_pending = 0  # photos being stored on the database worker
        self._after_files: dict[str, Callable[[], object]] = {}  # waiting for those photos
        self._last_saved_form: dict | None = None
        self.setWindowTitle(self.tr("Visit log"))
        fit_to_screen(self, 980, 760)
        language = ctx.language

        self.customer = CustomerPicker(CustomerDirectory(ctx.store), self)
        self.started = QDateTimeEdit()
        self.started.setCalendarPopup(True)
        self.started.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.ended = QDateTimeEdit()
        self.ended.setCalendarPopup(True)
        self.ended.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.place = QLineEdit()
        self.ours = QLineEdit()
        self.ours.setPlaceholderText(self.tr("e.g. Manager Wang, Li (O&M); separate with 、or ,"))
        self.theirs = QLineEdit()
        self.purpose = QLineEdit()
        self.texts: dict[str, QPlainTextEdit] = {}
        basics = QGroupBox(self.tr("Visit"))
        form_layout = QFormLayout(basics)
        form_layout.addRow(self.tr("Customer"), self.customer)
        times = QHBoxLayout()
        times.addWidget(self.started)
        times.addWidget(QLabel(self.tr("to")))
        times.addWidget(self.ended)
        form_layout.addRow(self.tr("Time"), times)
        form_layout.addRow(self.tr("Place"), self.place)
        form_layout.addRow(self.tr("Our participants"), self.ours)
        form_layout.addRow(self.tr("Customer attendees"), self.theirs)
        form_layout.addRow(self.tr("Purpose"), self.purpose)

        findings = QGroupBox(self.tr("Findings"))
        findings_layout = QFormLayout(findings)
        for key, title in (
            ("findings_reliability", self.tr("Supply reliability (outages, voltage sags)")),
            ("findings_power_quality", self.tr("Power quality (harmonics, flicker)")),
            ("findings_equipment", self.tr("Equipment condition")),
            ("findings_safety", self.tr("Safety hazards")),
            ("consumption_outlook", self.tr("Consumption outlook")),
            ("advice", self.tr("Advice given")),
        ):
            edit = QPlainTextEdit()
            edit.setFixedHeight(54)
            self.texts[key] = edit
            findings_layout.addRow(title, edit)

        demands = QGroupBox(self.tr("Demands and complaints (each is referred to a team)"))
        demands_layout = QVBoxLayout(demands)
        self.demands = QTableWidget(0, 5)
        self.demands.setHorizontalHeaderLabels(
            [
                self.tr("Type"),
                self.tr("What the customer asks"),
                self.tr("Team"),
                self.tr("Owner"),
                self.tr("Due"),
            ]
        )
        due = self.demands.horizontalHeaderItem(4)
        assert due is not None  # the labels were just set
        due.setToolTip(self.tr("yyyy-MM-dd; empty: the default time limit"))
        header = self.demands.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 90)
        header.resizeSection(2, 130)  # the longest team name (业扩报装中心) fits
        header.resizeSection(3, 64)
        header.resizeSection(4, 88)
        self.demands.setMinimumHeight(110)
        self.demands.itemChanged.connect(_text_as_tooltip)
        add_demand = QPushButton(self.tr("Add demand"))
        add_demand.clicked.connect(self.new_demand)
        self.add_demand_button = add_demand
        remove_demand = QPushButton(self.tr("Remove demand"))
        remove_demand.clicked.connect(self.remove_demand)
        demand_buttons = QHBoxLayout()
        demand_buttons.addWidget(add_demand)
        demand_buttons.addWidget(remove_demand)
        demand_buttons.addStretch(1)
        demands_layout.addWidget(self.demands)
        demands_layout.addLayout(demand_buttons)
        self._type_labels = [(d.value, label(d, language)) for d in DemandType]
        self._team_labels = [(t.value, label(t, language)) for t in BackOfficeTeam]

        satisfaction = QGroupBox(self.tr("Satisfaction (1–5; 0 = not rated)"))
        satisfaction_layout = QFormLayout(satisfaction)
        self.scores: dict[str, QSpinBox] = {}
        for key, title in (
            ("score_reliability", self.tr("Supply reliability")),
            ("score_billing", self.tr("Billing and business handling")),
            ("score_service", self.tr("Service quality")),
        ):
            spin = QSpinBox()
            spin.setRange(0, 5)
            spin.setSpecialValueText(self.tr("not rated"))
            self.scores[key] = spin
            satisfaction_layout.addRow(title, spin)
        for key, title in (
            ("comments", self.tr("Comments")),
            ("complaints", self.tr("Complaints")),
        ):
            edit = QPlainTextEdit()
            edit.setFixedHeight(48)
            self.texts[key] = edit
            satisfaction_layout.addRow(title, edit)

        attachments = QGroupBox(self.tr("Photos and signature"))
        attachments_layout = QVBoxLayout(attachments)
        self.photo_list = QListWidget()
        self.photo_list.setFixedHeight(60)
        add_photo = QPushButton(self.tr("Attach photo or file…"))
        add_photo.clicked.connect(self.choose_photo)
        self.signature = SignaturePad()
        clear_signature = QPushButton(self.tr("Clear signature"))
        clear_signature.clicked.connect(self.signature.clear)
        self.signature.changed.connect(self._signature_changed)
        attachments_layout.addWidget(self.photo_list)
        attachments_layout.addWidget(add_photo)
        attachments_layout.addWidget(self.signature)
        attachments_layout.addWidget(clear_signature)

        # The business specialist's review (read only: written on the web console).
        self.review = QGroupBox(self.tr("Specialist's review"))
        self.review.setObjectName("visitReview")
        review_layout = QFormLayout(self.review)
        self.review_rating = QLabel()
        self.review_rating.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.review_comments = QLabel()
        self.review_comments.setWordWrap(True)
        self.review_comments.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.review_by = QLabel()
        review_layout.addRow(self.tr("Rating"), self.review_rating)
        review_layout.addRow(self.tr("Comments"), self.review_comments)
        review_layout.addRow(self.tr("Reviewed"), self.review_by)
        self.review.hide()

        content = QWidget()
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(basics)
        left.addWidget(findings)
        right.addWidget(self.review)
        right.addWidget(satisfaction)
        right.addWidget(attachments)
        right.addStretch(1)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        # The demands span the whole width under both columns: beside them, the customer's
        # words were cut to ~100 px on a 1366 px laptop. Each cell's tooltip has the full text.
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addLayout(columns)
        content_layout.addWidget(demands)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.autosave_note = QLabel()
        self.autosave_note.setStyleSheet("color: #666666;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        # An unfinished log is kept as a record but does not count as the visit that was due.
        self.save_unfinished_button = self.buttons.addButton(
            self.tr("Save unfinished"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_unfinished_button.clicked.connect(lambda: self.save(complete=False))
        bottom = QHBoxLayout()
        bottom.addWidget(self.autosave_note, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)

        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)  # Ctrl+S
        self.save_button.setToolTip("Ctrl+S")
        for edit in self.texts.values():  # Tab goes on to the next field, as in a form
            edit.setTabChangesFocus(True)
        self._set_tab_order(
            [
                self.customer,
                self.started,
                self.ended,
                self.place,
                self.ours,
                self.theirs,
                self.purpose,
                *[self.texts[key] for key in FINDINGS],
                *self.scores.values(),
                self.texts["comments"],
                self.texts["complaints"],
                self.photo_list,
                add_photo,
                self.signature,
                clear_signature,
                self.demands,
                add_demand,
                remove_demand,
                *self.buttons.buttons(),
            ]
        )

        self.load(form)
        # Where typing starts: the customer, or the place when the customer is known.
        (self.place if form.customer_id else self.customer).setFocus()
        # Unsaved work at opening: a draft restored after a crash (or kept on cancel) is.
        self._draft_at_open = self.service.has_draft(form.draft_key)
        self._opened_form = self.form().to_json()
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()

    # --- form <-> widgets -------------------------------------------------------------------

    def load(self, form: VisitForm) -> None:
        self.visit_id = form.visit_id
        self._show_review(form.visit_id)
        if form.customer_id:
            self.customer.set_customer(uuid.UUID(form.customer_id))
        started = form.started_at or datetime.now().isoformat(timespec="minutes")
        self.started.setDateTime(QDateTime.fromString(started[:16], "yyyy-MM-ddTHH:mm"))
        ended = form.ended_at or started
        self.ended.setDateTime(QDateTime.fromString(ended[:16], "yyyy-MM-ddTHH:mm"))
        self.place.setText(form.place)
        self.ours.setText("、".join(form.our_participants))
        self.theirs.setText("、".join(form.customer_attendees))
        self.purpose.setText(form.purpose)
        for key, edit in self.texts.items():
            edit.setPlainText(getattr(form, key) or "")
        for key, spin in self.scores.items():
            spin.setValue(getattr(form, key) or 0)
        self.demands.setRowCount(0)
        for demand in form.demands:
            self.add_demand(demand)
        self._attached = list(form.attached)
        self.photo_list.clear()
        self.photo_list.addItems(
            [self.tr("%1 (saved)").replace("%1", name) for name in self._attached]
        )
        self.photo_list.addItems([name for name, _data in self._photos])
        self._signature_sha, self._signature_dirty = "", False
        signature = self.service.file(form.signature_sha256)
        if signature:  # not shown (nor replaced on save) when the file is not here yet
            self.signature.load_png(signature)
            self._signature_sha = form.signature_sha256

    def _show_review(self, visit_id: str) -> None:
        """The specialist's rating and comments, when the visit has been reviewed."""
        review = review_of(self.ctx.store, uuid.UUID(visit_id)) if visit_id else None
        self.review.setVisible(review is not None)
        if review is None:
            return
        rating = review.rating_label(self.ctx.language)
        self.review_rating.setText(
            self.tr("%1 (new since the last sync)").replace("%1", rating) if review.new else rating
        )
        self.review_comments.setText(review.comments or "—")
        local = review.reviewed_at.replace(tzinfo=UTC).astimezone()
        self.review_by.setText(f"{review.reviewer or '—'} · {local:%Y-%m-%d %H:%M}")

    def _signature_changed(self) -> None:
        self._signature_dirty = True

    def _signature_ref(self) -> str:
        """The signature's SHA-256 (the folder names files by it). A newly drawn one is
        stored by the next operation that writes the form (``_storing``), not here."""
        if self._signature_dirty:
            png = self.signature.png_bytes()
            self._signature_sha = hashlib.sha256(png).hexdigest() if png else ""
            self._signature_png = png or None
            self._signature_dirty = False
        return self._signature_sha

    def _storing(
        self, op: Callable[[TaskState], T]
    ) -> tuple[Callable[[TaskState], T], Callable[[], None]]:
        """``op`` (a write of the form last taken by ``form()``), preceded on the worker by
        storing the signature it refers to: the file is on disk before a draft or visit
        points at it, and when storing fails nothing is written. Also returns what to call
        once the operation succeeded (the signature is then no longer pending)."""
        png, service = self._signature_png, self.service

        def work(state: TaskState) -> T:
            if png is not None:
                service.keep_file(SIGNATURE_FILE, png)
            return op(state)

        def stored() -> None:
            if png is not None and self._signature_png is png:
                self._signature_png = None

        return work, stored

    def add_demand(self, demand: DemandForm) -> None:
        row = self.demands.rowCount()
        self.demands.insertRow(row)
        kinds = QComboBox()
        for code, text in self._type_labels:
            kinds.addItem(text, code)
        kinds.setCurrentIndex(max(kinds.findData(demand.demand_type), 0))
        teams = QComboBox()
        teams.addItem(self.tr("(choose)"), "")
        for code, text in self._team_labels:
            teams.addItem(text, code)
        teams.setCurrentIndex(max(teams.findData(demand.team), 0))
        self.demands.setCellWidget(row, 0, kinds)
        description = QTableWidgetItem(demand.description)
        description.setToolTip(demand.description)
        self.demands.setItem(row, 1, description)
        self.demands.setCellWidget(row, 2, teams)
        self.demands.setItem(row, 3, QTableWidgetItem(demand.owner_name))
        self.demands.setItem(row, 4, QTableWidgetItem(demand.due_on))

    def _set_tab_order(self, widgets: list[QWidget]) -> None:
        """Tab follows the form as it reads: left column, right column, demands, buttons."""
        for first, second in itertools.pairwise(widgets):
            QWidget.setTabOrder(first, second)

    def new_demand(self) -> None:
        """Add an empty demand and start typing its text (the keyboard stays in the row)."""
        self.add_demand(DemandForm("", "", "other"))
        row = self.demands.rowCount() - 1
        self.demands.setFocus()
        self.demands.setCurrentCell(row, 1)
        text = self.demands.item(row, 1)
        if text is not None:  # add_demand filled the row
            self.demands.editItem(text)

    def remove_demand(self) -> None:
        row = self.demands.currentRow()
        if row >= 0:
            self.demands.removeRow(row)

    def choose_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Attach photo or file"),
            "",
            self.tr("Photos and documents (*.jpg *.jpeg *.png *.pdf)"),
        )
        if path:
            self.attach_file(Path(path))

    def attach_file(self, path: Path) -> bool:
        """Read, check (type by content, size) and store the file: an operation on the
        database worker. The photo is listed once it is stored; a bad one is refused with a
        message and nothing is kept. ``True``: started (under tests: stored)."""
        from keyacct_desktop.security.files import attachment_limit, validate_attachment

        service, limit = self.service, attachment_limit(self.ctx.settings)

        def keep(_state: TaskState) -> str:
            try:
                data = path.read_bytes()
            except OSError as error:
                raise UserError(
                    f"无法读取文件:{error}", f"cannot read the file: {error}"
                ) from error
            validate_attachment(path.name, data, limit)
            return service.keep_file(path.name, data)  # stored now, once; the draft refers

        def kept(sha: str) -> None:
            self._photos.append((path.name, sha))
            self.photo_list.addItem(path.name)
            self._file_done()

        self._files_pending += 1
        return run_write(
            self,
            self.ctx.store,
            keep,
            kept,
            language=self.ctx.language,
            after_error=lambda _error: self._file_done(),
        )

    def _file_done(self) -> None:
        """A photo was stored (or refused); a save or close waiting for it goes on."""
        self._files_pending -= 1
        if self._files_pending == 0:
            waiting, self._after_files = self._after_files, {}
            for then in waiting.values():
                then()

    def _wait_for_files(self, key: str, then: Callable[[], object]) -> bool:
        """Whether photos are still being stored; ``then`` runs once they are (the last
        one asked under ``key``): a save or close includes what is being attached."""
        if not self._files_pending:
            return False
        self._after_files[key] = then
        return True

    def form(self) -> VisitForm:
        demands = []
        for row in range(self.demands.rowCount()):
            kinds = self.demands.cellWidget(row, 0)
            teams = self.demands.cellWidget(row, 2)
            text = self.demands.item(row, 1)
            owner = self.demands.item(row, 3)
            due = self.demands.item(row, 4)
            demand_type = kinds.currentData() if isinstance(kinds, QComboBox) else "other"
            demands.append(
                DemandForm(
                    description=text.text() if text else "",
                    team=teams.currentData() if isinstance(teams, QComboBox) else "",
                    demand_type=demand_type,
                    kind="complaint" if demand_type == "complaint" else "demand",
                    owner_name=owner.text() if owner else "",
                    due_on=due.text().strip() if due else "",
                )
            )
        fields: dict[str, Any] = {key: edit.toPlainText() for key, edit in self.texts.items()}
        fields.update({key: (spin.value() or None) for key, spin in self.scores.items()})
        return VisitForm(
            customer_id=str(self.customer.customer_id) if self.customer.customer_id else "",
            visit_id=self.visit_id,
            started_at=self.started.dateTime().toString("yyyy-MM-ddTHH:mm"),
            ended_at=self.ended.dateTime().toString("yyyy-MM-ddTHH:mm"),
            place=self.place.text(),
            our_participants=_names(self.ours.text()),
            customer_attendees=_names(self.theirs.text()),
            purpose=self.purpose.text(),
            **fields,
            demands=demands,
            signature_sha256=self._signature_ref(),
            photos=list(self._photos),
            attached=list(self._attached),
        )

    # --- autosave and save ------------------------------------------------------------------

    def autosave(self) -> None:
        """Keep the form as a draft (an operation on the database worker) when it changed."""
        form = self.form()
        data = form.to_json()
        if data == self._last_saved_form or not form.customer_id:
            return
        self._last_saved_form = data
        write, stored = self._storing(lambda _state: self.service.autosave(form))

        def done(_result: OpResult[None]) -> None:
            stored()
            self.autosave_note.setText(
                self.tr("Draft saved automatically at %1").replace(
                    "%1", datetime.now().strftime("%H:%M:%S")
                )
            )

        def failed(error: BaseException) -> None:  # said below the form, tried again next time
            self._last_saved_form = None
            self.autosave_note.setText(error_text(error, self.ctx.language))

        run_op(
            self,
            self.ctx.store,
            write,
            done,
            on_error=failed,
            language=self.ctx.language,
        )

    def _close_draft(self, op: Callable[[TaskState], None]) -> None:
        """Keep or drop the draft as the editor closes: an operation that outlives it (its
        failure is shown over the window below)."""
        parent = self.parentWidget() or self
        run_op(parent, self.ctx.store, op, language=self.ctx.language)

    def save(self, complete: bool = True) -> bool:
        """Save (a completed visit by default); a visit once completed stays completed."""
        if self._wait_for_files("close", lambda: self.save(complete)):
            return True
        self._clear_marks()
        form = self.form()
        write, stored = self._storing(lambda _state: self.service.save(form, complete=complete))
        autosaving = self.timer.isActive()
        self.timer.stop()  # no draft written beside the save running on the worker

        def failed(error: BaseException) -> None:
            if autosaving:
                self.timer.start()
            if not isinstance(error, UserError):
                show_error(self, error, self.ctx.language)
                return
            self._mark(error)
            self.error.setText(error.message(self.ctx.language))

        def saved(result: OpResult[uuid.UUID]) -> None:
            stored()
            self._saved(result)

        operation = run_op(
            self,
            self.ctx.store,
            write,
            saved,
            on_error=failed,
            language=self.ctx.language,
        )
        return operation.running or self.saved_id is not None

    def _saved(self, result: OpResult[uuid.UUID]) -> None:
        self.saved_id = result.value
        self.accept()

    def has_changes(self) -> bool:
        """Unsaved work: typed since opening, or a draft that was restored."""
        return self._draft_at_open or self.form().to_json() != self._opened_form

    def reject(self) -> None:
        """Esc, Cancel and closing ask first when there is unsaved work.

        Keep as draft: the draft stays (offered from the page's "Unsaved drafts…", not at the
        next start as if the app had crashed). Discard: the draft and its new photos go.
        Nothing typed: the editor closes and leaves no draft behind.
        """
        if self.saved_id is not None:
            super().reject()
            return
        if self._wait_for_files("close", self.reject):
            return
        form = self.form()
        if not self.has_changes():
            self.timer.stop()
            # An autosave of the untouched form (perhaps still queued on the worker) goes.
            if self._last_saved_form is not None or self.service.has_draft(form.draft_key):
                self._close_draft(lambda _state: self.service.discard_draft(form.draft_key))
            super().reject()
            return
        answer = unsaved.ask(self, self.tr("This visit log"), drafts=bool(form.customer_id))
        if answer is unsaved.Answer.SAVE:
            self.save()  # closes when the log is valid, else marks the faulty field
            return
        if answer is unsaved.Answer.EDIT:
            return
        self.timer.stop()
        service = self.service
        if answer is unsaved.Answer.KEEP_DRAFT:
            self._close_draft(self._storing(lambda _s: service.autosave(form, cancelled=True))[0])
        else:  # discard: the draft and the photos only it referred to

            def discard(_state: TaskState) -> None:
                if form.customer_id:
                    service.autosave(form)
                service.discard_draft(form.draft_key)

            self._close_draft(discard)
        super().reject()

    def _widgets_by_field(self) -> dict[str, QWidget]:
        widgets: dict[str, QWidget] = {
            "customer": self.customer,
            "started_at": self.started,
            "ended_at": self.ended,
            "purpose": self.purpose,
            "our_participants": self.ours,
        }
        widgets.update(self.texts)
        widgets.update(self.scores)
        return widgets

    def _mark(self, error: UserError) -> None:
        """A red frame on the faulty field only; for a demand, on its faulty cell only."""
        field = error.field or ""
        if field.startswith("demands."):
            _demands, number, name = [*field.split(".", 2), "", ""][:3]
            if number.isdigit() and 0 < int(number) <= self.demands.rowCount():
                self._mark_cell(int(number) - 1, _DEMAND_COLUMNS.get(name, 1))
            return
        widget = self._widgets_by_field().get(field)
        if widget is not None:
            widget.setStyleSheet(_error_style(widget))
            widget.setFocus()

    def _mark_cell(self, row: int, column: int) -> None:
        cell = self.demands.cellWidget(row, column)
        if cell is not None:  # a combo box: framed like a field
            cell.setStyleSheet(_error_style(cell))
        else:
            item = self.demands.item(row, column)
            if item is None:
                item = QTableWidgetItem("")
                self.demands.setItem(row, column, item)
            item.setBackground(_ERROR_CELL)
        self.demands.setCurrentCell(row, column)
        self.demands.scrollTo(self.demands.model().index(row, column))
        self.demands.setFocus()

    def _clear_marks(self) -> None:
        for widget in self._widgets_by_field().values():
            widget.setStyleSheet("")
        for row in range(self.demands.rowCount()):
            for column in range(self.demands.columnCount()):
                cell = self.demands.cellWidget(row, column)
                if cell is not None:
                    cell.setStyleSheet("")
                item = self.demands.item(row, column)
                if item is not None:
                    item.setData(Qt.ItemDataRole.BackgroundRole, None)
        self.error.clear()
