"""Issue 14 on the laptop: one bad row never stops sync, refused work is never dropped.

Real stores (SQLite files) and, where the scenario involves the server, a real
``keyacct-server`` process on loopback driven through the CLI as a user would.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from keyacct_desktop import cli
from keyacct_desktop.context import AppContext
from keyacct_desktop.protocol.codec import row_to_data
from keyacct_desktop.store.db import Store, open_store
from keyacct_desktop.store.local import PendingChange, SyncInbox, SyncRefused, SyncSetAside
from keyacct_desktop.store.models import Contact, Customer, Grid, Park, SyncConflict, User
from keyacct_desktop.sync import api as sync_api
from keyacct_desktop.sync import client, review
from keyacct_desktop.sync import pull as sync_pull
from keyacct_desktop.sync import state as sync_state
from keyacct_desktop.sync.account import SyncAccount
from tests.sync_helpers import PASSWORD, Device, ServerProcess

# --------------------------------------------------------------------------- pulled rows


def _pulled(store: Store, *rows: tuple[str, uuid.UUID, int, bool, dict[str, Any]]) -> None:
    """Put rows into the inbox exactly as a pull page stores them."""
    with store.begin() as session:
        session.execute(
            insert(SyncInbox),
            [
                {"table_name": t, "row_id": i, "version": v, "deleted": d, "data": data}
                for t, i, v, d, data in rows
            ],
        )


def _customer_data(customer_id: uuid.UUID, account_no: str, **extra: Any) -> dict[str, Any]:
    data = row_to_data(Customer(id=customer_id, account_no=account_no, name="远方客户"))
    data.update(
        overdue_count=0,
        overdue_days_max=0,
        violation_count=0,
        high_energy=False,
        operating_trouble=False,
        pool_status="pooled",
        status="active",
    )
    data.update(extra)
    return data


def _contact_data(contact_id: uuid.UUID, customer_id: uuid.UUID, name: str) -> dict[str, Any]:
    data = row_to_data(Contact(id=contact_id, customer_id=customer_id, name=name))
    data.update(is_primary=False, role="general")
    return data


def _count(store: Store, model: Any) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_row_whose_parent_is_missing_is_set_aside_and_applied_when_the_parent_arrives(
    store: Store,
) -> None:
    """Before: one child without its parent failed every sync with FOREIGN KEY constraint failed."""
    park_id, customer_id, contact_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    park = row_to_data(Park(id=park_id, name="高新园区"))
    _pulled(
        store,
        ("park", park_id, 5, False, park),
        ("contact", contact_id, 6, False, _contact_data(contact_id, customer_id, "张敏")),
    )
    sync_pull._apply_inbox(store)
    with store.read() as session:
        assert session.get(Park, park_id) is not None  # the rest applied
        assert session.get(Contact, contact_id) is None
    (aside,) = review.set_aside_rows(store)
    assert (aside.table, aside.code, aside.field) == ("contact", "missing_reference", "customer_id")
    assert aside.reason() == "等待它引用的记录(所属客户)到达本机"
    assert "张敏" not in aside.reason() and "FOREIGN" not in aside.reason()
    assert review.overview(store).set_aside == 1 and _count(store, SyncInbox) == 0

    _pulled(store, ("customer", customer_id, 7, False, _customer_data(customer_id, "3100000001")))
    sync_pull._apply_inbox(store)  # the next sync: the parent arrives, the child follows
    with store.read() as session:
        assert session.get(Contact, contact_id).customer_id == customer_id
    assert review.set_aside_rows(store) == [] and review.overview(store).set_aside == 0
    assert _count(store, PendingChange) == 0  # applying pulled rows queues nothing


def test_a_pulled_customer_with_a_local_customers_account_no_is_set_aside(store: Store) -> None:
    """Before: UNIQUE constraint failed: customer.account_no, for good, on every sync."""
    with store.begin() as session:
        session.add(Customer(account_no="3100000002", name="本机录入的客户"))
    theirs, other_park = uuid.uuid4(), uuid.uuid4()
    _pulled(
        store,
        ("customer", theirs, 9, False, _customer_data(theirs, "3100000002")),
        ("park", other_park, 10, False, row_to_data(Park(id=other_park, name="滨江园区"))),
    )
    sync_pull._apply_inbox(store)
    (aside,) = review.set_aside_rows(store)
    assert (aside.table, aside.code, aside.field) == ("customer", "duplicate_key", "account_no")
    assert "户号" in aside.reason() and "3100000002" not in aside.reason()
    with store.read() as session:
        assert session.get(Park, other_park) is not None
        assert session.get(Customer, theirs) is None


def test_values_the_store_cannot_hold_are_set_aside(store: Store) -> None:
    """An integer beyond 64 bits or a wrong type never reaches SQLite."""
    big, wrong = uuid.uuid4(), uuid.uuid4()
    _pulled(
        store,
        ("customer", big, 3, False, _customer_data(big, "3100000003", overdue_count=2**70)),
        ("customer", wrong, 4, False, _customer_data(wrong, "3100000004", name=17)),
    )
    sync_pull._apply_inbox(store)
    reasons = {row.row_id: (row.code, row.field) for row in review.set_aside_rows(store)}
    assert reasons == {
        big: ("invalid_value", "overdue_count"),
        wrong: ("invalid_value", "name"),
    }
    assert review.set_aside_rows(store)[0].reason().startswith("内容不符合本机的格式")


def test_a_tombstone_never_removes_a_row_with_a_pending_edit(store: Store) -> None:
    """An edit made while a pull downloads (rows already in the inbox) does not vanish."""
    with store.begin() as session:
        customer = Customer(account_no="3100000005", name="华东精密")
        customer.contacts.append(Contact(name="李娜"))
        session.add(customer)
    with store.begin() as session:
        session.execute(PendingChange.__table__.delete())  # as if pushed and agreed
        contact_id = session.scalars(select(Contact.id)).one()
    _pulled(store, ("customer", customer.id, 20, True, {}))  # deleted elsewhere, downloading…
    with store.begin() as session:  # …while the manager edits a contact of that customer
        session.get(Contact, contact_id).mobile = "13911112222"
    assert sync_state.pending_count(store) == 1
    sync_pull._apply_inbox(store)
    with store.read() as session:
        assert session.get(Customer, customer.id) is not None
        assert session.get(Contact, contact_id).mobile == "13911112222"
    assert sync_state.pending_count(store) == 1  # still to be pushed: the server revives the row


def test_a_conflict_record_outlives_its_customer(store: Store) -> None:
    with store.begin() as session:
        customer = Customer(account_no="3100000006", name="江南化工")
        session.add(customer)
        session.flush()
        session.add(
            SyncConflict(
                table_name="customer",
                row_id=customer.id,
                customer_id=customer.id,
                field_name="notes",
                kept_value=None,
                lost_value="办公室的备注",
                detected_at=datetime(2026, 11, 20, 9, 0),
            )
        )
    with store.begin() as session:
        session.delete(session.get(Customer, customer.id))
    assert _count(store, SyncConflict) == 1


# --------------------------------------------------------------------------- with a server


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def server(request, tmp_path_factory) -> Iterator[ServerProcess]:  # type: ignore[no-untyped-def]
    """A real server on an embedded SQLite store, and on PostgreSQL (pgserver)."""
    if request.param == "postgresql":
        postgres = request.getfixturevalue("postgres_server")
        name = f"keyacct_{uuid.uuid4().hex[:10]}"
        postgres.psql(f'CREATE DATABASE "{name}";')
        database = postgres.get_uri().replace("/postgres?", f"/{name}?", 1)
    else:
        database = f"sqlite:///{tmp_path_factory.mktemp('server') / 'server.sqlite3'}"
    process = ServerProcess(database)
    process.create_user("super", "supervisor")
    process.create_user("wang", "manager")
    process.start()
    yield process
    process.stop()


def _login(monkeypatch, data_dir: Path, server: ServerProcess, username: str) -> list[str]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KEYACCT_PASSPHRASE", "laptop test passphrase")  # sync encrypts the store
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    base = ["--data-dir", str(data_dir)]
    assert cli.main([*base, "sync", "login", server.url, username, "--password-stdin"]) == 0
    return base


def test_a_refused_new_customer_is_kept_fixed_and_resent_with_everything_attached(
    server: ServerProcess, tmp_path: Path, monkeypatch, capsys
) -> None:
    """A manager creates a customer offline without a grid, visits it, takes a signature,
    refers two demands and issues a checklist. The server refuses the customer and so all
    of it; nothing is lost: the manager picks the grid and resends, and it all arrives."""
    from keyacct_desktop.services.checklists import ChecklistService
    from keyacct_desktop.services.customer_profile import ProfileForm, ProfileService
    from keyacct_desktop.services.visits import VisitLogService
    from keyacct_desktop.store.models import (
        Attachment,
        Checklist,
        ChecklistItem,
        Referral,
        ReferralEvent,
        Visit,
    )
    from tests.test_visits import full_form

    office = Device.sign_in(server, tmp_path, "office", "super")
    office.sync()
    with office.store.read() as session:
        wang_id = session.scalar(select(User.id).where(User.username == "wang"))
    grid = Grid(name=f"王的网格-{uuid.uuid4().hex[:6]}", manager_id=wang_id)
    with office.store.begin() as session:
        session.add(grid)
    office.sync()

    data_dir = tmp_path / "wang"
    data_dir.mkdir()
    base = _login(monkeypatch, data_dir, server, "wang")
    assert cli.main([*base, "sync"]) == 0
    capsys.readouterr()

    ctx = AppContext.open(data_dir)
    profile = ProfileService(ctx.store)
    form = ProfileForm(account_no="3108880001", name="临港新材料有限公司", voltage_kv=10.0)
    customer_id = profile.save(form)  # grid and manager left at "(none)", as before the fix
    files = ctx.attachment_files
    visit_id = VisitLogService(ctx.store, ctx.settings, files).save(
        full_form(customer_id, files), today=date(2026, 11, 20)
    )
    documents = ChecklistService(ctx.store, ctx.settings)
    checklist = documents.issue(documents.draft(customer_id, "close", date(2026, 11, 20)))
    ctx.close()

    assert cli.main([*base, "sync"]) == 1  # refused: a clear message, no traceback
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "服务器拒绝了" in out.err
    assert cli.main([*base, "sync", "status"]) == 0
    status = capsys.readouterr().out
    assert "客户经理只能在自己的网格中新建客户" in status
    assert "临港新材料有限公司" in status  # the user's own record, by name
    ctx = AppContext.open(data_dir)
    refused = review.rejected_changes(ctx.store)
    kinds = {r.table for r in refused}
    # (a server before issue 14 even stored the orphaned referral events and checklist items)
    assert {"customer", "visit", "attachment", "referral", "checklist"} <= kinds
    root = next(r for r in refused if r.table == "customer")
    assert root.code == "grid_required" and root.created
    assert all(r.cause is not None for r in refused if r.table != "customer")
    assert review.overview(ctx.store).pending == 0  # nothing queued that would fail again
    with ctx.store.read() as session:  # everything is still on this laptop
        assert session.get(Customer, customer_id) is not None
        assert session.get(Visit, visit_id).signature_id is not None

    fixed = ProfileService(ctx.store).load(customer_id)
    fixed.grid_id, fixed.manager_id = grid.id, wang_id
    ProfileService(ctx.store).save(fixed)  # the manager picks the grid in the editor
    ctx.close()
    assert cli.main([*base, "sync"]) == 1  # the fix waits with the refusal until resent
    assert "上传 pushed 0" in capsys.readouterr().out
    assert cli.main([*base, "sync", "resend", str(customer_id)[:8]]) == 0
    assert "已重新排队" in capsys.readouterr().out
    assert cli.main([*base, "sync"]) == 0
    assert cli.main([*base, "sync", "status"]) == 0
    status = capsys.readouterr().out
    assert "被拒绝待处理 / refused, needing attention: 0" in status

    office.sync()
    with office.store.read() as session:
        arrived = session.get(Customer, customer_id)
        assert arrived is not None and arrived.grid_id == grid.id
        assert session.get(Visit, visit_id).signature_id is not None
        assert session.get(Attachment, session.get(Visit, visit_id).signature_id) is not None
        referrals = session.scalars(select(Referral).where(Referral.customer_id == customer_id))
        referral_ids = [r.id for r in referrals]
        assert len(referral_ids) == 2
        events = session.scalars(
            select(ReferralEvent).where(ReferralEvent.referral_id.in_(referral_ids))
        ).all()
        assert len(events) == 2
        assert session.get(Checklist, checklist.id).number == checklist.number
        assert session.scalar(
            select(func.count())
            .select_from(ChecklistItem)
            .where(ChecklistItem.checklist_id == checklist.id)
        )
    office.close()


def test_discarding_a_refused_new_record_asks_and_removes_only_that(
    server: ServerProcess, tmp_path: Path, monkeypatch, capsys
) -> None:
    data_dir = tmp_path / "wang"
    data_dir.mkdir()
    base = _login(monkeypatch, data_dir, server, "wang")
    ctx = AppContext.open(data_dir)
    with ctx.store.begin() as session:
        customer = Customer(account_no="3108880002", name="误录客户")
        customer.contacts.append(Contact(name="赵强"))
        session.add(customer)
    ctx.close()
    assert cli.main([*base, "sync"]) == 1
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert cli.main([*base, "sync", "discard", str(customer.id)[:8]]) == 1
    assert "未放弃" in capsys.readouterr().out
    assert cli.main([*base, "sync", "discard", str(customer.id)[:8], "--yes"]) == 0
    assert "已放弃 2 项" in capsys.readouterr().out
    ctx = AppContext.open(data_dir)
    with ctx.store.read() as session:
        assert session.get(Customer, customer.id) is None
        assert session.scalars(select(Contact).where(Contact.name == "赵强")).all() == []
    assert review.overview(ctx.store).pending == 0 and review.rejected_changes(ctx.store) == []
    ctx.close()


def test_logout_counts_everything_that_exists_only_on_this_laptop(
    server: ServerProcess, tmp_path: Path, monkeypatch, capsys
) -> None:
    data_dir = tmp_path / "wang"
    data_dir.mkdir()
    base = _login(monkeypatch, data_dir, server, "wang")
    ctx = AppContext.open(data_dir)
    with ctx.store.begin() as session:
        session.add(Customer(account_no="3108880003", name="未上传的客户"))
        session.add(
            SyncSetAside(
                table_name="contact",
                row_id=uuid.uuid4(),
                version=3,
                deleted=False,
                data={},
                code="missing_reference",
                field_name="customer_id",
            )
        )
        session.add(
            SyncRefused(
                table_name="park",
                row_id=uuid.uuid4(),
                op="upsert",
                code="forbidden_table",
                fields=["name"],
                values={"name": "x"},
            )
        )
    ctx.close()
    capsys.readouterr()
    assert cli.main([*base, "sync", "logout"]) == 0
    out = capsys.readouterr().out
    assert "1 项修改尚未上传到服务器" in out
    assert "1 项修改被服务器拒绝、待处理" in out
    assert "1 条下载的记录尚未在本机应用" in out
    assert "均已同步" not in out
    assert not SyncAccount(data_dir, AppContext.open(data_dir).settings).signed_in


def test_a_managers_new_customer_defaults_to_their_own_grid(store: Store) -> None:
    from keyacct_desktop.services.customer_profile import check, new_form

    with store.begin() as session:
        me = User(username="wang", display_name="王经理", role="manager")
        boss = User(username="zhao", display_name="赵主管", role="supervisor")
        session.add_all([me, boss])
        session.flush()
        session.add_all(
            [Grid(name="B 网格", manager_id=me.id), Grid(name="A 网格", manager_id=me.id)]
        )
    form = new_form(store, "wang")
    with store.read() as session:
        assert session.get(Grid, form.grid_id).name == "A 网格"
    assert form.manager_id == me.id
    assert new_form(store, "zhao").grid_id is None  # supervisors choose themselves
    assert new_form(store, "").grid_id is None
    form.account_no, form.name, form.voltage_kv = "3108880004", "新客户", 10.0
    problems = check(form, store, new_in_pool_needs_note=True)
    assert [p.field for p in problems] == ["pool_note"]
    assert problems[0].zh == "入池前请填写评估意见"
    assert check(form, store) == []  # an imported roster needs no notes


def test_the_customer_editor_preselects_the_managers_grid(
    ctx: AppContext, keyacct_qapp, qtbot
) -> None:
    from keyacct_desktop.gui.customer_editor import CustomerEditor

    with ctx.store.begin() as session:
        me = User(username="wang", display_name="王经理", role="manager")
        session.add(me)
        session.flush()
        session.add(Grid(name="城东网格", manager_id=me.id))
    ctx.settings.set("sync.username", "wang")
    editor = CustomerEditor(ctx)
    qtbot.addWidget(editor)
    assert editor.refs["grid_id"].currentText() == "城东网格"
    assert editor.refs["manager_id"].currentText() == "王经理"
    editor.account_no.setText("3108880005")
    editor.name.setText("城东物流园")
    editor.voltage.setCurrentIndex(editor.voltage.findData(10.0))
    assert not editor.save()
    assert "入池前请填写评估意见" in editor.problems.text()
    editor.pool_note.setText("年用电量 500 万 kWh,建议入池")
    assert editor.save(), editor.problems.text()


def test_a_sync_failure_is_told_in_plain_chinese_without_sql(tmp_path: Path) -> None:
    """Anything unexpected while syncing becomes a SyncError with a plain message; status shows
    the last attempt and error (the details, which may hold SQL, only go to the log)."""
    import httpx

    store = open_store(tmp_path / "laptop.sqlite3")

    def broken(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/push"):
            return httpx.Response(200, json={"results": []})
        return httpx.Response(200, json={"changes": [{"table": "customer"}], "more": False})

    api = sync_api.ServerApi("https://sync.test", "token", transport=httpx.MockTransport(broken))
    with pytest.raises(client.SyncError) as failed:
        client.sync_once(store, api)
    assert "同步未完成" in failed.value.message_zh and "KeyError" in failed.value.message_zh
    state = review.overview(store)
    assert state.last_attempt is not None and state.last_success is None
    assert state.error().startswith("同步未完成") and "customer" not in state.error()
    store.close()


ROSTER_HEADER = (
    "户号,客户名称,统一社会信用代码,所属园区,行业,电压等级,合同容量(kVA),年用电量,联系人,手机"
)


def _roster(path: Path) -> tuple[Path, list[str]]:
    """A small roster as utilities hand it out (CSV, GB18030), with fresh account numbers."""
    base = 3100000000 + uuid.uuid4().int % 10_000_000 * 10
    numbers = [str(base + i) for i in range(3)]
    rows = [
        f"{numbers[0]},钱塘精密制造有限公司,,,C,10,2500,8600000,张敏,13800138000",
        f"{numbers[1]},滨江生物医药有限公司,,,C,10,1600,5200000,李娜,13900139000",
        f"{numbers[2]},临平物流园有限公司,,,G,0.4,630,900000,王强,13700137000",
    ]
    path.write_bytes(("\n".join([ROSTER_HEADER, *rows]) + "\n").encode("gb18030"))
    return path, numbers


def _customers_by_account(data_dir: Path, numbers: list[str]) -> dict[str, uuid.UUID]:
    ctx = AppContext.open(data_dir)
    try:
        with ctx.store.read() as session:
            rows = session.execute(
                select(Customer.account_no, Customer.id).where(Customer.account_no.in_(numbers))
            ).all()
        return {account_no: row_id for account_no, row_id in rows}
    finally:
        ctx.close()


def test_the_same_roster_imported_on_two_laptops_offline_then_every_laptop_syncs(
    server: ServerProcess, tmp_path: Path, monkeypatch, capsys
) -> None:
    """Before: after the second laptop's sync every later sync of both, and the first sync of
    any new laptop, failed for good with UNIQUE constraint failed: customer.account_no."""
    roster, numbers = _roster(tmp_path / "大客户名单.csv")
    laptops = []
    for name in ("a", "b", "c"):
        folder = tmp_path / name
        folder.mkdir()
        laptops.append((folder, _login(monkeypatch, folder, server, "super")))
    for _folder, base in laptops[:2]:  # both import offline, before any sync
        assert cli.main([*base, "import", str(roster)]) == 0
    capsys.readouterr()
    for _folder, base in [laptops[0], laptops[1], laptops[0], laptops[2], laptops[1]]:
        assert cli.main([*base, "sync"]) == 0
        out = capsys.readouterr()
        assert "Traceback" not in out.err and "UNIQUE" not in out.out + out.err
    held = []
    for folder, base in laptops:
        assert cli.main([*base, "sync", "status"]) == 0
        status = capsys.readouterr().out
        assert "上次错误" not in status and "从未" not in status
        assert "被拒绝待处理 / refused, needing attention: 0" in status
        assert "暂存未应用 / downloaded but set aside: 0" in status
        held.append(_customers_by_account(folder, numbers))
        assert sorted(held[-1]) == sorted(numbers)  # each customer once on every laptop
    assert held[0] == held[1] == held[2]  # merged: one id per customer everywhere


def test_the_sync_page_resends_a_refused_group_and_shows_set_aside_rows(
    ctx: AppContext, keyacct_qapp, qtbot, tmp_path: Path
) -> None:
    from keyacct_desktop.gui.main_window import MainWindow

    with ctx.store.begin() as session:
        customer = Customer(account_no="3108880007", name="未划网格的客户")
        customer.contacts.append(Contact(name="周洁"))
        session.add(customer)
    with ctx.store.begin() as session:  # as the client keeps a refused group
        session.execute(PendingChange.__table__.delete())
        contact_id = customer.contacts[0].id
        session.add_all(
            [
                SyncRefused(
                    table_name="customer",
                    row_id=customer.id,
                    op="upsert",
                    created=True,
                    fields=["account_no", "grid_id", "name"],
                    values={"account_no": "3108880007", "name": "未划网格的客户", "grid_id": None},
                    code="grid_required",
                    error_fields=["grid_id"],
                    message_zh="客户经理只能在自己的网格中新建客户",
                    seq=1,
                ),
                SyncRefused(
                    table_name="contact",
                    row_id=contact_id,
                    op="upsert",
                    created=True,
                    fields=["name"],
                    values={"name": "周洁"},
                    code="parent_refused",
                    cause_table="customer",
                    cause_id=customer.id,
                    seq=2,
                ),
                SyncSetAside(
                    table_name="visit",
                    row_id=uuid.uuid4(),
                    version=12,
                    deleted=False,
                    data={"purpose": "不应显示的客户内容"},
                    code="missing_reference",
                    field_name="customer_id",
                ),
            ]
        )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.show_page("sync")
    assert page.tabs.tabText(2) == "待处理(2)" and page.tabs.tabText(3) == "暂存(1)"
    first = [page.rejected_model.index(0, c).data() for c in range(5)]
    assert first[:3] == ["客户档案", "未划网格的客户", "新建"]
    assert "客户经理只能在自己的网格中新建客户" in first[3] and "网格" in first[3]
    assert first[4] == "网格: —"  # the value the server named, as the user left it
    aside = [page.aside_model.index(0, c).data() for c in range(4)]
    second = page.rejected_model.index(1, 3).data()
    assert second == "它所属的记录未被服务器接受,需与之一起处理(随客户档案“未划网格的客户”)"
    assert aside[1] == "走访记录" and "所属客户" in aside[2]
    assert "不应显示" not in " ".join(str(a) for a in aside)
    window.sync_controller.publish()
    label = window.sync_label.text()
    assert "2 项被拒绝的修改待处理" in label and "1 条下载记录暂存" in label
    page.tabs.setCurrentIndex(2)
    page.grab().save(str(tmp_path / "sync-page-needs-attention.png"))

    page.rejected_view.selectRow(1)  # the contact: its customer goes with it
    page.resend_refused()
    assert page.rejected_model.rowCount() == 0 and page.tabs.tabText(2) == "待处理(0)"
    with ctx.store.read() as session:
        queued = session.execute(
            select(PendingChange.table_name, PendingChange.row_id).order_by(PendingChange.seq)
        ).all()
    assert queued == [("customer", customer.id), ("contact", contact_id)]  # parent first
    window.close()


# --------------------------------------------------------------------------- delete meets edit


@pytest.fixture
def pair(server: ServerProcess, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The office laptop and 王's laptop, both holding one customer of 王's grid with a contact."""
    office = Device.sign_in(server, tmp_path, "office", "super")
    wang = Device.sign_in(server, tmp_path, "wang-laptop", "wang")
    office.sync()
    grid = Grid(name=f"王的网格-{uuid.uuid4().hex[:6]}", manager_id=wang.user_id)
    customer = Customer(
        account_no=f"31099{uuid.uuid4().int % 10**5:05d}", name="华东精密", grid=grid
    )
    customer.contacts.append(Contact(name="张敏", mobile="13800138000"))
    with office.store.begin() as session:
        session.add_all([grid, customer])
    office.sync()
    wang.sync()
    yield {
        "office": office,
        "wang": wang,
        "customer": customer.id,
        "contact": customer.contacts[0].id,
    }
    office.close()
    wang.close()


def _get(device: Device, model: Any, row_id: uuid.UUID) -> Any:
    with device.store.read() as session:
        return session.get(model, row_id)


def _deleted_conflicts(device: Device, row_id: uuid.UUID) -> list[SyncConflict]:
    with device.store.read() as session:
        return list(
            session.scalars(
                select(SyncConflict).where(
                    SyncConflict.row_id == row_id, SyncConflict.field_name == "__deleted__"
                )
            )
        )


def test_an_edit_reaching_the_server_after_a_delete_revives_the_record(pair) -> None:
    office, wang = pair["office"], pair["wang"]
    with office.store.begin() as session:
        session.delete(session.get(Customer, pair["customer"]))
    office.sync()
    with wang.store.begin() as session:  # offline: 王 has not heard of the delete
        session.get(Contact, pair["contact"]).mobile = "13911112222"
    wang.sync()
    office.sync()
    for device in (office, wang):
        assert _get(device, Customer, pair["customer"]) is not None
        assert _get(device, Contact, pair["contact"]).mobile == "13911112222"
        assert review.overview(device.store).set_aside == 0
    assert _deleted_conflicts(office, pair["contact"]) or _deleted_conflicts(
        office, pair["customer"]
    )  # "deleted on … by …, edited on … by …", for the office to resolve


def test_a_delete_reaching_the_server_after_an_edit_keeps_the_record(pair) -> None:
    office, wang = pair["office"], pair["wang"]
    with wang.store.begin() as session:
        session.get(Customer, pair["customer"]).notes = "走访后补充:扩产计划"
    wang.sync()
    with office.store.begin() as session:  # offline: the office has not seen the edit
        session.delete(session.get(Customer, pair["customer"]))
    office.sync()
    office.sync()
    wang.sync()
    for device in (office, wang):
        kept = _get(device, Customer, pair["customer"])
        assert kept is not None and kept.notes == "走访后补充:扩产计划"
        assert _get(device, Contact, pair["contact"]) is not None  # its contact came back too
    assert _deleted_conflicts(office, pair["customer"])
    (shown,) = [c for c in review.conflicts(office.store) if c.row_id == pair["customer"]]
    assert review.field_label(shown.field) == "删除与修改同时发生"
    assert review.show_value(shown.lost_value) == "删除:super @ office"
    assert review.show_value(shown.kept_value) == "修改:wang @ wang-laptop"
    review.restore_lost(office.store, shown.id)  # the office deletes it after all, knowingly
    office.sync()
    wang.sync()
    assert _get(wang, Customer, pair["customer"]) is None
    assert review.conflicts(office.store) == [] or all(
        c.row_id != pair["customer"] for c in review.conflicts(office.store)
    )


def test_an_edit_made_while_a_pull_downloads_a_remote_delete_is_kept(pair) -> None:
    """The delete is already in the inbox (the pull stopped before applying it) when the
    manager edits the record: the edit neither vanishes nor drops the pending count to 0."""
    office, wang = pair["office"], pair["wang"]
    with office.store.begin() as session:
        session.delete(session.get(Customer, pair["customer"]))
    office.sync()
    sync_pull._fetch_into_inbox(wang.store, wang.api, client.TaskState(), sync_state.SyncReport())
    assert _count(wang.store, SyncInbox) > 0
    with wang.store.begin() as session:
        session.get(Contact, pair["contact"]).mobile = "13922223333"
    assert sync_state.pending_count(wang.store) == 1
    sync_pull._apply_inbox(wang.store)
    assert sync_state.pending_count(wang.store) == 1
    assert _get(wang, Contact, pair["contact"]).mobile == "13922223333"
    wang.sync()
    office.sync()
    assert _get(office, Contact, pair["contact"]).mobile == "13922223333"
    assert _get(wang, Customer, pair["customer"]) is not None


def test_signing_out_on_the_sync_page_says_what_exists_only_here(
    server: ServerProcess, data_dir: Path, keyacct_qapp, qtbot, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from keyacct_desktop.gui.main_window import MainWindow

    ctx = AppContext.open(data_dir)
    SyncAccount(ctx.data_dir, ctx.settings).sign_in(server.url, "wang", PASSWORD, "测试笔记本")
    with ctx.store.begin() as session:
        session.add(Park(name=f"未上传园区-{uuid.uuid4().hex[:6]}"))
        session.add(
            SyncRefused(
                table_name="customer",
                row_id=uuid.uuid4(),
                op="upsert",
                created=True,
                code="grid_required",
                fields=["grid_id"],
                values={},
            )
        )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.sync_controller.stop()  # no background sync during the test
    page = window.show_page("sync")
    asked: list[str] = []

    def answer(button):  # type: ignore[no-untyped-def]
        def question(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
            asked.append(text)
            return button

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    page.sign_out()
    assert "1 项修改尚未上传到服务器" in asked[0]
    assert "1 项修改被服务器拒绝、待处理" in asked[0]
    assert window.sync_controller.account.signed_in  # "no": nothing happened
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    page.sign_out()
    assert not window.sync_controller.account.signed_in
    assert review.local_only(ctx.store).total == 2  # signing out keeps the work on this laptop
    window.close()
    ctx.close()


def test_a_refused_request_never_echoes_customer_data_in_the_message(
    server: ServerProcess, tmp_path: Path
) -> None:
    """The server's 422 body repeats what was sent; the manager's message names only the
    status and code (the body goes to the log)."""
    device = Device.sign_in(server, tmp_path, "laptop", "wang")
    malformed = {
        "op_id": "not-a-uuid",
        "table": "customer",
        "id": str(uuid.uuid4()),
        "op": "upsert",
        "base_version": 0,
        "fields": {"name": "机密客户名称有限公司"},
    }
    with pytest.raises(client.SyncError) as refused:
        device.api.push([malformed])
    for text in (refused.value.message_zh, refused.value.message_en):
        assert "机密客户名称" not in text and "422" in text
    assert "本机的修改都还保留" in refused.value.message_zh
    device.close()
