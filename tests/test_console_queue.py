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
