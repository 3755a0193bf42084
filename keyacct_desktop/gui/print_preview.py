"""Print preview and printing of any PDF the app makes (QtPdf + QtPrintSupport).

The PDF is the single source of truth for paper: what the preview shows is what the
printer gets, because printing rasterises the same PDF pages at the printer's resolution.
Printing runs on a ``gui/tasks.py`` worker (progress per page, cancel between pages): the
worker loads its own QPdfDocument from the same bytes and is the only thread that touches
the QPainter and the QPrinter until it is done.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QLocale,
    QRect,
    QSize,
    Qt,
)
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

from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.security.exports import confirm_unprotected_export
from keyacct_desktop.gui.tasks import Task, run_task
from keyacct_desktop.gui.widgets.screen import fit_to_screen
from keyacct_desktop.progress import Cancelled, TaskState
from keyacct_desktop.security.files import atomic_write

#: Pages are rasterised at most at this resolution: sharp on paper, while a 1200 dpi printer
#: would otherwise get a 500 MB image per A4 page (a 250-notice batch took minutes and GBs).
PRINT_DPI = 300


def print_pdf(
    document: QPdfDocument,
    printer: QPrinter,
    state: TaskState | None = None,
    page_message: Callable[[int, int], str] | None = None,
) -> int:
    """Paint every page of ``document`` onto ``printer``; returns the pages printed.

    With a ``state``, progress is reported before each page (``page_message(i, n)`` is its
    text) and a cancel between pages raises :class:`Cancelled` after aborting the print job
    (where the print engine supports it) and ending the painter.
    """
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    total = document.pageCount()
    try:
        dpi = printer.resolution()
        render_dpi = min(dpi, PRINT_DPI)
        for page in range(total):
            if state is not None:
                message = page_message(page + 1, total) if page_message else ""
                try:
                    state.report(page, total, message)
                except Cancelled:
                    printer.abort()
                    raise
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
        return total
    finally:
        if painter.isActive():
            painter.end()


def print_pdf_bytes(
    pdf: bytes,
    printer: QPrinter,
    state: TaskState | None = None,
    page_message: Callable[[int, int], str] | None = None,
) -> int:
    """:func:`print_pdf` from the PDF's bytes, with a document of the calling thread's own.

    Meant for a worker thread: the preview's QPdfDocument belongs to the GUI thread.
    """
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    try:
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready:
            raise RuntimeError(f"cannot load the PDF to print: {document.error()}")
        return print_pdf(document, printer, state, page_message)
    finally:
        document.close()
        del document
        buffer.close()


def preparing(title: str) -> str:
    """What the progress says while a document is read or laid out ("Preparing <title>…")."""
    return QCoreApplication.translate("PrintPreviewDialog", "Preparing %1…").replace("%1", title)


def preview_when_rendered(
    parent: QWidget, render: Callable[[], bytes], title: str, language: str
) -> Task:
    """Lay out a PDF on a worker (ReportLab takes a moment), then show it in the preview.

    ``render`` runs on the worker: give it plain data read beforehand, not live ORM rows.
    """
    message = preparing(title)

    def work(state: TaskState) -> tuple[bytes, set[str]]:
        from keyacct_desktop.printing.fonts import collect_missing

        state.report(0, 1, message)
        with collect_missing() as missing:  # on this thread: the render's own context
            return render(), missing

    return run_task(
        work,
        title=message,
        parent=parent,
        on_done=lambda done: PrintPreviewDialog(done[0], title, parent, missing=done[1]).exec(),
        on_error=lambda error: show_error(parent, error, language),
    )


class PrintPreviewDialog(QDialog):
    """Shows a PDF with Print… and Save as… buttons.

    Attributes:
        document: the loaded PDF.
        view: the page view.
    """

    def __init__(
        self,
        pdf: bytes,
        title: str,
        parent: QWidget | None = None,
        *,
        missing: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        fit_to_screen(self, 820, 960)
        self._pdf = pdf
        self.print_task: Task | None = None
        self._printer: QPrinter | None = None
        self._close_when_printed = False
        # Pages printed by the last finished print job (None while printing / if it failed).
        self.printed_pages: int | None = None
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
        from keyacct_desktop.printing.fonts import MISSING_MARK

        #: Characters the font has no glyph for (rare 生僻字): printed as a box, said here.
        self.missing_label = QLabel(
            self.tr("The font has no %1: printed as %2, write them in by hand.")
            .replace("%1", "、".join(sorted(missing)))
            .replace("%2", MISSING_MARK)
        )
        self.missing_label.setStyleSheet("color: #c62828;")
        self.missing_label.setWordWrap(True)
        self.missing_label.setVisible(bool(missing))
        layout.addWidget(self.missing_label)
        layout.addWidget(buttons)

    def print_document(self) -> None:
        if self.print_task is not None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.start_printing(printer)

    def start_printing(self, printer: QPrinter) -> Task:
        """Print on a worker thread; the printer must not be used elsewhere until it is done."""
        template = self.tr("Page %1/%2")

        def page_message(page: int, total: int) -> str:
            return template.replace("%1", str(page)).replace("%2", str(total))

        pdf = self._pdf
        self._printer = printer
        self.printed_pages = None
        self.print_button.setEnabled(False)
        self.print_task = run_task(
            lambda state: print_pdf_bytes(pdf, printer, state, page_message),
            title=self.tr("Printing…"),
            parent=self,
            on_done=self._printed,
            on_error=self._print_failed,
        )
        return self.print_task

    def cancel_printing(self) -> None:
        if self.print_task is not None:
            self.print_task.cancel()

    def _print_over(self) -> None:
        self.print_task = None
        self._printer = None
        self.print_button.setEnabled(True)
        if self._close_when_printed:
            self._close_when_printed = False
            self.reject()

    def _printed(self, pages: int) -> None:
        self.printed_pages = pages
        self._print_over()

    def _print_failed(self, error: BaseException) -> None:
        self._print_over()
        if not isinstance(error, Cancelled):
            show_error(self, error, QLocale().name())

    def reject(self) -> None:
        """Closing while printing cancels the print and closes once the worker has stopped."""
        if self.print_task is not None:
            self._close_when_printed = True
            self.print_task.cancel()
            return
        super().reject()

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save as PDF"), "", self.tr("PDF files (*.pdf)")
        )
        if path:
            target = Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")
            language = QLocale().name()
            if confirm_unprotected_export(self, target, language):
                atomic_write(target, self._pdf)
