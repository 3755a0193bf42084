"""首页: the manager's day at a glance; every figure opens the records it counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.enums import BackOfficeTeam, DemandType, ReferralState, label
from keyacct_desktop.gui.desktop.dashboard import (
    ConsumptionChart,
    DrillDownDialog,
    SatisfactionChart,
    Tile,
    format_date,
    format_number,
)
from keyacct_desktop.gui.text import arg
from keyacct_desktop.services.overview import (
    RISK_REASON_LABELS,
    Dashboard,
    NoticeToDeliver,
    dashboard,
    manager_for,
)

CLASSES = ("A", "B", "C", "D")


def _enum_label(enum: Any, value: str, language: str) -> str:
    try:
        return label(enum(value), language)
    except ValueError:
        return value


class HomePage(QWidget):
    """Tiles and charts, recomputed each time the page is shown.

    Attributes:
        data: the dashboard last computed.
        tiles: the figure tiles by key.
        dialog: the drill-down list open now, if any.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: Dashboard | None = None
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
        self.consumption_chart = ConsumptionChart(self.tr("Annual consumption by class"))
        self.satisfaction_chart = SatisfactionChart(self.tr("Customer satisfaction by month"))
        charts = QHBoxLayout()
        charts.addWidget(self.consumption_chart, 1)
        charts.addWidget(self.satisfaction_chart, 1)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addStretch(1)
        heading.addWidget(self.subtitle)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addLayout(grid)
        layout.addLayout(charts, 1)
        # No refresh here: the window shows this page first and activated() fills it (once).

    @property
    def language(self) -> str:
        return self.ctx.language

    def refresh(self) -> None:
        """Recompute the figures (a few queries; fast enough for the GUI thread)."""
        me = manager_for(self.ctx.store, str(self.ctx.settings.get("sync.username")))
        data = dashboard(
            self.ctx.store,
            self.ctx.settings,
            today=self.today,
            manager_id=me[0] if me else None,
            manager_name=me[1] if me else None,
        )
        self.data = data
        today = QLocale().toString(QDate.currentDate(), QLocale.FormatType.LongFormat)
        whose = arg(self.tr("Customers of %1"), data.manager) if data.manager else ""
        whose = whose or self.tr("All customers in this store")
        self.subtitle.setText(f"{whose} · {today}")
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
        self.tiles["risk"].set_value(len(data.risks), alert=bool(data.risks))
        self.tiles["visits_overdue"].set_value(
            len(data.visits_overdue), alert=bool(data.visits_overdue)
        )
        self.tiles["visits_due"].set_value(len(data.visits_due_soon))
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
            self.tr("10,000 kWh per year"),
        )
        self.satisfaction_chart.set_points(data.satisfaction, self.tr("Average score (1–5)"))

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
        data = self.data
        assert data is not None
        language = self.language
        if key in ("visits_overdue", "visits_due"):
            visits = data.visits_overdue if key == "visits_overdue" else data.visits_due_soon
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
                        QLocale().toString(n.starts_at, QLocale.FormatType.ShortFormat),
                        n.area,
                    )
                    for n in notices
                ],
                [("outage", n.event_id) for n in notices],
            )
        if key == "risk":
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
                    for r in data.risks
                ],
                [("customer", r.account_no) for r in data.risks],
            )
        raise KeyError(key)

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
