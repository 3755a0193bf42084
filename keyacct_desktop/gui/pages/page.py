"""The interface of a page of the main window, and the usual way of keeping one current.

The window talks to its pages only through :class:`Page`: it calls :meth:`Page.activated`
when one is shown, hands every :class:`Changes` announced on the store's change bus to
:meth:`Page.refresh_changes`, and asks :meth:`Page.keep_or_drop_changes` before quitting.
:class:`PageBase` supplies the usual behaviour: a page names the tables it shows
(``WATCHES``); changes to them refresh it at once while it is in front, or when it is next
shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:  # the window imports this before SQLAlchemy is loaded (fast start)
    from keyacct_desktop.store.changes import Changes

#: Tables no page shows: sync's own bookkeeping, and drafts autosaved by an open editor.
BOOKKEEPING = frozenset({"sync_base", "sync_state", "sync_inbox", "draft"})


@runtime_checkable
class Page(Protocol):
    """What the main window needs of a page."""

    def activated(self) -> None:
        """The page is shown (read what it shows, if it has not yet)."""

    def refresh(self) -> None:
        """Read everything again (F5)."""

    def refresh_changes(self, changes: Changes) -> None:
        """Something changed: refresh what of it this page shows."""

    def keep_or_drop_changes(self) -> bool:
        """Before quitting: ``False`` if the user chose to go on editing here."""


class PageBase:
    """Mixin with the usual :class:`Page` behaviour (put it before ``QWidget``).

    Attributes:
        WATCHES: tables whose changes this page shows (``None``: every table).
        stale: changes arrived while the page was hidden; it refreshes when shown.
    """

    WATCHES: ClassVar[frozenset[str] | None] = None
    stale = False
    _handled: Changes | None = None

    def refreshed_for(self, changes: Changes) -> None:
        """This page already shows ``changes`` (its own operation refreshed it): when they are
        announced, it does not read again."""
        self._handled = changes

    def shows(self, changes: Changes) -> bool:
        """Whether ``changes`` concern this page."""
        if self.WATCHES is None:
            return bool(changes.tables - BOOKKEEPING)
        return changes.touches(*self.WATCHES)

    def refresh_changes(self, changes: Changes) -> None:
        if changes is self._handled or not self.shows(changes):
            self._handled = None
            return
        if not self.isHidden():  # type: ignore[attr-defined]  # in front (window shown or not)
            self.stale = False
            self.refresh()  # type: ignore[attr-defined]
        else:
            self.stale = True

    def take_stale(self) -> bool:
        """Whether changes arrived while hidden (and forget it)."""
        stale, self.stale = self.stale, False
        return stale

    def keep_or_drop_changes(self) -> bool:
        return True
