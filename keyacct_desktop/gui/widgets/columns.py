"""Columns a user can show or hide from a table header's context menu, remembered per user.

A list with a dozen columns does not fit a 1366 px laptop: the columns that matter most come
first and stay (``keep``), the others can be hidden; the first time, ``hidden`` ones start
hidden. Right-click the header for a checkable list of the columns. The choice is kept in the
settings (``ui.columns``: ``{user: {table: [hidden column names]}}``), so each user of a
shared laptop gets their own.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QObject, QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QMenu

from keyacct_desktop.settings import Settings

SETTING = "ui.columns"


class ColumnChooser(QObject):
    """Show/hide columns of ``header`` from its context menu; the choice is saved per user.

    Attributes:
        names: a stable name per logical column (what the settings store).
        keep: columns that cannot be hidden (the important ones).
        menu: the last context menu built (tests trigger its actions).
    """

    def __init__(
        self,
        header: QHeaderView,
        table: str,
        names: Sequence[str],
        settings: Settings,
        *,
        keep: Sequence[str] = (),
        hidden: Sequence[str] = (),
        order: Sequence[str] = (),
    ) -> None:
        super().__init__(header)
        self.header = header
        self.table = table
        self.names = list(names)
        self.settings = settings
        self.keep = set(keep)
        self.menu: QMenu | None = None
        for visual, name in enumerate(order):  # the important columns first, left to right
            header.moveSection(header.visualIndex(self.names.index(name)), visual)
        saved = self._saved()
        for logical, name in enumerate(self.names):
            hide = name in (saved if saved is not None else hidden) and name not in self.keep
            header.setSectionHidden(logical, hide)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.show_menu)
        header.setToolTip(
            QCoreApplication.translate("ColumnChooser", "Right-click to show or hide columns")
        )

    @property
    def user(self) -> str:
        return str(self.settings.get("sync.username") or "")

    def _saved(self) -> list[str] | None:
        per_user = self.settings.get(SETTING).get(self.user, {})
        saved = per_user.get(self.table) if isinstance(per_user, dict) else None
        return [str(name) for name in saved] if isinstance(saved, list) else None

    def hidden_names(self) -> list[str]:
        return [n for i, n in enumerate(self.names) if self.header.isSectionHidden(i)]

    def build_menu(self) -> QMenu:
        """A checkable entry per column, in the order they are shown."""
        menu = QMenu(self.header)
        model = self.header.model()
        for visual in range(self.header.count()):
            logical = self.header.logicalIndex(visual)
            text = model.headerData(logical, Qt.Orientation.Horizontal) if model else None
            action = menu.addAction(str(text or self.names[logical]))
            action.setCheckable(True)
            action.setChecked(not self.header.isSectionHidden(logical))
            action.setData(self.names[logical])
            if self.names[logical] in self.keep:
                action.setEnabled(False)  # always shown: the list is useless without it
            action.toggled.connect(
                lambda shown, name=self.names[logical]: self.set_shown(name, shown)
            )
        self.menu = menu
        return menu

    def show_menu(self, position: QPoint) -> None:
        self.build_menu().popup(self.header.mapToGlobal(position))

    def set_shown(self, name: str, shown: bool) -> None:
        """Show or hide a column and remember it for this user."""
        if name in self.keep and not shown:
            return
        self.header.setSectionHidden(self.names.index(name), not shown)
        everyone = dict(self.settings.get(SETTING))
        mine = dict(everyone.get(self.user) or {})
        mine[self.table] = self.hidden_names()
        everyone[self.user] = mine
        self.settings.set(SETTING, everyone)
        self.settings.save()
