"""关于 dialog: version, licence of the app and of the bundled font."""

from __future__ import annotations

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from keyacct_desktop import __version__
from keyacct_desktop.gui.text import arg
from keyacct_desktop.gui.widgets.screen import fit_to_screen
from keyacct_desktop.paths import resources_dir

FONT_LICENCE_FILE = "LICENSE-WenQuanYiMicroHei.txt"


def font_licence_text() -> str:
    """The bundled font's licence, shipped beside the font (it must travel with it)."""
    path = resources_dir() / "fonts" / FONT_LICENCE_FILE
    return path.read_text(encoding="utf-8") if path.exists() else ""


class AboutDialog(QDialog):
    """Who made KeyAcct, which version this is and under which licences it ships.

    Attributes:
        summary: the version and licence lines.
        licence_text: the full font licence.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About KeyAcct"))
        fit_to_screen(self, 560, 460)
        title = QLabel(self.tr("KeyAcct Desktop — Key Account Manager's Workbench"))
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.summary = QLabel(
            "<br>".join(
                [
                    arg(self.tr("Version %1"), __version__),
                    arg(self.tr("Qt %1, PySide6"), qVersion()),
                    self.tr("Licence: Apache License 2.0"),
                    self.tr(
                        "Bundled font: WenQuanYi Micro Hei, licensed under Apache License 2.0 "
                        "or GPL-3+ with font exception (full text below)."
                    ),
                ]
            )
        )
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.licence_text = QTextBrowser()
        self.licence_text.setPlainText(font_licence_text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(self.licence_text, 1)
        layout.addWidget(buttons)
