"""Table model of the customer list: ids first, rows loaded lazily in blocks.

Every read runs off the GUI thread, as a ``QueryOp`` on the database worker. A query reads
only the first page of ids (:meth:`CustomerDirectory.first_page`), which is what a keystroke
in the search box waits for; how many customers match is counted right after (when the first
page did not already tell), and the ids further down are read a page at a time when the view
scrolls to them. A row's data is read the first time the view paints it, a block at a time,
and kept in a bounded cache; until its block arrives the row shows a placeholder ("…"), then
``dataChanged`` repaints it. Sorting re-runs the query in the store (so 100,000 customers
never sit in memory at once); the rows keep their order until the new one arrives, and
selections then follow their customers. An answer for an older query or order is dropped.

Under ``KEYACCT_OPS_INLINE=1`` (tests) reads run at once, so ``data()`` answers directly.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor

from keyacct_desktop.domain.enums import CreditRating, ImportantGrade, Industry, label
from keyacct_desktop.gui.operations import QueryOp
from keyacct_desktop.gui.text import QT_TRANSLATE_NOOP
from keyacct_desktop.gui.units import format_consumption, with_unit
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services.customers import (
    CustomerDirectory,
    CustomerQuery,
    CustomerRow,
    IdPage,
    Plan,
)

T = TypeVar("T")
ObjectRole = Qt.ItemDataRole.UserRole + 1  # the row's CustomerRow
IdRole = Qt.ItemDataRole.UserRole + 2  # the customer's UUID

#: Rows read from the store at once when the view shows them (and ids, at least).
BLOCK_SIZE = 100
CACHE_ROWS = 3000
#: A re-sort reads ids this far to find where the selected customers went (~0.15 s on the
#: worker for 20,000 on a laptop); a selection further down is dropped.
FOLLOW_ROWS = 20_000
#: What a row whose data is being read shows (in the name column).
LOADING = "…"
#: An id not read (the store changed: fewer customers match than counted).
_NO_ID = uuid.UUID(int=0)


def _tr(text: str) -> str:
    return QCoreApplication.translate("CustomerTableModel", text)


#: (header source text, sort key or None)
COLUMNS: list[tuple[str, str | None]] = [
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Account no."), "account_no"),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Customer name"), "name"),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Class"), "pyramid_class"),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Park"), None),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Grid"), None),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Industry"), None),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Voltage (kV)"), "voltage_kv"),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Capacity (kVA)"), "capacity_kva"),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Annual consumption (%1)"), "annual_kwh"),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Important grade"), None),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Credit"), None),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Risk flags"), None),
]
#: The column naming each arrears/credit risk flag (badges), and the columns tinted red.
RISK_COLUMN = 11
TINTED_COLUMNS = (1, 10, RISK_COLUMN)
NUMERIC_COLUMNS = {6, 7, 8}


class CustomerTableModel(QAbstractTableModel):
    """Customer list over ids with lazy rows.

    Until a query is set (:meth:`set_query`) the model is empty and reads nothing, so a page
    can build it (and its view, with a sort indicator) at start-up for free.

    Attributes:
        directory: the read service the model queries.
        language: "zh_CN" or "en", for domain labels (industries, grades).

    Signals:
        total_changed(int): how many customers match the query, once known.
    """

    total_changed = Signal(int)
    #: Reading the list failed (the error); the rows shown stay.
    read_failed = Signal(object)

    def __init__(
        self, directory: CustomerDirectory, language: str = "zh_CN", parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.directory = directory
        self.language = language
        self._query = CustomerQuery()
        self._started = False
        self._ids: list[uuid.UUID] = []  # the ids read so far: the first rows of the list
        self._total: int | None = 0  # rows of the list; None until counted
        self._plan: Plan = "hits"
        self._cache: OrderedDict[uuid.UUID, CustomerRow] = OrderedDict()
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self._count)
        self._generation = 0  # the query whose answers are awaited (older ones are dropped)
        self._asked = self._query  # the last query asked (shown, or on its way)
        self._resorting = False  # the asked query is the shown one in another order
        self._reading: QueryOp[Any] | None = None
        self._loading: set[uuid.UUID] = set()  # rows whose block is being read
        self._absent: set[uuid.UUID] = set()  # read, but gone from the store since
        self._ids_wanted = 0  # rows whose ids the view asked for (read up to here)
        self._ids_reading = False

    # -- querying
    @property
    def query(self) -> CustomerQuery:
        return self._query

    @property
    def total(self) -> int | None:
        """How many customers match, or ``None`` while they are being counted."""
        return self._total

    @property
    def started(self) -> bool:
        """Whether a query has been run (see :meth:`set_query`)."""
        return self._started

    def set_query(self, query: CustomerQuery, then: Callable[[], None] | None = None) -> None:
        """Run ``query`` off the GUI thread (a read operation) and show its first page when it
        arrives, then call ``then()``; the count follows (:attr:`total`). The rows shown stay
        until then; when a newer query is asked meanwhile, this one's answer is dropped."""
        generation = self._ask(query)
        self._resorting = False

        def show(page: IdPage) -> None:
            if generation != self._generation:
                return  # a newer query's answer is on its way
            self._reset(query, page)
            if then is not None:
                then()

        self._read(self._first_page(query), show, self._asked_failed(generation))

    def _asked_failed(self, generation: int) -> Callable[[], None]:
        """A query or order could not be read: the rows shown stay; those whose reads were
        dropped when it was asked are painted (and so asked) again."""

        def failed() -> None:
            if generation == self._generation:
                self._resorting = False
                self._asked = self._query
                self._changed(0, min(len(self._ids), self.rowCount()) - 1)

        return failed

    def _ask(self, query: CustomerQuery) -> int:
        """A new query or order is asked: answers for the rows shown now are not awaited."""
        self._asked = query
        return self._invalidate()

    def _invalidate(self) -> int:
        """Answers asked before now are dropped (their rows, ids or positions are not the
        ones shown by the time they arrive); rows the view paints again are asked anew."""
        self._generation += 1
        self._loading.clear()
        self._ids_reading = False
        return self._generation

    def _first_page(self, query: CustomerQuery) -> Callable[[TaskState], IdPage]:
        directory = self.directory

        def read(_state: TaskState) -> IdPage:
            page = directory.first_page(query)
            if page.total is None and not query.text.strip():  # no search: cheap, and a click
                page = replace(page, total=directory.count(query))
            return page

        return read

    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """Read the list again (as last asked: a sort on its way is kept)."""
        self.set_query(self._asked, then)

    def _read(
        self,
        op: Callable[[TaskState], T],
        then: Callable[[T], None],
        failed: Callable[[], None] | None = None,
    ) -> None:
        """Read with ``op`` on the worker, then ``then(value)``; on an error, ``failed()``
        (forget what was being read) and :attr:`read_failed`."""

        def error(problem: BaseException) -> None:
            if failed is not None:
                failed()
            self.read_failed.emit(problem)

        self._reading = QueryOp(self, op, then, error).run_in_background()

    def _read_for_view(
        self,
        op: Callable[[TaskState], T],
        then: Callable[[T, bool], None],
        failed: Callable[[], None],
    ) -> None:
        """A read the view asked for while painting: ``then(value, at_once)``; ``at_once``:
        answered within this call (tests run reads at once), so the view is painting with
        it already and needs no ``dataChanged``."""
        asking = [True]
        self._read(op, lambda value: then(value, asking[0]), failed)
        asking[0] = False

    def customer_id(self, row: int) -> uuid.UUID:
        """The id of the customer in ``row`` (a row the user acted on: read now if the view
        has not had its id yet)."""
        if row >= len(self._ids):
            self._extend_ids(row, self.directory.page(*self._ids_request(row)))
        return self._ids[row]

    def row_of(self, customer_id: uuid.UUID) -> int | None:
        """The row of a customer among the rows read so far (``None``: not among them)."""
        try:
            return self._ids.index(customer_id)
        except ValueError:
            return None

    def count_now(self) -> int:
        """Count the matches now, on this thread, instead of on the worker."""
        if self._total is None:
            self._counted(self._generation, self.directory.count(self._query))
        return self.rowCount()

    def _reset(self, query: CustomerQuery, page: IdPage) -> None:
        self._count_timer.stop()
        self._invalidate()  # e.g. a page of ids of the list shown before
        self.beginResetModel()
        self._query = query
        self._started = True
        self._ids = list(page.ids)
        self._plan = page.plan
        self._total = page.total
        self._cache.clear()
        self._absent.clear()
        self._ids_wanted = 0
        self.endResetModel()
        if self._total is None:
            self._count_timer.start()
        else:
            self.total_changed.emit(self._total)

    def _count(self) -> None:
        """Count the matches off the GUI thread; then show the rows after the first page."""
        if self._total is not None:
            return
        generation, directory, query = self._generation, self.directory, self._query
        self._read(
            lambda _state: directory.count(query),
            lambda total: self._counted(generation, total),
        )

    def _counted(self, generation: int, total: int) -> None:
        if generation != self._generation or self._total is not None:
            return  # counted already, or another query is shown by now
        shown = len(self._ids)
        if total < shown:  # the store changed since the first page: start over
            self.set_query(self._query)
            return
        if total > shown:
            self.beginInsertRows(QModelIndex(), shown, total - 1)
            self._total = total
            self.endInsertRows()
        self._total = total
        self.total_changed.emit(total)

    def _ids_request(self, row: int) -> tuple[CustomerQuery, int, int, Plan]:
        """The page of ids to read for ``row``: from the last one read, at least a block
        past ``row`` (doubling, so a long scroll reads few pages)."""
        shown = len(self._ids)
        wanted = max(row + 1 - shown + BLOCK_SIZE, shown)
        return self._query, shown, wanted, self._plan

    def _extend_ids(self, row: int, more: list[uuid.UUID]) -> None:
        self._ids.extend(more)
        if row >= len(self._ids):  # the store changed: fewer customers match now
            self._ids.extend(_NO_ID for _ in range(row + 1 - len(self._ids)))

    def _want_ids(self, row: int) -> None:
        """The view shows ``row``, whose id is not read yet: read the ids up to it (and
        some after) on the worker; the rows they cover are then repainted."""
        self._ids_wanted = max(self._ids_wanted, row + 1)
        if self._ids_reading:
            return
        self._ids_reading = True
        generation, directory = self._generation, self.directory
        request = self._ids_request(row)
        first = request[1]

        def arrived(more: list[uuid.UUID], at_once: bool) -> None:
            if generation != self._generation:
                return  # another query or order is shown, or on its way
            self._ids_reading = False
            if len(self._ids) == first:  # else read meanwhile (customer_id)
                self._extend_ids(row, more)
                last = min(len(self._ids), self.rowCount()) - 1
                if not at_once and last >= first:
                    self._changed(first, last)
            wanted = min(self._ids_wanted, self.rowCount())
            if wanted > len(self._ids):  # scrolled further meanwhile
                self._want_ids(wanted - 1)

        def failed() -> None:
            if generation == self._generation:
                self._ids_reading = False

        self._read_for_view(lambda _state: directory.page(*request), arrived, failed)

    def _want_rows(self, position: int) -> None:
        """The view shows ``position``, whose row is not read: read its block (rows around
        it not read or being read) on the worker; the block is then repainted."""
        start = max(0, position - BLOCK_SIZE // 4)
        end = min(start + BLOCK_SIZE, len(self._ids))
        block = [
            customer_id
            for customer_id in self._ids[start:end]
            if customer_id not in self._cache
            and customer_id not in self._loading
            and customer_id not in self._absent
        ]
        if not block:
            return
        self._loading.update(block)
        generation, directory = self._generation, self.directory

        def arrived(loaded: dict[uuid.UUID, CustomerRow], at_once: bool) -> None:
            if generation != self._generation:
                return  # another query or order: these rows are asked again if shown
            self._loading.difference_update(block)
            for customer_id in block:
                row = loaded.get(customer_id)
                if row is None:
                    self._absent.add(customer_id)  # gone since its id was read
                else:
                    self._cache[customer_id] = row
                    self._cache.move_to_end(customer_id)
            while len(self._cache) > CACHE_ROWS:
                self._cache.popitem(last=False)
            if not at_once:
                self._changed(start, min(end, self.rowCount()) - 1)

        def failed() -> None:
            if generation == self._generation:
                self._loading.difference_update(block)

        self._read_for_view(lambda _state: directory.rows(block), arrived, failed)

    def _changed(self, first: int, last: int) -> None:
        if 0 <= first <= last:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    # -- Qt model API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._ids) if self._total is None else self._total

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(COLUMNS):
                return with_unit(_tr(COLUMNS[section][0]), self.directory.settings)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        row = self._row(index.row())
        column = index.column()
        if row is None:  # being read (or gone from the store since its id was read)
            if role == IdRole and index.row() < len(self._ids):
                known = self._ids[index.row()]
                return known if known != _NO_ID else None
            if role == Qt.ItemDataRole.DisplayRole and column == 1 and self._waiting(index.row()):
                return LOADING
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ObjectRole:
            return row
        if role == IdRole:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole and column in TINTED_COLUMNS:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and column in TINTED_COLUMNS:
            if "risk" in row.tags:  # an arrears/credit risk: red on the name, credit and flags
                return QColor("#f8d7da")
            if column == RISK_COLUMN and row.risk_flags:  # worth watching (e.g. high-energy)
                return QColor("#fff3cd")
        return None

    def _waiting(self, position: int) -> bool:
        """Whether the row's id or data is being read (not: gone from the store)."""
        return position >= len(self._ids) or self._ids[position] in self._loading

    def _flags(self, row: CustomerRow) -> list[str]:
        index = 1 if self.language.startswith("en") else 0
        return [flag[index] for flag in row.risk_flags]

    def _tooltip(self, row: CustomerRow, column: int) -> str | None:
        """The name with its USCC; on the name, credit and flag columns each risk flag."""
        lines = [f"{row.name}\n{row.uscc or ''}"] if column == 1 else []
        flags = self._flags(row)
        if flags:
            lines.append(
                QCoreApplication.translate("CustomerTableModel", "Arrears or credit risk:")
                if "risk" in row.tags
                else QCoreApplication.translate("CustomerTableModel", "Worth watching:")
            )
            lines.extend(f"• {flag}" for flag in flags)
        return "\n".join(lines) or None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        query = replace(self._asked, sort=key, descending=descending)
        if not self._started:  # nothing shown yet: remember the order for the first query
            self._query = self._asked = query
            return
        if self._asked != self._query and not self._resorting:
            self.set_query(query)  # a query is on its way: ask for it in this order
            return
        followed = {
            self._ids[index.row()]
            for index in self.persistentIndexList()
            if index.row() < len(self._ids)
        }
        generation = self._ask(query)
        self._resorting = True
        first_page, directory = self._first_page(query), self.directory

        def read(state: TaskState) -> IdPage:
            """The first page in the new order, and on until the selected customers."""
            page = first_page(state)
            ids = list(page.ids)
            while page.more and not followed <= set(ids) and len(ids) < FOLLOW_ROWS:
                more = directory.page(query, len(ids), len(ids), page.plan)  # doubling
                if not more:
                    break
                ids.extend(more)
            return replace(page, ids=ids)

        def arrived(page: IdPage) -> None:
            if generation != self._generation:
                return  # another order or query was asked meanwhile
            self._resorting = False
            self._reorder(query, page)

        self._read(read, arrived, self._asked_failed(generation))

    def _reorder(self, query: CustomerQuery, page: IdPage) -> None:
        """The list in a new order: selections (persistent indexes) follow their customers."""
        same_rows = page.total is None or page.total == self.rowCount()
        if self._total is None or not same_rows:
            self._reset(query, page)  # still counting, or the store changed meanwhile
            return
        self._invalidate()  # reads asked for rows by their old positions
        self.layoutAboutToBeChanged.emit()
        old = self._ids
        self._query = query
        self._ids = list(page.ids)
        self._plan = page.plan
        self._ids_wanted = 0
        self._absent.clear()
        new = {customer_id: row for row, customer_id in enumerate(self._ids)}
        for index in self.persistentIndexList():  # selections follow their customers
            row = new.get(old[index.row()]) if index.row() < len(old) else None
            self.changePersistentIndex(
                index, self.index(row, index.column()) if row is not None else QModelIndex()
            )
        self.layoutChanged.emit()

    # -- internals
    def _row(self, position: int) -> CustomerRow | None:
        """The row at ``position`` if read; else its read is started (``None`` until then;
        at once under tests)."""
        if position >= len(self._ids):
            self._want_ids(position)
            if position >= len(self._ids):
                return None
        customer_id = self._ids[position]
        row = self._cache.get(customer_id)
        if row is None and customer_id not in self._absent and customer_id not in self._loading:
            self._want_rows(position)  # its block (not one read per row painted)
            row = self._cache.get(customer_id)
        if row is not None:
            self._cache.move_to_end(customer_id)
        return row

    def _display(self, row: CustomerRow, column: int) -> str:
        language = self.language
        match column:
            case 0:
                return row.account_no
            case 1:
                return row.name
            case 2:
                return row.pyramid_class or ""
            case 3:
                return row.park or ""
            case 4:
                return row.grid or ""
            case 5:
                return label(Industry(row.industry), language) if row.industry else ""
            case 6:
                return f"{row.voltage_kv:g}" if row.voltage_kv is not None else ""
            case 7:
                return f"{row.capacity_kva:,.0f}" if row.capacity_kva is not None else ""
            case 8:
                return format_consumption(row.annual_kwh, self.directory.settings)
            case 9:
                return (
                    label(ImportantGrade(row.important_grade), language)
                    if row.important_grade
                    else ""
                )
            case 10:
                return label(CreditRating(row.credit_rating), language) if row.credit_rating else ""
            case 11:
                return ("; " if language.startswith("en") else "、").join(self._flags(row))
        return ""
