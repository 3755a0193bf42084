"""首页: the manager's day at a glance; every figure opens the records it counts.

The figures are computed on a worker (``gui.tasks``), so the window paints at once and
stays responsive on a large store; the page shows "Loading figures…" meanwhile. Asking for
a refresh while one runs does not start a second: one more runs after it, with fresh data.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.enums import BackOfficeTeam, DemandType, ReferralState, label
from keyacct_desktop.gui.economics.home_box import EconomicsBox
from keyacct_desktop.gui.pages.dashboard import (
    ConsumptionChart,
    DrillDownDialog,
    SatisfactionChart,
    Tile,
    format_date,
    format_number,
)
from keyacct_desktop.gui.pages.page import PageBase
from keyacct_desktop.gui.tasks import Task, run_task
from keyacct_desktop.gui.text import arg
from keyacct_desktop.gui.units import FACTORS, unit, unit_label
from keyacct_desktop.gui.widgets.dates import q_datetime
from keyacct_desktop.services.overview import (
    RISK_REASON_LABELS,
    Dashboard,
    NoticeToDeliver,
    dashboard,
    manager_for,
    tile_records,
)

CLASSES = ("A", "B", "C", "D")
log = logging.getLogger(__name__)


def _enum_label(enum: Any, value: str, language: str) -> str:
    try:
        return label(enum(value), language)
    except ValueError:
        return value


class HomePage(PageBase, QWidget):
    """Tiles and charts, recomputed (on a worker) each time the page is shown.

    Attributes:
        data: the dashboard last computed (``None`` until the first one is in).
        tiles: the figure tiles by key.
        dialog: the drill-down list open now, if any.

    Signals:
        loaded(object): a freshly computed ``Dashboard`` is on screen.
    """

    WATCHES = None  # every table: it sums up everything

    loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: Dashboard | None = None
        self._task: Task | None = None
        self._again = False
        self._manager: tuple[Any, str] | None = None
        #: The day the figures are computed for (``None``: today); tests pin it.
        self.today: date | None = None
        self.dialog: DrillDownDialog | None = None
        captions = {
            "customers": self.tr("My customers"),
            "A": self.tr("Class A"),
            "B": self.tr("Class B"),
            "C": self.tr("Class C"),
            "D": self.tr("Class D"),
            "risk": self.tr("Risk customers"),
            "visits_overdue": self.tr("Visits overdue"),
            "visits_due": self.tr("Visits due within 14 days"),
            "referrals": self.tr("Open referrals"),
            "referrals_overdue": self.tr("Overdue referrals"),
            "limits": self.tr("Checklist time limits expiring"),
            "notices": self.tr("Outage notices to deliver"),
        }
        self.tiles = {key: Tile(key, caption) for key, caption in captions.items()}
        grid = QGridLayout()
        grid.setSpacing(10)
        for position, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, position // 6, position % 6)
            tile.clicked.connect(lambda _checked=False, key=tile.key: self.open_tile(key))
        self.title = QLabel(self.tr("Overview"))
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet("color: #5b6573;")
        self.status = QLabel()
        self.status.setObjectName("dashboardStatus")
        self.status.setStyleSheet("color: #5b6573;")
        self.calendar_warning = QLabel()  # next year's holiday data missing (from November)
        self.calendar_warning.setObjectName("calendarWarning")
        self.calendar_warning.setWordWrap(True)
        self.calendar_warning.setStyleSheet("color: #a94400; font-weight: bold;")
        self.calendar_warning.hide()
        self.consumption_chart = ConsumptionChart(self.tr("Annual consumption by class"))
        self.satisfaction_chart = SatisfactionChart(self.tr("Customer satisfaction by month"))
        self.economics = EconomicsBox(ctx)  # sharp consumption changes, arrears, follow-ups
        charts = QHBoxLayout()
        charts.addWidget(self.consumption_chart, 1)
        charts.addWidget(self.satisfaction_chart, 1)
        charts.addWidget(self.economics, 1)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.status)
        heading.addStretch(1)
        heading.addWidget(self.subtitle)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.calendar_warning)
        layout.addLayout(grid)
        layout.addLayout(charts, 1)
        # No refresh here: the window shows this page first and activated() fills it (once).

    @property
    def language(self) -> str:
        return self.ctx.language

    @property
    def loading(self) -> bool:
        """Whether figures are being computed (or one more computation is queued)."""
        return self._task is not None and not self._task.done

    def refresh(self) -> None:
        """Recompute the figures on a worker; the tiles keep their values until it is done.

        While a computation runs, another request only marks the figures stale: one more
        computation follows, never two at once.
        """
        if self.loading:
            self._again = True
            return
        self._again = False
        # One indexed query, so the heading is right at once (the figures follow).
        self._manager = manager_for(self.ctx.store, str(self.ctx.settings.get("sync.username")))
        self._show_heading(self._manager[1] if self._manager else None)
        self.status.setText(self.tr("Loading figures…"))
        self.economics.today = self.today
        self.economics.refresh()
        compute = self._computation()
        self._task = run_task(
            lambda _state: compute(),
            title=self.tr("Loading figures…"),
            parent=self,
            on_done=self._loaded,
            on_error=self._failed,
            dialog=False,
        )

    def _computation(self) -> Any:
        """The dashboard query as a closure over plain values (it runs on a worker thread)."""
        store, settings, today, me = self.ctx.store, self.ctx.settings, self.today, self._manager
        return lambda: dashboard(
            store,
            settings,
            today=today,
            manager_id=me[0] if me else None,
            manager_name=me[1] if me else None,
        )

    def _finish_task(self) -> None:
        if self._task is not None:
            self._task.deleteLater()
            self._task = None

    def _loaded(self, data: Dashboard) -> None:
        self._finish_task()
        self.status.clear()
        self.show_data(data)
        if self._again:
            self.refresh()
        else:
            self.loaded.emit(data)

    def _failed(self, error: BaseException) -> None:
        self._finish_task()
        log.error("dashboard failed", exc_info=error)
        self.status.setText(self.tr("The figures could not be computed."))
        if self._again:
            self.refresh()

    def ensure_data(self) -> Dashboard:
        """The figures, computed here and now if the worker has not delivered them yet."""
        if self.data is None:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.show_data(self._computation()())
            finally:
                QApplication.restoreOverrideCursor()
        assert self.data is not None
        return self.data

    def _show_heading(self, manager: str | None) -> None:
        today = QLocale().toString(QDate.currentDate(), QLocale.FormatType.LongFormat)
        whose = arg(self.tr("Customers of %1"), manager) if manager else ""
        whose = whose or self.tr("All customers in this store")
        self.subtitle.setText(f"{whose} · {today}")

    def show_data(self, data: Dashboard) -> None:
        """Put computed figures on the tiles and charts."""
        self.data = data
        self._show_heading(data.manager)
        year = data.calendar_missing_year
        self.calendar_warning.setVisible(year is not None)
        if year is not None:
            self.calendar_warning.setText(
                arg(
                    self.tr(
                        "The official holiday calendar for %1 is missing: deadlines that reach "
                        "into %1 are counted on an estimate and marked so. Ask the administrator "
                        "to enter the State Council's notice."
                    ),
                    str(year),
                )
            )
        teams = data.referrals_by_team
        team_text = " · ".join(
            f"{_enum_label(BackOfficeTeam, team, self.language)} {format_number(count)}"
            for team, count in list(teams.items())[:3]
        )
        overdue_teams: dict[str, int] = {}
        for referral in data.referrals_overdue:
            overdue_teams[referral.team] = overdue_teams.get(referral.team, 0) + 1
        overdue_text = " · ".join(
            f"{_enum_label(BackOfficeTeam, team, self.language)} {format_number(count)}"
            for team, count in sorted(overdue_teams.items(), key=lambda item: -item[1])[:3]
        )
        self.tiles["customers"].set_value(data.customers)
        for klass in CLASSES:
            share = data.consumption_by_class.get(klass, 0.0)
            total = sum(data.consumption_by_class.values()) or 1.0
            self.tiles[klass].set_value(
                data.by_class.get(klass, 0),
                detail=arg(self.tr("%1% of consumption"), format_number(100 * share / total, 1)),
            )
        risks, overdue = data.count("risk"), data.count("visits_overdue")
        self.tiles["risk"].set_value(risks, alert=bool(risks))
        self.tiles["visits_overdue"].set_value(overdue, alert=bool(overdue))
        self.tiles["visits_due"].set_value(data.count("visits_due"))
        self.tiles["referrals"].set_value(len(data.referrals), detail=team_text)
        self.tiles["referrals_overdue"].set_value(
            len(data.referrals_overdue), alert=bool(data.referrals_overdue), detail=overdue_text
        )
        self.tiles["limits"].set_value(
            len(data.limits),
            alert=bool(data.limits_overdue),
            detail=arg(self.tr("%1 overdue"), format_number(len(data.limits_overdue)))
            if data.limits_overdue
            else "",
        )
        self.tiles["notices"].set_value(len(data.notices), alert=bool(data.notices))
        self.consumption_chart.set_values(
            {k: v for k, v in data.consumption_by_class.items() if k != "-"},
            arg(self.tr("%1 per year"), unit_label(self.ctx.settings)),
            self.tr(
                "No customers with a consumption yet. Add or import customers on the Customers "
                "page, or sign in on the Sync page to receive yours from the server."
            )
            if not data.customers
            else self.tr(
                "No annual consumption is recorded for these customers yet: enter it in their "
                "profiles or import it, then the classes are computed."
            ),
            FACTORS[unit(self.ctx.settings)],
        )
        self.satisfaction_chart.set_points(
            data.satisfaction,
            self.tr("Average score (1–5)"),
            self.tr(
                "No rated visits yet. Log a visit (Ctrl+Shift+N) and rate the customer's "
                "satisfaction to see the trend here."
            ),
        )

    def activated(self) -> None:
        self.refresh()

    # --- drill-down -----------------------------------------------------------------------

    def _window(self) -> Any:
        window = self.window()
        return window if isinstance(window, QMainWindow) and hasattr(window, "show_page") else None

    def show_customers(self, klass: str | None = None, text: str = "") -> QWidget | None:
        """The customer list, filtered by class and/or search text."""
        window = self._window()
        if window is None:
            return None
        page = window.show_page("customers")
        wanted = (klass,) if klass else ()
        combo = page.class_filter
        matches = [i for i in range(combo.count()) if tuple(combo.itemData(i) or ()) == wanted]
        combo.setCurrentIndex(matches[0] if matches else 0)
        page.search.setText(text)
        page.apply_filters()
        return page

    def open_tile(self, key: str) -> DrillDownDialog | QWidget | None:
        """Open what a tile counts: the filtered customer list or a list of the records."""
        if key == "customers":
            return self.show_customers()
        if key in CLASSES:
            return self.show_customers(key)
        data = self.ensure_data()
        language = self.language
        if key in ("visits_overdue", "visits_due"):
            visits = self._records(data, key)
            return self._drill(
                self.tiles[key].caption.text(),
                [
                    self.tr("Account no."),
                    self.tr("Customer"),
                    self.tr("Class"),
                    self.tr("Last visit"),
                    self.tr("Due"),
                ],
                [
                    (
                        v.account_no,
                        v.name,
                        v.pyramid_class or "",
                        format_date(v.last_visit) or self.tr("never"),
                        format_date(v.due_on),
                    )
                    for v in visits
                ],
                [("customer", v.account_no) for v in visits],
                [v.overdue for v in visits],
            )
        if key in ("referrals", "referrals_overdue"):
            referrals = data.referrals_overdue if key == "referrals_overdue" else data.referrals
            return self._drill(
                self.tiles[key].caption.text(),
                [
                    self.tr("Customer"),
                    self.tr("Team"),
                    self.tr("Demand"),
                    self.tr("State"),
                    self.tr("Due"),
                ],
                [
                    (
                        r.customer,
                        _enum_label(BackOfficeTeam, r.team, language),
                        _enum_label(DemandType, r.demand_type, language),
                        _enum_label(ReferralState, r.state, language),
                        format_date(r.due_on),
                    )
                    for r in referrals
                ],
                [("referrals", r.customer) for r in referrals],
                [r.overdue for r in referrals],
            )
        if key == "limits":
            return self._drill(
                self.tiles[key].caption.text(),
                [
                    self.tr("Checklist"),
                    self.tr("Customer"),
                    self.tr("Deadline"),
                    self.tr("Working days left"),
                    self.tr("Item"),
                ],
                [
                    (
                        limit.number or "",
                        limit.customer,
                        format_date(limit.deadline),
                        format_number(limit.remaining),
                        limit.text,
                    )
                    for limit in data.limits
                ],
                [("checklist", limit.checklist_id) for limit in data.limits],
                [limit.overdue for limit in data.limits],
            )
        if key == "notices":
            notices: list[NoticeToDeliver] = data.notices
            return self._drill(
                self.tiles[key].caption.text(),
                [self.tr("Notice"), self.tr("Customer"), self.tr("Outage starts"), self.tr("Area")],
                [
                    (
                        n.number or "",
                        n.customer,
                        QLocale().toString(q_datetime(n.starts_at), QLocale.FormatType.ShortFormat),
                        n.area,
                    )
                    for n in notices
                ],
                [("outage", n.event_id) for n in notices],
            )
        if key == "risk":
            risks = self._records(data, key)
            index = 1 if language.startswith("en") else 0
            separator = ", " if index else "、"
            return self._drill(
                self.tiles[key].caption.text(),
                [self.tr("Account no."), self.tr("Customer"), self.tr("Why")],
                [
                    (
                        r.account_no,
                        r.name,
                        separator.join(RISK_REASON_LABELS[code][index] for code in r.reasons),
                    )
                    for r in risks
                ],
                [("customer", r.account_no) for r in risks],
            )
        raise KeyError(key)

    def _records(self, data: Dashboard, key: str) -> list[Any]:
        """A tile's whole list: the dashboard keeps only the first rows of long ones."""
        if data.is_complete(key):
            return data.records(key)
        me = self._manager
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return tile_records(
                self.ctx.store, self.ctx.settings, key, data.today, me[0] if me else None
            )
        finally:
            QApplication.restoreOverrideCursor()

    def _drill(
        self,
        title: str,
        headers: list[str],
        rows: list[tuple[Any, ...]],
        objects: list[tuple[str, Any]],
        alerts: list[bool] | None = None,
    ) -> DrillDownDialog:
        dialog = DrillDownDialog(title, headers, rows, objects, self, alerts)
        dialog.chosen.connect(self.open_record)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_record(self, target: tuple[str, Any]) -> None:
        """Show one record on its page: a customer in the list, a checklist, an outage."""
        kind, value = target
        window = self._window()
        if window is None:
            return
        if kind == "customer":
            self.show_customers(text=str(value))
        elif kind == "checklist":
            window.show_page("checklists").show_checklist(value)
        elif kind == "outage":
            window.show_page("outages").show_outage(value)
        elif kind == "referrals":  # the customer's referrals on the 转办 page
            window.show_page("referrals").show_customer(str(value))
