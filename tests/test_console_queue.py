"""The team queue's rules and index, without a browser (the pages: test_console_browser.py)."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.referral_rules import IllegalMoveError, check_move
from keyacct_desktop.server.db import MIGRATIONS_DIR, migrate_server, server_engine
from keyacct_desktop.server.web import queue


def test_the_team_may_accept_answer_and_return_but_not_confirm() -> None:
    assert check_move("open", "in_progress", "", by_team=True).value == "in_progress"
    with pytest.raises(UserError, match="reason"):
        check_move("in_progress", "rejected", "  ", by_team=True)
    with pytest.raises(UserError, match="manager's move"):
        check_move("answered", "confirmed", "", by_team=True)
    with pytest.raises(IllegalMoveError):
        check_move("open", "answered", "done", by_team=True)  # accept first
    assert check_move("answered", "confirmed", "").value == "confirmed"  # on the laptop


def test_the_queue_reads_through_its_index_on_sqlite(tmp_path: Path) -> None:
    path = MIGRATIONS_DIR / "versions" / "s0006_web_console.py"
    spec = importlib.util.spec_from_file_location("s0006", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    # the page's SQL is the index's text, or neither database would use the index
    assert migration.QUEUE_KEY == queue.QUEUE_KEY
    assert migration.QUEUE_ROWS == queue.QUEUE_ROWS
    engine = server_engine(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    migrate_server(engine)
    team_key, closed, due, _row_id = queue.QUEUE_KEY["sqlite"]
    with engine.connect() as connection:
        plan = " ".join(
            str(row[-1])
            for row in connection.execute(
                text(
                    f"EXPLAIN QUERY PLAN SELECT row_id, data FROM sync_row WHERE "
                    f"{queue.QUEUE_ROWS} AND {team_key} = :team AND {closed} = 0 "
                    f"ORDER BY {due}, row_id LIMIT 31"
                ),
                {"team": "billing"},
            )
        )
    engine.dispose()
    assert "ix_sync_row_referral_queue" in plan and "TEMP B-TREE" not in plan, plan


def test_an_empty_queue_page_counts_nothing(tmp_path: Path) -> None:
    from keyacct_desktop.server.db import session_factory

    engine = server_engine(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    migrate_server(engine)
    with session_factory(engine).begin() as session:
        found = queue.queue_page(session, "billing", "overdue", 1, date(2026, 12, 2))
    engine.dispose()
    assert (found.rows, found.has_next, found.counts["todo"]) == ([], False, "0")


def test_pages_follow_the_queue_order_by_keyset_both_ways(tmp_path: Path) -> None:
    """Next/previous walk the whole order (open first, by due date, undated ones included)
    without OFFSET; the SQL is a range of the queue index (no sort)."""
    import uuid

    from keyacct_desktop.server.db import session_factory
    from keyacct_desktop.server.models import SyncRow

    engine = server_engine(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    migrate_server(engine)
    states = ["open", "in_progress", "confirmed", "rejected", "answered"]
    rows = []
    for n in range(23):
        due = None if n % 7 == 3 else f"2026-{11 + n % 2:02d}-{1 + n % 5:02d}"
        data = {"team": "billing", "state": states[n % 5], "due_on": due, "customer_id": None}
        rows.append(SyncRow(table_name="referral", row_id=uuid.uuid4(), version=n + 1, data=data))
    rows.append(  # another team's
        SyncRow(
            table_name="referral",
            row_id=uuid.uuid4(),
            version=99,
            data={"team": "ict", "state": "open", "due_on": "2026-01-01"},
        )
    )
    today = date(2026, 11, 3)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        session.add_all(rows)
    ours = [r for r in rows if r.data["team"] == "billing"]

    def order(r: SyncRow) -> tuple[int, int, str, str]:
        due = r.data["due_on"]  # SQLite sorts undated first, PostgreSQL last
        return (
            1 if r.data["state"] in ("confirmed", "rejected") else 0,
            due is not None,
            due or "",
            r.row_id.hex,
        )

    expected = [r.row_id for r in sorted(ours, key=order)]
    with sessions.begin() as session:
        pages = [queue.queue_page(session, "billing", "all", 1, today, size=4)]
        while pages[-1].has_next:
            pages.append(
                queue.queue_page(
                    session,
                    "billing",
                    "all",
                    len(pages) + 1,
                    today,
                    size=4,
                    after=pages[-1].next_cursor,
                )
            )
        assert [row.id for p in pages for row in p.rows] == expected
        assert [p.page for p in pages] == [1, 2, 3, 4, 5, 6]
        assert not pages[0].has_previous and pages[-1].next_cursor == ""
        back = [pages[-1]]
        while back[-1].has_previous:
            back.append(
                queue.queue_page(
                    session,
                    "billing",
                    "all",
                    back[-1].page - 1,
                    today,
                    size=4,
                    before=back[-1].previous_cursor,
                )
            )
        assert [[r.id for r in p.rows] for p in back] == [
            [r.id for r in p.rows] for p in pages[::-1]
        ]
        # filters keep their own order; a cursor of nonsense shows the first page
        overdue = queue.queue_page(session, "billing", "overdue", 1, today, size=50)
        assert all(r.overdue and r.due_on is not None for r in overdue.rows) and overdue.rows
        first = queue.queue_page(session, "billing", "confirmed", 7, today, after="x.y.z")
        assert first.page == 1 and {r.state for r in first.rows} == {"confirmed"}
    team_key, closed, due, _row_id = queue.QUEUE_KEY["sqlite"]
    with engine.connect() as connection:
        plan = " ".join(
            str(row[-1])
            for row in connection.execute(
                text(
                    f"EXPLAIN QUERY PLAN SELECT row_id, data FROM sync_row WHERE "
                    f"{queue.QUEUE_ROWS} AND {team_key} = :team AND {closed} = 1 AND "
                    f"{due} IS NOT NULL AND ({due}, row_id) > (:d, :i) "
                    f"ORDER BY {due}, row_id LIMIT 31"
                ),
                {"team": "billing", "d": "2026-11-01", "i": "0"},
            )
        )
    engine.dispose()
    assert "ix_sync_row_referral_queue" in plan and "TEMP B-TREE" not in plan, plan
