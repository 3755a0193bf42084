"""The data-quality report: customers whose file is incomplete or wrong, worst first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui.widgets.rows_model import RowsModel, fit_columns
from keyacct_desktop.gui.widgets.screen import fit_to_screen
from keyacct_desktop.services.data_quality import KINDS, QualityRow, quality_report


class QualityDialog(QDialog):
    """Filter by "score below"; double-click opens the customer in the editor (``opened``)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Data quality"))
        fit_to_screen(self, 900, 560)
        self.below = QSpinBox()
        self.below.setRange(1, 101)
        self.below.setValue(100)  # every file that is not complete, worst first
        self.below.setSuffix(self.tr(" points"))
        self.below.valueChanged.connect(self.refresh)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("All problems"), None)
        english = ctx.language.startswith("en")
        for code, (zh, en) in KINDS.items():
            self.kind.addItem(en if english else zh, code)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.summary = QLabel()
        self.model = RowsModel(
            [self.tr("Account no."), self.tr("Customer"), self.tr("Score"), self.tr("What to fix")],
            self,
        )
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        fit_columns(self.view, {0: 110, 1: 220, 2: 60}, 3)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Score below")))
        top.addWidget(self.below)
        top.addWidget(self.kind)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.rows: list[QualityRow] = []
        self.refresh()

    def refresh(self) -> None:
        self.rows = quality_report(
            self.ctx.store,
            below=self.below.value(),
            language=self.ctx.language,
            kind=self.kind.currentData(),
            settings=self.ctx.settings,
        )
        self.model.set_rows(
            [(r.account_no, r.name, r.score, "；".join(r.issues)) for r in self.rows], self.rows
        )
        self.summary.setText(self.tr("%1 customer(s)").replace("%1", str(len(self.rows))))
