"""走访 page: the visit plan (due/overdue, day plan per park), visit logs, satisfaction trend."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.operations import LatestReads
from keyacct_desktop.gui.pages.page import PageBase
from keyacct_desktop.gui.tasks import Task, run_task
from keyacct_desktop.gui.visits.editor import VisitEditor
from keyacct_desktop.gui.widgets.charts import Chart, Series
from keyacct_desktop.gui.widgets.combo import select_data
from keyacct_desktop.gui.widgets.customer_picker import CustomerPicker
from keyacct_desktop.gui.widgets.keys import enter_opens
from keyacct_desktop.gui.widgets.rows_model import ObjectRole, RowsModel, fit_columns
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services import choices
from keyacct_desktop.services.customers import CustomerDirectory
from keyacct_desktop.services.reviews import new_review_count, reviews_of
from keyacct_desktop.services.visit_schedule import by_manager, day_plan, visit_plan
from keyacct_desktop.services.visits import (
    VisitForm,
    VisitLogService,
    completed_visits,
    count_visits,
    visit_page,
)

_OVERDUE = QColor("#f8d7da")
_DRAFT = QColor("#fff3cd")
#: A visit whose specialist review arrived with the last sync.
_NEW_REVIEW = QColor("#d6eaf8")


_TREND_COLOURS = ("#1f5fa8", "#2e9d5b", "#e08a1e")

T = TypeVar("T")
#: the managers, parks and grids the filters offer
_Filters = tuple[list[choices.Choice], list[choices.Choice], list[choices.Choice]]


@dataclass(frozen=True)
class _LogPage:
    """One page of visit logs as read on the worker."""

    total: int
    number: int
    last_page: int
    rows: list[Any]
    reviews: dict[uuid.UUID, Any]
    fresh_reviews: int


def _trend(
    months: dict[date, list[list[int]]], names: tuple[str, ...]
) -> tuple[list[str], list[Series]]:
    """Every month from the first to the last with a visit (a month without one is a gap),
    and the three average scores per month."""
    if not months:
        return [], [
            Series(name, (), colour) for name, colour in zip(names, _TREND_COLOURS, strict=True)
        ]
    first, last = min(months), max(months)
    span = []
    month = first
    while month <= last:
        span.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    series = [
        Series(
            name,
            tuple(
                sum(months[m][index]) / len(months[m][index])
                if m in months and months[m][index]
                else None
                for m in span
            ),
            colour,
        )
        for index, (name, colour) in enumerate(zip(names, _TREND_COLOURS, strict=True))
    ]
    return [f"{m:%Y-%m}" for m in span], series


def _table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setTabKeyNavigation(False)  # Tab leaves the list (arrows move in it)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    return view


class VisitsPage(PageBase, QWidget):
    """Visit plan, visit logs (new / open / print) and the satisfaction trend."""

    WATCHES = frozenset(
        {
            "visit",
            "planned_visit",
            "visit_amendment",
            "attachment",
            "customer",
            "user",
            "park",
            "grid",
        }
    )

    LIMIT = 500

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editor: VisitEditor | None = None
        self.reads = LatestReads(self, lambda: ctx.language)  # plan, logs, trend, filters
        self.tabs = QTabWidget()
        self.tabs.addTab(self._plan_tab(), self.tr("Visit plan"))
        self.tabs.addTab(self._log_tab(), self.tr("Visit logs"))
        self.tabs.addTab(self._trend_tab(), self.tr("Satisfaction"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    @property
    def service(self) -> VisitLogService:
        return VisitLogService(self.ctx.store, self.ctx.settings, self.ctx.attachment_files)

    # --- tabs -------------------------------------------------------------------------------

    def _plan_tab(self) -> QWidget:
        tab = QWidget()
        self.manager_filter = QComboBox()
        self.park_filter = QComboBox()
        for combo in (self.manager_filter, self.park_filter):  # a long park name: elided
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        self.manager_filter.currentIndexChanged.connect(self.refresh_plan)
        self.park_filter.currentIndexChanged.connect(self.refresh_plan)
        self.plan_summary = QLabel()
        self.plan_summary.setWordWrap(True)  # one line per manager would widen the window
        self.plan_model = RowsModel(
            [
                self.tr("Customer"),
                self.tr("Park"),
                self.tr("Manager"),
                self.tr("Class"),
                self.tr("Every (days)"),
                self.tr("Last visit"),
                self.tr("Due"),
                self.tr("Days overdue"),
            ],
            self,
        )
        self.plan_view = _table(self.plan_model)
        self.plan_view.doubleClicked.connect(lambda _index: self.visit_selected_customer())
        enter_opens(self.plan_view)
        fit_columns(self.plan_view, {1: 170, 2: 80, 3: 50, 4: 70, 5: 90, 6: 90, 7: 70}, 0)
        write = QPushButton(self.tr("Log a visit to this customer"))
        write.clicked.connect(self.visit_selected_customer)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Manager")))
        filters.addWidget(self.manager_filter)
        filters.addWidget(QLabel(self.tr("Day plan for park")))
        filters.addWidget(self.park_filter)
        filters.addStretch(1)
        filters.addWidget(write)
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addWidget(self.plan_summary)
        layout.addWidget(self.plan_view, 1)
        return tab

    def _log_tab(self) -> QWidget:
        tab = QWidget()
        self.model = RowsModel(
            [
                self.tr("Date"),
                self.tr("Customer"),
                self.tr("Purpose"),
                self.tr("Reliability"),
                self.tr("Billing"),
                self.tr("Service"),
                self.tr("Status"),
                self.tr("Review"),
            ],
            self,
        )
        self.table = _table(self.model)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        enter_opens(self.table)
        fit_columns(self.table, {0: 130, 1: 200, 3: 70, 4: 70, 5: 70, 6: 70, 7: 110}, 2)
        new = QPushButton(self.tr("New visit log"))
        new.clicked.connect(lambda: self.new_visit())
        open_button = QPushButton(self.tr("Open"))
        open_button.clicked.connect(self.open_selected)
        self.print_button = QPushButton(self.tr("Print visit report…"))
        self.print_button.clicked.connect(self.preview)
        self.drafts_button = QPushButton(self.tr("Unsaved drafts…"))
        self.drafts_button.clicked.connect(self.offer_drafts)
        buttons = QHBoxLayout()
        for button in (new, open_button, self.print_button, self.drafts_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        # The whole history, a page at a time, searchable by customer, purpose or place.
        self.log_search = QLineEdit()
        self.log_search.setObjectName("visitSearch")
        self.log_search.setPlaceholderText(self.tr("Search customer, purpose or place"))
        self.log_search.setClearButtonEnabled(True)
        self._log_page = 0
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(lambda: self.refresh_logs(page=0))
        self.log_search.textChanged.connect(self._search_timer.start)
        self.log_search.returnPressed.connect(lambda: self.refresh_logs(page=0))
        self.log_count = QLabel()
        #: How many specialist reviews arrived with the last sync (hidden when none).
        self.new_reviews = QLabel()
        self.new_reviews.setObjectName("newReviews")
        self.new_reviews.setWordWrap(True)
        self.new_reviews.hide()
        self.previous_logs = QPushButton(self.tr("Newer"))
        self.previous_logs.clicked.connect(lambda: self.refresh_logs(page=self._log_page - 1))
        self.next_logs = QPushButton(self.tr("Older"))
        self.next_logs.clicked.connect(lambda: self.refresh_logs(page=self._log_page + 1))
        search_row = QHBoxLayout()
        search_row.addWidget(self.log_search, 1)
        search_row.addWidget(self.log_count)
        search_row.addWidget(self.previous_logs)
        search_row.addWidget(self.next_logs)
        layout = QVBoxLayout(tab)
        layout.addLayout(buttons)
        layout.addLayout(search_row)
        layout.addWidget(self.new_reviews)
        layout.addWidget(self.table, 1)
        return tab

    def _trend_tab(self) -> QWidget:
        tab = QWidget()
        self.trend_scope = QComboBox()
        self.trend_scope.currentIndexChanged.connect(self.refresh_trend)
        self.trend_chart = Chart(self.tr("Average satisfaction per month (1–5)"), "line")
        self.trend_names = (
            self.tr("Supply reliability"),
            self.tr("Billing and business handling"),
            self.tr("Service quality"),
        )
        self.complaints_label = QLabel()
        self.trend_customer = CustomerPicker(CustomerDirectory(self.ctx.store), self)
        self.trend_customer.picked.connect(lambda _id: self.refresh_trend())
        self.complaint_model = RowsModel(
            [self.tr("Date"), self.tr("Customer"), self.tr("Complaint")], self
        )
        self.complaint_view = _table(self.complaint_model)
        self.complaint_view.setMaximumHeight(160)
        fit_columns(self.complaint_view, {0: 130, 1: 200}, 2)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Customers of")))
        row.addWidget(self.trend_scope)
        row.addWidget(QLabel(self.tr("or one customer")))
        row.addWidget(self.trend_customer, 1)
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.trend_chart, 1)
        layout.addWidget(self.complaints_label)
        layout.addWidget(self.complaint_view)
        return tab

    # --- refresh ----------------------------------------------------------------------------

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self._fill_filters()
        self.refresh_plan()
        self.refresh_logs()
        self.refresh_trend()

    def _fill_filters(self) -> None:
        """The managers, parks and grids to filter by, read on the database worker; the
        one chosen in each list stays chosen."""
        store = self.ctx.store

        def read(_state: TaskState) -> _Filters:
            return choices.managers(store), choices.parks(store), choices.grids(store)

        self.reads.ask("filters", read, lambda lists: self._show_filters(*lists))

    def _show_filters(
        self,
        managers: list[choices.Choice],
        parks: list[choices.Choice],
        grids: list[choices.Choice],
    ) -> None:
        for combo, everyone, items in (
            (self.manager_filter, self.tr("All managers"), managers),
            (self.park_filter, self.tr("All parks"), parks),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for item_id, name in items:
                combo.addItem(name, item_id)
            select_data(combo, current)
            combo.blockSignals(False)
        current = self.trend_scope.currentData()
        self.trend_scope.blockSignals(True)
        self.trend_scope.clear()
        self.trend_scope.addItem(self.tr("all grids"), None)
        for grid_id, name in grids:
            self.trend_scope.addItem(name, grid_id)
        select_data(self.trend_scope, current)
        self.trend_scope.blockSignals(False)

    def refresh_plan(self) -> None:
        """The visit plan for the filters (read on the worker: every customer's last visit)."""
        today = date.today()
        store, settings = self.ctx.store, self.ctx.settings
        park_id = self.park_filter.currentData()
        manager_id = self.manager_filter.currentData()
        manager = self.manager_filter.currentText()

        def read(_state: TaskState) -> list[Any]:
            if park_id is None:
                return visit_plan(store, settings, today, manager_id=manager_id)
            plan = day_plan(store, settings, park_id, today)
            return [p for p in plan if manager_id is None or p.manager == manager]

        self.reads.ask("plan", read, lambda plan: self._show_plan(plan, today))

    def _show_plan(self, plan: list[Any], today: date) -> None:
        summary = by_manager(plan, today)
        self.plan_summary.setText(
            "  ".join(
                self.tr("%1: %2 overdue, %3 due soon")
                .replace("%1", name)
                .replace("%2", str(o))
                .replace("%3", str(s))
                for name, (o, s) in summary.items()
            )
            or self.tr("Nobody is due for a visit.")
        )
        self.plan_model.set_rows(
            [
                (
                    p.name,
                    p.park or "",
                    p.manager or "",
                    p.pyramid_class or "",
                    p.frequency_days,
                    p.last_visit.isoformat() if p.last_visit else self.tr("never"),
                    p.due_on.isoformat(),
                    max(p.days_overdue(today), 0) or "",
                )
                for p in plan
            ],
            plan,
            [_OVERDUE if p.overdue(today) else None for p in plan],
        )

    def refresh_logs(self, page: int | None = None) -> None:
        """One page (``LIMIT`` visits, newest first) of the visits matching the search (read
        on the worker)."""
        self._search_timer.stop()
        words = self.log_search.text().split()
        store, limit = self.ctx.store, self.LIMIT
        wanted = self._log_page if page is None else page

        def read(_state: TaskState) -> _LogPage:
            total = count_visits(store, words)
            last_page = max((total - 1) // limit, 0)
            number = min(max(wanted, 0), last_page)
            rows = visit_page(store, words, number * limit, limit)
            reviews = reviews_of(store, [r[7] for r in rows])
            return _LogPage(total, number, last_page, rows, reviews, new_review_count(store))

        self.reads.ask("logs", read, self._show_logs)

    def _show_logs(self, logs: _LogPage) -> None:
        total, rows, reviews = logs.total, logs.rows, logs.reviews
        self._log_page = logs.number
        first = self._log_page * self.LIMIT
        self.log_count.setText(
            self.tr("%1–%2 of %3")
            .replace("%1", str(first + 1 if total else 0))
            .replace("%2", str(min(first + self.LIMIT, total)))
            .replace("%3", str(total))
        )
        self.previous_logs.setEnabled(self._log_page > 0)
        self.next_logs.setEnabled(self._log_page < logs.last_page)
        language = self.ctx.language

        def reviewed(visit_id: uuid.UUID) -> str:
            review = reviews.get(visit_id)
            if review is None:
                return ""
            text = review.rating_label(language)
            return self.tr("%1 (new)").replace("%1", text) if review.new else text

        self.model.set_rows(
            [
                (
                    r[0].strftime("%Y-%m-%d %H:%M"),
                    r[1],
                    r[2] or "",
                    r[3] or "",
                    r[4] or "",
                    r[5] or "",
                    self.tr("completed") if r[6] == "completed" else self.tr("draft"),
                    reviewed(r[7]),
                )
                for r in rows
            ],
            [r[7] for r in rows],
            [
                _NEW_REVIEW
                if (review := reviews.get(r[7])) is not None and review.new
                else (None if r[6] == "completed" else _DRAFT)
                for r in rows
            ],
        )
        fresh = logs.fresh_reviews
        self.new_reviews.setText(
            self.tr(
                "%1 visit report(s) were reviewed by the business specialist since the last "
                "sync (highlighted): open one to read the rating and comments."
            ).replace("%1", str(fresh))
        )
        self.new_reviews.setVisible(fresh > 0)

    def refresh_trend(self) -> None:
        """Monthly satisfaction and the complaints, for the scope (read and grouped on the
        worker)."""
        store = self.ctx.store
        grid_id = self.trend_scope.currentData()
        customer_id = self.trend_customer.customer_id

        def read(_state: TaskState) -> tuple[dict[date, list[list[int]]], list[Any], int]:
            rows = completed_visits(store, customer_id, grid_id)
            months: dict[date, list[list[int]]] = defaultdict(lambda: [[], [], []])
            complaints = []
            for started, *scores, complaint, name in rows:
                month = date(started.year, started.month, 1)
                for index, score in enumerate(scores):
                    if score:
                        months[month][index].append(score)
                if complaint:
                    complaints.append((started.strftime("%Y-%m-%d %H:%M"), name, complaint))
            return months, complaints, len(rows)

        self.reads.ask("trend", read, lambda trend: self._show_trend(*trend))

    def _show_trend(
        self, months: dict[date, list[list[int]]], complaints: list[Any], visits: int
    ) -> None:
        self.complaint_model.set_rows(complaints)
        self.trend_chart.set_data(*_trend(months, self.trend_names), y_range=(1.0, 5.0, 1.0))
        self.complaints_label.setText(
            self.tr("%1 visit(s), %2 with a complaint")
            .replace("%1", str(visits))
            .replace("%2", str(len(complaints)))
        )

    # --- actions ----------------------------------------------------------------------------

    def offer_drafts(self) -> None:
        """Unsaved visit logs (left by a crash or kill): the window's restore/discard dialog.

        The main window offers them by itself once it is up; this is the page's way back to
        drafts put off with "Later".
        """

        def none_left() -> None:
            QMessageBox.information(
                self, self.tr("Unsaved visit logs"), self.tr("There are no unsaved visit logs.")
            )

        offer = getattr(self.window(), "offer_drafts", None)
        if callable(offer):
            offer(everything=True, when_none=none_left)
        else:
            none_left()

    def new_visit(self, customer_id: uuid.UUID | None = None) -> VisitEditor:
        form = VisitForm(
            customer_id=str(customer_id) if customer_id else "",
            started_at=datetime.now().isoformat(timespec="minutes"),
        )
        return self.open_editor(form)

    def visit_selected_customer(self) -> None:
        rows = self.plan_view.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(
                self, self.tr("Visit plan"), self.tr("Select a customer first.")
            )
            return
        self.new_visit(self.plan_model.object_at(rows[0].row()).customer_id)

    def _selected_visit(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, self.tr("Visit logs"), self.tr("Select a visit first."))
            return None
        return self.model.index(rows[0].row(), 0).data(ObjectRole)

    def open_selected(self) -> None:
        visit_id = self._selected_visit()
        if visit_id is not None:
            self.open_editor(self.service.form(visit_id))

    def open_editor(self, form: VisitForm) -> VisitEditor:
        self.editor = VisitEditor(self.ctx, form, self)
        self.editor.open()
        return self.editor

    def preview(self) -> Task | None:
        """Render the selected visit's report on a worker, then show it (print from there).

        Reading the visit, its photos and signature and laying out the PDF takes a moment on
        a field laptop: the window stays responsive (progress with Cancel if it takes long).
        """
        from keyacct_desktop.printing.base import Letterhead
        from keyacct_desktop.printing.visits import render_visit_report
        from keyacct_desktop.services.visits import load_report

        visit_id = self._selected_visit()
        if visit_id is None:
            return None
        service, letterhead = self.service, Letterhead.from_settings(self.ctx.settings)
        title = self.tr("Preparing the visit report…")

        def render(state: TaskState) -> tuple[bytes, set[str]]:  # on the worker: plain data
            from keyacct_desktop.printing.fonts import collect_missing

            state.report(0, 1, title)
            report = load_report(service, visit_id)
            state.check()
            with collect_missing() as missing:  # names with a 生僻字 the font lacks
                return render_visit_report(report, letterhead), missing

        self._print_task = run_task(
            render,
            title=title,
            parent=self,
            on_done=self._show_report,
            on_error=lambda error: show_error(self, error, self.ctx.language),
        )
        return self._print_task

    def _show_report(self, done: tuple[bytes, set[str]]) -> None:
        from keyacct_desktop.gui.print_preview import PrintPreviewDialog

        pdf, missing = done
        self.last_preview = PrintPreviewDialog(pdf, self.tr("Visit report"), self, missing=missing)
        self.last_preview.exec()


__all__ = ["VisitsPage"]
