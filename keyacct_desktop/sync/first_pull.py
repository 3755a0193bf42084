"""A new device's first pull, written straight into its tables (issue 22).

The usual pull stores every page in the inbox and applies the pages together once the server
has no more (``sync.pull``): a child may arrive before its parent, and a crash mid-pull
resumes from the stored pages. On a device that holds nothing yet that writes each row three
times — inbox, table, merge base — where a bulk insert writes it once.

A *first pull* (no synced rows, no merge bases, nothing pending, refused, set aside or in the
inbox, cursor 0) writes each page into the tables instead: the page's rows are checked by the
usual rules (``_check_entries``) and written by the usual executemany per table, merge bases
in the same batch, in the page's transaction together with the new cursor. A crash loses at
most the page being written and resumes from the cursor of the last one committed, whose rows
are in the tables (nothing is written twice: the next page starts after them).

What a page cannot write yet goes to the inbox as usual and is applied at the end by
``_apply_inbox`` under the usual rules: a row whose parent comes later (or waits in the
inbox), whose business key is held, or whose value does not fit; every tombstone and move;
and every later copy of a row already put in the inbox (the inbox keeps the newest). A row
written from an earlier page and changed by a later one is an update, as in the next sync.
The store is then the one the usual path writes (``tests/test_first_pull.py``); the merge
bases are the pulled versions and data, so later syncs merge by the usual rules.

The state key :data:`STATE_KEY` marks a first pull under way; it is dropped in the
transaction of the last page. A local edit (or a refused or set-aside row) before a resumed
pull ends the first-pull mode: the rest goes through the inbox, which sees the rows already
written as rows a previous sync brought.
"""

from __future__ import annotations

import gc
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from sqlalchemy import or_, select, text
from sqlalchemy.exc import DBAPIError, StatementError

from keyacct_desktop.store.changelog import APPLYING_REMOTE
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import (
    PendingChange,
    SyncBase,
    SyncInbox,
    SyncRefused,
    SyncSetAside,
)
from keyacct_desktop.store.models import MODEL_BY_TABLE, SYNCED_MODELS
from keyacct_desktop.sync.pull import FIRST_PULL_STATE, _apply_entries
from keyacct_desktop.sync.pull_checks import _check_entries, _Entry
from keyacct_desktop.sync.state import get_state, get_state_in

log = logging.getLogger(__name__)

#: ``sync_state`` key: a first pull is under way (its pages go straight into the tables).
STATE_KEY = FIRST_PULL_STATE
#: Off, every pull goes through the inbox (the tests compare both paths).
ENABLED = True


def _holds_any(session: Any, *models: Any) -> bool:
    return bool(session.scalar(_holds_any_statement(models)))


@cache
def _holds_any_statement(models: tuple[Any, ...]) -> Any:
    """``SELECT EXISTS (…) OR EXISTS (…) …``: one query for the ~20 tables :func:`applies`
    asks about, built once (one query per table was ~5 ms of every sync)."""
    return select(or_(*(select(model.__table__.c[0]).exists() for model in models)))


def applies(store: Store, cursor: int) -> bool:
    """Whether this pull writes its pages straight into the tables (see the module doc)."""
    if not ENABLED:
        return False
    with store.read() as session:
        if _holds_any(session, PendingChange, SyncRefused, SyncSetAside):
            return False
        if cursor:  # a first pull under way, resumed
            return bool(get_state_in(session, STATE_KEY))
        return not _holds_any(session, SyncBase, SyncInbox, *SYNCED_MODELS)


def inbox_keys(store: Store) -> set[tuple[str, uuid.UUID]]:
    """Rows an interrupted first pull put in the inbox: their later copies go there too."""
    with store.read() as session:
        return {
            (table, row_id)
            for table, row_id in session.execute(select(SyncInbox.table_name, SyncInbox.row_id))
        }


class FirstPull:
    """The page writer of one first pull (``pull._fetch_into_inbox``)."""

    def __init__(self, in_inbox: set[tuple[str, uuid.UUID]]) -> None:
        self.in_inbox = in_inbox

    def write_page(self, session: Any, entries: list[_Entry]) -> list[_Entry]:
        return write_page(session, entries, self.in_inbox)


def start(store: Store) -> FirstPull | None:
    """A writer when this pull is (or resumes) a first pull, else ``None``."""
    cursor = int(get_state(store, "cursor", 0) or 0)
    if not applies(store, cursor):
        return None
    return FirstPull(inbox_keys(store) if cursor else set())


def write_page(
    session: Any, entries: list[_Entry], in_inbox: set[tuple[str, uuid.UUID]]
) -> list[_Entry]:
    """Write what of one page can be written now; returns the entries for the inbox (and adds
    their keys to ``in_inbox``)."""
    session.info[APPLYING_REMOTE] = True
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    latest: dict[tuple[str, uuid.UUID], _Entry] = {}
    for entry in entries:
        key = (entry.table_name, entry.row_id)
        if key not in latest or entry.version >= latest[key].version:
            latest[key] = entry
    candidates = [
        entry
        for key, entry in latest.items()
        if not entry.deleted
        and entry.table_name in MODEL_BY_TABLE
        and not (in_inbox and key in in_inbox)
    ]
    aside: dict[tuple[str, uuid.UUID], Any] = {}
    decoded = _check_entries(session, candidates, {}, aside)
    ready = (
        [e for e in candidates if (e.table_name, e.row_id) not in aside] if aside else candidates
    )
    if ready:
        savepoint = session.begin_nested()
        try:
            _apply_entries(session, ready, {}, decoded)
        except (DBAPIError, StatementError, OverflowError, ValueError) as error:
            log.warning(
                "sync: first-pull page goes through the inbox after %s", type(error).__name__
            )
            savepoint.rollback()
            ready = []
        else:
            savepoint.commit()
    if len(ready) == len(entries):  # (the usual page: every row written, none twice)
        return []
    written = {(e.table_name, e.row_id) for e in ready}
    later = [e for e in entries if (e.table_name, e.row_id) not in written]
    in_inbox.update((e.table_name, e.row_id) for e in later)
    return later


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while thousands of pulled rows are decoded and
    written: they are not garbage, and the collections their allocations trigger walk every
    object the process holds (a fifth of a first pull's time in the profiles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
