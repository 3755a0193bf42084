"""The specialist's dashboard figures against a small data set whose answers are known, kept
up to date from the row store's versions (a change after the first refresh, a grid move,
a review) and equal to a full rebuild."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from keyacct_desktop.server import desk, desk_facts
from keyacct_desktop.server.accounts import create_account
from keyacct_desktop.server.db import migrate_server, server_engine, session_factory
from keyacct_desktop.server.rows import write_row
from keyacct_desktop.store.models import visit_review_id

TODAY = date(2026, 12, 2)


def _customer(grid: uuid.UUID, klass: str, name: str, grade: str | None = None) -> dict:
    return {
        "account_no": f"31{uuid.uuid4().int % 10**8:08d}",
        "name": name,
        "grid_id": str(grid),
        "pyramid_class": klass,
        "important_grade": grade,
        "pool_status": "pooled",
        "status": "active",
    }


def _visit(customer: uuid.UUID, day: str, scores: tuple[int, int, int] | None, **more) -> dict:
    data = {
        "customer_id": str(customer),
        "status": "completed",
        "started_at": f"{day}T09:30:00",
        "purpose": "例行走访",
        "complaints": None,
    }
    if scores:
        data.update(
            zip(("score_reliability", "score_billing", "score_service"), scores, strict=True)
        )
    data.update(more)
    return data


def _referral(customer: uuid.UUID, team: str, kind: str, due: str, answered: str | None) -> dict:
    return {
        "customer_id": str(customer),
        "visit_id": None,
        "kind": kind,
        "team": team,
        "description": "x",
        "due_on": due,
        "state": "answered" if answered else "open",
        "answered_at": f"{answered}T16:00:00" if answered else None,
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Grid 东 (王: A 华东 visited 2026-10-20, overdue; A 华南 visited 2026-11-20; B 华北 never
    visited) and grid 西 (李: B 江南 visited 2026-08-01, overdue; C 江北 not counted)."""
    folder = tmp_path_factory.mktemp("desk")
    url = f"sqlite:///{folder / 'server.sqlite3'}"
    engine = server_engine(url)
    migrate_server(engine)
    sessions = session_factory(engine)
    ids: dict[str, uuid.UUID] = {}
    with sessions.begin() as session:
        wang = create_account(session, "wang", "password-1", "manager", "王经理")
        li = create_account(session, "li", "password-1", "manager", "李经理")
        for name, manager in (("东", wang), ("西", li)):
            ids[name] = uuid.uuid4()
            write_row(
                session,
                "grid",
                ids[name],
                {"name": name, "manager_id": str(manager.user_id)},
            )
        for key, grid, klass in (
            ("华东", "东", "A"),
            ("华南", "东", "A"),
            ("华北", "东", "B"),
            ("江南", "西", "B"),
            ("江北", "西", "C"),
        ):
            ids[key] = uuid.uuid4()
            write_row(session, "customer", ids[key], _customer(ids[grid], klass, key))
        for key, customer, day, scores, more in (
            ("v1", "华东", "2026-10-20", (5, 4, 3), {}),  # mean 4.0
            ("v2", "华南", "2026-11-20", (5, 5, 5), {"complaints": "抢修慢"}),  # 5.0
            ("v3", "江南", "2026-08-01", (3, 3, 3), {}),  # 3.0
            ("v4", "江北", "2026-11-05", None, {}),  # not scored
            ("v5", "华东", "2026-11-25", None, {"status": "draft"}),  # a draft: not counted
        ):
            ids[key] = uuid.uuid4()
            write_row(session, "visit", ids[key], _visit(ids[customer], day, scores, **more))
        for key, customer, team, kind, due, answered in (
            ("r1", "华东", "billing", "complaint", "2026-11-10", "2026-11-09"),  # on time
            ("r2", "华南", "billing", "demand", "2026-11-10", "2026-11-12"),  # late
            ("r3", "江南", "billing", "complaint", "2026-11-30", None),  # overdue
            ("r4", "江北", "metering", "demand", "2026-12-10", None),  # open
            ("r5", "江南", "dispatch", "complaint", "2026-10-03", "2026-10-02"),  # on time
        ):
            ids[key] = uuid.uuid4()
            write_row(
                session, "referral", ids[key], _referral(ids[customer], team, kind, due, answered)
            )
    yield {"sessions": sessions, "ids": ids, "engine": engine, "url": url}
    engine.dispose()


def _board(sessions: Any) -> desk.Dashboard:
    with sessions.begin() as session:
        desk.refresh(session, TODAY)
        return desk.dashboard(session, TODAY)


def test_the_dashboard_counts_the_known_data(world) -> None:
    board = _board(world["sessions"])
    coverage = {c.manager: (c.customers, c.overdue, c.never) for c in board.coverage}
    # 王: 华东 (A, 43 days > 30: overdue), 华南 (A, 12 days), 华北 (B, never: due, not overdue).
    # 李: 江南 (B, 123 days > 60: overdue); 江北 is C: not in the A/B coverage.
    assert coverage == {"王经理": (3, 1, 1), "李经理": (1, 1, 0)}
    teams = {t.team: (t.on_time, t.late, t.overdue, t.open) for t in board.teams}
    assert teams["电费管理中心"] == (1, 1, 1, 0)
    assert teams["计量中心"] == (0, 0, 0, 1)
    assert teams["供电服务指挥中心"] == (1, 0, 0, 0)
    assert teams["发展部"] == (0, 0, 0, 0)
    assert board.months[-1] == "2026-12" and board.months[0] == "2026-01"
    by_month = dict(zip(board.months, board.complaints_by_month, strict=True))
    # Complaints: r1 (due 2026-11) and r3 (2026-11), r5 (2026-10), v2's complaint (2026-11).
    assert (by_month["2026-10"], by_month["2026-11"], by_month["2026-12"]) == (1, 3, 0)
    satisfaction = dict(zip(board.months, board.satisfaction_by_month, strict=True))
    assert satisfaction["2026-11"] == 5.0  # v2 only (v4 not scored, v5 a draft)
    assert satisfaction["2026-10"] == 4.0 and satisfaction["2026-08"] == 3.0
    grids = {g.grid: (g.visits, g.satisfaction, g.complaints) for g in board.grids}
    assert grids == {"东": (2, 4.5, 2), "西": (2, 3.0, 2)}
    assert board.waiting_reviews == 4  # completed visits, none reviewed


def test_changes_after_a_refresh_update_the_figures_like_a_rebuild(world) -> None:
    sessions, ids = world["sessions"], world["ids"]
    _board(sessions)
    with sessions.begin() as session:
        # 江南 moves to grid 东; the overdue complaint is answered late; v1 is reviewed.
        data = _customer(ids["东"], "B", "江南")
        write_row(session, "customer", ids["江南"], data)
        answered = _referral(ids["江南"], "billing", "complaint", "2026-11-30", "2026-12-01")
        write_row(session, "referral", ids["r3"], answered)
        write_row(
            session,
            "visit_review",
            visit_review_id(ids["v1"]),
            {
                "visit_id": str(ids["v1"]),
                "rating": "good",
                "reviewed_at": "2026-12-02T01:00:00",
            },
        )
    board = _board(sessions)
    grids = {g.grid: (g.visits, g.satisfaction, g.complaints) for g in board.grids}
    assert grids == {"东": (3, 4.0, 4), "西": (1, None, 0)}
    teams = {t.team: (t.on_time, t.late, t.overdue, t.open) for t in board.teams}
    assert teams["电费管理中心"] == (1, 2, 0, 0)
    assert board.waiting_reviews == 3
    coverage = {c.manager: (c.customers, c.overdue, c.never) for c in board.coverage}
    assert coverage == {"王经理": (4, 2, 1)}
    queue = _queue(sessions)
    assert ids["v1"] not in {item.visit_id for item in queue.items}
    assert [item.customer for item in queue.items] == ["华南", "江北", "江南"]
    # The same figures from scratch.
    with sessions.begin() as session:
        desk_facts.rebuild(session.connection(), today=TODAY)
        again = desk.dashboard(session, TODAY)
    assert again.grids == board.grids and again.teams == board.teams
    assert again.coverage == board.coverage and again.waiting_reviews == 3


def _queue(sessions: Any) -> desk.ReviewQueue:
    with sessions.begin() as session:
        return desk.review_queue(session)


def test_customers_are_found_by_name_or_account_number(world) -> None:
    with world["sessions"].begin() as session:
        desk.refresh(session, TODAY)
        hits = desk.find_customers(session, "华")
        assert [h.name for h in hits] == ["华东", "华北", "华南"]
        number = hits[0].account_no
        (hit,) = desk.find_customers(session, number)
        assert (hit.name, hit.grid, hit.manager) == ("华东", "东", "王经理")
        assert desk.find_customers(session, "%") == []


def test_the_cli_rebuilds_the_figures_before_the_first_page_view(world, capsys) -> None:
    """``keyacct-server desk-facts rebuild`` after an upgrade: the page view that follows
    finds the figures at the newest version and reads nothing more."""
    from keyacct_desktop.server import cli

    with world["sessions"].begin() as session:
        before = desk.dashboard(session, TODAY)
        session.execute(desk_facts._STATE.delete())  # as after migration s0008: no figures
        session.execute(desk_facts._MONTH.delete())
    assert cli.main(["--database", world["url"], "desk-facts", "status"]) == 0
    assert "versions behind" in capsys.readouterr().out
    assert cli.main(["--database", world["url"], "desk-facts", "rebuild"]) == 0
    assert "5 customers, 5 visits, 5 referrals" in capsys.readouterr().out
    assert cli.main(["--database", world["url"], "desk-facts", "status"]) == 0
    assert "up to date" in capsys.readouterr().out
    with world["sessions"].begin() as session:
        assert desk_facts.refresh(session.connection(), TODAY) == 0  # nothing left to read
        after = desk.dashboard(session, TODAY)
    assert (after.grids, after.teams, after.coverage) == (
        before.grids,
        before.teams,
        before.coverage,
    )


def test_complaints_count_by_the_month_they_were_registered(world) -> None:
    """A complaint registered on the web on 30 September falls due in October (the National
    Day holidays): it counts in September; one raised on a visit without ``registered_on``
    (made before device migration 0017) counts in its visit's month."""
    sessions, ids = world["sessions"], world["ids"]
    before = _board(sessions)
    months = dict(zip(before.months, before.complaints_by_month, strict=True))
    with sessions.begin() as session:
        specialist = create_account(session, "zy", "password-1", "specialist", "赵专员")
        account_id = specialist.id
    with sessions.begin() as session:
        referral_id = desk.register_request(
            session,
            account_id,
            ids["华南"],
            "complaint",
            "billing",
            "电费",
            today=date(2026, 9, 30),
        )
        old = _referral(ids["华北"], "connection", "complaint", "2026-12-20", None)
        old["visit_id"] = str(ids["v1"])  # visited 2026-10-20, no registered_on
        write_row(session, "referral", uuid.uuid4(), old)
    with sessions.begin() as session:
        data = session.get(desk.SyncRow, ("referral", referral_id)).data
    assert data["registered_on"] == "2026-09-30" and data["due_on"] >= "2026-10-01"
    after = _board(sessions)
    counted = dict(zip(after.months, after.complaints_by_month, strict=True))
    assert counted["2026-09"] == months["2026-09"] + 1
    assert counted["2026-10"] == months["2026-10"] + 1  # the visit's month
    assert counted["2026-12"] == months["2026-12"]  # not the due months
    with sessions.begin() as session:  # and a rebuild agrees
        desk_facts.rebuild(session.connection(), today=TODAY)
        assert desk.dashboard(session, TODAY).complaints_by_month == after.complaints_by_month


def test_a_grid_limited_specialist_sees_only_their_grids(world, capsys) -> None:
    """Limited to grid 西: no report, review, customer or complaint of grid 东."""
    from keyacct_desktop.server import cli
    from keyacct_desktop.server.account_grids import grids_of, set_grids

    sessions, ids = world["sessions"], world["ids"]
    with sessions.begin() as session:
        west = create_account(session, "zy-west", "password-1", "specialist", "西区专员").id
        with pytest.raises(ValueError, match="only specialist and supervisor"):
            set_grids(session, "wang", ["东"])
        with pytest.raises(ValueError, match="no grid named"):
            set_grids(session, "zy-west", ["北"])
    assert cli.main(["--database", world["url"], "set-grids", "zy-west", "西"]) == 0
    assert "zy-west: grids 西" in capsys.readouterr().out
    with sessions.begin() as session:
        limit = grids_of(session, west)
        assert limit == (ids["西"],)
        desk.refresh(session, TODAY)
        everyone = desk.dashboard(session, TODAY)
        board = desk.dashboard(session, TODAY, limit)
        queue = desk.review_queue(session, grids=limit)
        assert {item.grid for item in queue.items} == {"西"} and queue.items
        assert desk.report(session, ids["v2"], limit) is None  # 华南 is in 东
        assert desk.report(session, ids["v2"]) is not None
        with pytest.raises(LookupError):
            desk.save_review(session, west, ids["v2"], "good", "", grids=limit)
        assert {h.grid for h in desk.find_customers(session, "华", grids=limit)} <= {"西"}
        with pytest.raises(desk.UserError):
            desk.register_request(
                session, west, ids["华东"], "complaint", "billing", "x", grids=limit
            )
    assert [g.grid for g in board.grids] == ["西"] and board.scope == ["西"]
    east = next(g for g in everyone.grids if g.grid == "东")
    assert sum(board.complaints_by_month) == sum(everyone.complaints_by_month) - east.complaints
    assert {c.manager for c in board.coverage} <= {"李经理"}
    assert sum(t.total for t in board.teams) < sum(t.total for t in everyone.teams)
    assert cli.main(["--database", world["url"], "set-grids", "zy-west"]) == 0
    assert "every grid" in capsys.readouterr().out
