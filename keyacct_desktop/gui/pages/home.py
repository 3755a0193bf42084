"""首页: today's overview of the manager's customers and open work."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from keyacct_desktop.context import AppContext
from keyacct_desktop.services.overview import overview


class Tile(QFrame):
    """A figure with its caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("–")
        self.value.setStyleSheet("font-size: 26pt; font-weight: bold; color: #1f5fa8;")
        self.caption = QLabel(caption)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


class HomePage(QWidget):
    """Overview tiles, refreshed every time the page is shown."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tiles = {
            "customers": Tile(self.tr("Customers")),
            "A": Tile(self.tr("Class A customers")),
            "B": Tile(self.tr("Class B customers")),
            "visits": Tile(self.tr("Visits in the last 30 days")),
            "open": Tile(self.tr("Open referrals")),
            "overdue": Tile(self.tr("Overdue referrals")),
        }
        grid = QGridLayout()
        for position, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, position // 3, position % 3)
        title = QLabel(self.tr("Overview"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        figures = overview(self.ctx.store)
        values = {
            "customers": figures.customers,
            "A": figures.by_class.get("A", 0),
            "B": figures.by_class.get("B", 0),
            "visits": figures.visits_last_30_days,
            "open": figures.open_referrals,
            "overdue": figures.overdue_referrals,
        }
        for key, tile in self.tiles.items():
            tile.value.setText(f"{values[key]:,}")

    def activated(self) -> None:
        self.refresh()
