"""The work calendar as a synced table (issue 17): an administrator edits it once on the
server with ``keyacct-server calendar``; every laptop downloads it at its sync and counts
its deadlines with it, over the bundled ``resources/calendar`` files (the fallback)."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from keyacct_desktop.domain.workdays import ESTIMATED_MARK
from keyacct_desktop.printing.base import Letterhead
from keyacct_desktop.printing.documents import render_checklist
from keyacct_desktop.server.cli import main
from keyacct_desktop.services.checklists import ChecklistService
from keyacct_desktop.store.calendar import work_calendar
from keyacct_desktop.store.models import WorkCalendarYear, calendar_year_id
from keyacct_desktop.sync.push import refusal_code
from tests.sync_helpers import PASSWORD, Device, ServerProcess, api_sign_in, wire_op
from tests.test_deadlines import make_customer

ACCEPTED = date(2026, 12, 28)  # HV single source: 15 working days run into January 2027
ISSUED = datetime(2026, 12, 28, 9, 0)


def reply_deadline(service: ChecklistService, checklist_id):  # type: ignore[no-untyped-def]
    view = service.view(checklist_id, today=ACCEPTED)
    (reply,) = [i for i in view.items if i.kind == "limit" and "供电方案答复" in i.text]
    assert reply.limit is not None
    return view, reply.limit


def test_an_administrators_change_reaches_the_laptop_and_moves_a_deadline(
    ctx, tmp_path: Path, capsys, monkeypatch
) -> None:
    server = ServerProcess(f"sqlite:///{tmp_path / 'server.sqlite3'}")

    def admin(*args: str) -> str:
        """``keyacct-server calendar …`` (its main, in this process: no interpreter start)."""
        capsys.readouterr()
        assert main(["--database", server.database, "calendar", *args]) == 0
        return capsys.readouterr().out

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["--database", server.database, "create-user", "admin", "--role", "admin"]) == 0
    server.start()
    laptop = Device.sign_in(server, tmp_path, "laptop", "admin")
    laptop.store.close()
    laptop.store = ctx.store  # the app's own store syncs
    try:
        customer_id = make_customer(ctx, voltage=10, sources=1)
        service = ChecklistService(ctx.store, ctx.settings)
        checklist_id = service.draft(customer_id, "hv_new", ACCEPTED)
        service.issue(checklist_id, now=ISSUED)
        laptop.sync()
        # bundled fallback: 2027 is an estimate (元旦 off, no 调休), printed as such
        _, before = reply_deadline(service, checklist_id)
        assert before.deadline == date(2027, 1, 19) and before.estimated

        # the administrator publishes 2027: 1月4日 off, then marks the year official
        admin("set", "2027-01-04", "holiday")
        listed = admin("status", "2027", "official")
        assert "official" in listed
        assert reply_deadline(service, checklist_id)[1].deadline == before.deadline  # not yet

        report = laptop.sync()
        assert report is not None
        with ctx.store.read() as session:
            row = session.get(WorkCalendarYear, calendar_year_id(2027))
            assert row is not None and row.status == "official"
            assert "2027-01-04" in row.holidays and "2027-01-01" in row.holidays
        view, after = reply_deadline(service, checklist_id)
        assert after.deadline == date(2027, 1, 20) and not after.estimated
        pdf = tmp_path / "checklist.pdf"
        render_checklist(view, Letterhead(), pdf)
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.replace(" ", "")
        assert "截止2027-01-20" in text and ESTIMATED_MARK not in text

        # unsetting the day on the server moves it back at the next sync
        admin("unset", "2027-01-04")
        laptop.sync()
        assert reply_deadline(service, checklist_id)[1].deadline == date(2027, 1, 19)
        listing = admin("list")
        assert "2027  official" in listing and "server v" in listing
        assert "2026  official" in listing and "bundled" in listing

        # a supervisor's laptop cannot rewrite the province's calendar
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert (
            main(["--database", server.database, "create-user", "zhu", "--role", "supervisor"]) == 0
        )
        supervisor = api_sign_in(server, "zhu", "office-pc")
        (answer,) = supervisor.push(
            [wire_op("work_calendar", calendar_year_id(2027), {"year": 2027, "status": "official"})]
        )
        supervisor.close()
        assert answer["status"] == "rejected" and refusal_code(answer) == "forbidden_table"
    finally:
        laptop.api.close()
        server.stop()


def test_import_from_json_and_csv_and_refusals(tmp_path: Path) -> None:
    from keyacct_desktop.server import calendar

    (tmp_path / "cn-2028.json").write_text(
        json.dumps({"year": 2028, "status": "official", "holidays": ["2028-01-03"]}), "utf-8"
    )
    parsed = calendar.parse_file(tmp_path / "cn-2028.json")
    assert parsed.official and parsed.holidays == {date(2028, 1, 3)}
    csv_file = tmp_path / "2028.csv"
    csv_file.write_text("日期,类型\n2028-01-03,休\n2028-01-08,班\n", "utf-8")
    parsed = calendar.parse_file(csv_file, status="estimated")
    assert parsed.year == 2028 and parsed.status == "estimated"
    assert parsed.extra_workdays == {date(2028, 1, 8)}
    csv_file.write_text("2028-01-03,maybe\n", "utf-8")
    with pytest.raises(ValueError, match="line 1"):
        calendar.parse_file(csv_file)
    with pytest.raises(ValueError, match="not 2029"):
        calendar.parse_file(tmp_path / "cn-2028.json", year=2029)


def test_setting_a_day_of_a_year_nobody_entered_keeps_its_festivals(tmp_path: Path) -> None:
    """2030 is neither bundled nor on the server: one day set there starts from the estimate
    (春节 and the other festivals), not from an empty year."""
    from keyacct_desktop.server import calendar
    from keyacct_desktop.server.db import migrate_server, server_engine, session_factory

    engine = server_engine(f"sqlite:///{tmp_path / 's.sqlite3'}")
    migrate_server(engine)
    with session_factory(engine).begin() as session:
        year = calendar.set_day(session, date(2030, 1, 2), "holiday")
    engine.dispose()
    assert year.status == "estimated" and date(2030, 1, 2) in year.holidays
    assert date(2030, 2, 4) in year.holidays and date(2030, 10, 1) in year.holidays  # 春节, 国庆


def test_a_synced_estimated_year_still_says_so(ctx) -> None:
    """A year the server marks estimated replaces the bundled file but stays an estimate."""
    with ctx.store.begin() as session:
        session.add(
            WorkCalendarYear(
                id=calendar_year_id(2027),
                year=2027,
                status="estimated",
                holidays=["2027-01-01"],
                extra_workdays=[],
            )
        )
    calendar = work_calendar(ctx.store, ctx.settings)
    assert not calendar.is_official(2027) and calendar.is_official(2026)
    assert calendar.is_workday(date(2027, 2, 8))  # the server's year replaced the bundled one
    assert calendar.deadline(ACCEPTED, 15).estimated
