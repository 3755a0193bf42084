"""The web console driven in a real headless Chromium (Debian's /usr/bin/chromium through
Playwright) against a real ``keyacct-server`` on loopback, with laptops syncing beside it.

Set ``KEYACCT_CONSOLE_SCREENSHOTS=docs/images/console`` to save every page at 1366×768 and
390×844 while the tests run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select

from keyacct_desktop.server import accounts
from keyacct_desktop.server.db import migrate_server, server_engine, session_factory
from keyacct_desktop.server.models import SyncRow
from keyacct_desktop.services.referrals import NewReferral, ReferralService
from keyacct_desktop.services.visits import DemandForm, VisitForm, VisitLogService
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.models import (
    Customer,
    Grid,
    Referral,
    ReferralEvent,
    SyncConflict,
)
from tests.sync_helpers import PASSWORD, Device, ServerProcess

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
FONTS = Path(__file__).resolve().parent.parent / "resources" / "fonts"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
SHOTS = os.environ.get("KEYACCT_CONSOLE_SCREENSHOTS")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("console-browser")
    database = f"sqlite:///{folder / 'server.sqlite3'}"
    engine = server_engine(database)
    migrate_server(engine)
    with session_factory(engine).begin() as session:  # in-process: no CLI start-up per user
        accounts.create_account(session, "super", PASSWORD, "supervisor", "主管")
        accounts.create_account(session, "wang", PASSWORD, "manager", "王伟")
        accounts.create_account(session, "yk", PASSWORD, "team", "业扩张工", "connection")
        accounts.create_account(session, "df", PASSWORD, "team", "电费李工", "billing")
    engine.dispose()
    process = ServerProcess(database)
    process.start(patience=120)  # the machine may be busy with other suites
    office = Device.sign_in(process, folder, "office", "super")
    wang = Device.sign_in(process, folder, "wang-laptop", "wang")
    office.sync()
    grid = Grid(name="高新区网格", manager_id=wang.user_id)
    customer = Customer(
        account_no="3100000001", name="华东精密制造有限公司", address="高新区科技路 8 号", grid=grid
    )
    other = Customer(account_no="3100000002", name="东海化工有限公司", grid=grid)
    with office.store.begin() as session:
        session.add_all([grid, customer, other])
    office.sync()
    wang.sync()
    yield {"process": process, "wang": wang, "customer": customer.id, "other": other.id}
    for device in (office, wang):
        device.close()
    process.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    folder = tmp_path_factory.mktemp("fonts")
    config = folder / "fonts.conf"  # the bundled CJK font, so screenshots show Chinese
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{FONTS}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu"],
            env={**os.environ, "FONTCONFIG_FILE": str(config)},
        )
        yield chromium
        chromium.close()


def signed_in(browser: Any, world: dict[str, Any], username: str) -> Any:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{world['process'].url}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def shoot(page: Any, name: str) -> None:
    """Save the page at both sizes (only when asked for: KEYACCT_CONSOLE_SCREENSHOTS)."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def server_row(world: dict[str, Any], table: str, row_id: uuid.UUID) -> dict[str, Any]:
    engine = create_engine(world["process"].database)
    with engine.connect() as connection:
        data = connection.scalar(
            select(SyncRow.data).where(SyncRow.table_name == table, SyncRow.row_id == row_id)
        )
    engine.dispose()
    return dict(data)


def test_a_laptop_referral_answered_by_the_team_and_confirmed_on_the_laptop(
    world: dict[str, Any], browser: Any
) -> None:
    wang: Device = world["wang"]
    if SHOTS:  # the sign-in page, before anyone signs in
        page = browser.new_page()
        page.goto(f"{world['process'].url}/")
        shoot(page, "login")
        page.close()
    # Offline on the laptop: a visit whose demands become referrals to two teams.
    visit_id = VisitLogService(wang.store, Settings()).save(
        VisitForm(
            customer_id=str(world["customer"]),
            started_at="2026-11-30T09:30",
            ended_at="2026-11-30T10:30",
            purpose="年度走访,了解二期厂房用电计划",
            findings_equipment="1 号主变负载率已达 92%,夏季高峰有过载风险",
            our_participants=["王伟"],
            demands=[
                DemandForm(
                    "二期厂房投产,申请增容至 2500kVA,希望 3 月前送电",
                    "connection",
                    "capacity_increase",
                ),
                DemandForm("对 11 月基本电费计算有疑问", "billing", "billing"),
            ],
        ),
        complete=True,
    )
    with wang.store.read() as session:
        referral = session.scalars(
            select(Referral).where(Referral.visit_id == visit_id, Referral.team == "connection")
        ).one()
    page = signed_in(browser, world, "yk")
    assert page.url.endswith("/console/queue")
    assert "华东精密" not in page.content()  # not synced yet: the team cannot know
    wang.sync()
    page.reload()
    queue = page.locator("table.queue")
    assert "华东精密制造有限公司" in queue.inner_text()
    assert "申请增容至 2500kVA" in queue.inner_text()
    assert "基本电费" not in page.content()  # the billing team's referral
    shoot(page, "queue")
    page.click("text=申请增容至 2500kVA")
    body = page.locator("main").inner_text()
    assert "年度走访,了解二期厂房用电计划" in body and "负载率已达 92%" in body
    assert "高新区科技路 8 号" in body and "王伟" in body
    shoot(page, "referral-open")
    page.click("button:has-text('受理')")
    assert "已受理" in page.locator(".notice").inner_text()
    page.fill(
        "textarea[name=note] >> nth=0", "已安排 12 月 5 日现场勘查,供电方案 15 个工作日内答复。"
    )
    page.click("button:has-text('提交答复')")
    assert "答复已提交" in page.locator(".notice").inner_text()
    shoot(page, "referral-answered")
    # Back on the laptop at its next sync; the customer confirms with the manager.
    wang.sync()
    with wang.store.read() as session:
        stored = session.get(Referral, referral.id)
        assert stored is not None
        assert (stored.state, stored.owner_name) == ("answered", "业扩张工")
        assert stored.answer is not None and "现场勘查" in stored.answer
        moves = [
            (e.from_state, e.to_state)
            for e in session.scalars(
                select(ReferralEvent)
                .where(ReferralEvent.referral_id == referral.id)
                .order_by(ReferralEvent.at)
            )
        ]
    assert moves == [(None, "open"), ("open", "in_progress"), ("in_progress", "answered")]
    ReferralService(wang.store, Settings()).move(referral.id, "confirmed", note="客户满意")
    wang.sync()
    assert server_row(world, "referral", referral.id)["state"] == "confirmed"
    page.reload()
    assert "客户已确认" in page.locator("main").inner_text()
    assert page.locator("button:has-text('受理')").count() == 0
    page.context.close()


def test_the_manager_and_the_team_at_once_make_a_sync_conflict(
    world: dict[str, Any], browser: Any
) -> None:
    wang: Device = world["wang"]
    service = ReferralService(wang.store, Settings())
    referral_id = service.create(
        NewReferral(world["customer"], "connection", "来电:临时用电申请", kind="demand")
    )
    wang.sync()
    page = signed_in(browser, world, "yk")
    page.goto(f"{world['process'].url}/console/referrals/{referral_id}")
    service.move(referral_id, "rejected", note="客户已撤回申请")  # meanwhile, on the laptop
    wang.sync()
    page.click("button:has-text('受理')")  # the page still shows "待处理"
    assert "冲突" in page.locator(".notice").inner_text()
    assert server_row(world, "referral", referral_id)["state"] == "rejected"  # first one stays
    wang.sync()
    with wang.store.read() as session:
        conflict = session.scalars(
            select(SyncConflict).where(SyncConflict.row_id == referral_id)
        ).one()
    assert (conflict.field_name, conflict.kept_value, conflict.lost_value) == (
        "state",
        "rejected",
        "in_progress",
    )
    assert conflict.lost_by is not None and "yk@网页控制台" in conflict.lost_by
    page.context.close()


def test_a_team_sees_only_its_referrals_and_their_customers(
    world: dict[str, Any], browser: Any
) -> None:
    wang: Device = world["wang"]
    with wang.store.read() as session:
        theirs = session.scalars(select(Referral.id).where(Referral.team == "connection")).first()
    assert theirs is not None
    page = signed_in(browser, world, "df")
    text = page.locator("main").inner_text()
    assert "电费管理中心" in page.content() and "基本电费" in text
    assert "增容" not in text and "东海化工" not in page.content()
    page.goto(f"{world['process'].url}/console/queue?state=all")
    assert "临时用电" not in page.content() and "东海化工" not in page.content()
    for crafted in (
        f"/console/referrals/{theirs}",
        f"/console/referrals/{world['other']}",
        f"/console/customers/{world['other']}",
    ):
        answer = page.goto(f"{world['process'].url}{crafted}")
        assert answer is not None and answer.status == 404, crafted
        assert "增容" not in page.content() and "东海化工" not in page.content()
    page.goto(f"{world['process'].url}/console/referrals/{theirs}")
    assert "找不到该页面" in page.content()
    shoot(page, "not-found")
    page.context.close()
    manager = signed_in(browser, world, "wang")  # a manager has no queue
    answer = manager.goto(f"{world['process'].url}/console/queue")
    assert answer is not None and answer.status == 403 and "无权访问" in manager.content()
    manager.goto(f"{world['process'].url}/console/")
    shoot(manager, "home")
    manager.context.close()


def test_a_forged_form_is_refused_with_a_chinese_page(world: dict[str, Any], browser: Any) -> None:
    page = signed_in(browser, world, "df")
    page.click("table.queue a >> nth=0")
    page.eval_on_selector_all(
        "input[name=csrf_token]", "inputs => inputs.forEach(i => i.value = 'forged')"
    )
    page.click("button:has-text('受理')")
    assert "安全校验未通过" in page.content()
    shoot(page, "csrf-refused")
    page.goto(f"{world['process'].url}/console/queue")
    assert "待处理" in page.locator("table.queue").inner_text()  # nothing was moved
    page.context.close()


def test_the_queue_refreshes_itself_and_pauses_while_hidden(
    world: dict[str, Any], browser: Any
) -> None:
    """static/queue.js: the rows are fetched again every minute while the tab is visible;
    hidden, it waits, and catches up as soon as the tab shows again."""
    wang: Device = world["wang"]
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.clock.install()  # the page's timers run on the test's clock
    page.goto(f"{world['process'].url}/console/login")
    page.fill("input[name=username]", "df")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/queue")
    assert "自动刷新" in page.content()
    ReferralService(wang.store, Settings()).create(
        NewReferral(world["customer"], "billing", "来电:申请变更电费通知方式", kind="demand")
    )
    wang.sync()
    page.evaluate(
        "() => { Object.defineProperty(document, 'visibilityState', "
        "{configurable: true, get: () => 'hidden'}); "
        "document.dispatchEvent(new Event('visibilitychange')); }"
    )
    page.clock.run_for(61_000)
    page.wait_for_timeout(300)
    assert "变更电费通知方式" not in page.locator("#queue-rows").inner_text()  # paused
    page.evaluate(
        "() => { Object.defineProperty(document, 'visibilityState', "
        "{configurable: true, get: () => 'visible'}); "
        "document.dispatchEvent(new Event('visibilitychange')); }"
    )
    page.wait_for_function(
        "() => document.getElementById('queue-rows').innerText.includes('变更电费通知方式')"
    )
    assert "待办" in page.locator("#queue-states").inner_text()  # the filters came along
    context.close()


def test_a_supervisor_reads_every_team_queue_but_moves_nothing(
    world: dict[str, Any], browser: Any
) -> None:
    page = signed_in(browser, world, "super")
    page.goto(f"{world['process'].url}/console/queue?team=connection&state=all")
    assert "只读" in page.locator("h1").inner_text()
    assert "业扩报装中心" in page.locator("h1").inner_text()
    assert "申请增容至 2500kVA" in page.locator("table.queue").inner_text()
    page.click("nav.teams a:has-text('电费管理中心')")
    assert "基本电费" in page.locator("table.queue").inner_text()
    shoot(page, "supervisor-queue")
    page.click("table.queue a >> nth=0")
    assert page.locator("#read-only").count() == 1
    assert page.locator("button:has-text('受理')").count() == 0
    assert page.locator("form[action$='/move']").count() == 0
    shoot(page, "supervisor-referral")
    referral_url = page.url
    token = page.get_attribute("input[name=csrf_token]", "value")
    answer = page.request.post(
        referral_url + "/move",
        form={"csrf_token": token or "", "to": "in_progress", "base_version": "1", "base": "{}"},
    )
    assert answer.status == 403  # the server refuses a supervisor's move
    page.goto(referral_url)
    assert page.locator("#read-only").count() == 1
    page.context.close()
