"""Print preview and printing of any PDF the app makes (QtPdf + QtPrintSupport).

The PDF is the single source of truth for paper: what the preview shows is what the
printer gets, because printing rasterises the same PDF pages at the printer's resolution.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.gui.security.exports import confirm_unprotected_export
from keyacct_desktop.security.files import atomic_write

#: Pages are rasterised at most at this resolution: sharp on paper, while a 1200 dpi printer
#: would otherwise get a 500 MB image per A4 page (a 250-notice batch took minutes and GBs).
PRINT_DPI = 300


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Paint every page of ``document`` onto ``printer``; returns the pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        dpi = printer.resolution()
        render_dpi = min(dpi, PRINT_DPI)
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            image = document.render(
                page,
                QSize(
                    round(points.width() / 72 * render_dpi),
                    round(points.height() / 72 * render_dpi),
                ),
            )
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            target = painter.viewport()
            fitted = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), fitted), image)
        return document.pageCount()
    finally:
        painter.end()


class PrintPreviewDialog(QDialog):
    """Shows a PDF with Print… and Save as… buttons.

    Attributes:
        document: the loaded PDF.
        view: the page view.
    """

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 960)
        self._pdf = pdf
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pages_label = QLabel(self.tr("%n page(s)", "", self.document.pageCount()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton(self.tr("Print…"))
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.pages_label)
        layout.addWidget(buttons)

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_pdf(self.document, printer)

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save as PDF"), "", self.tr("PDF files (*.pdf)")
        )
        if path:
            target = Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")
            language = QLocale().name()
            if confirm_unprotected_export(self, target, language):
                atomic_write(target, self._pdf)
