"""The business specialist's desk (issue 18) in a real headless Chromium against a real
``keyacct-server`` on loopback, with a manager's laptop (a local store) syncing to it:

* a visit report signed on the laptop is reviewed in the browser, rendered as on paper with
  the signature; the rating and comments reach the laptop at its next sync;
* a complaint registered on the web reaches the customer's manager and is closed there;
* the dashboard shows the figures of this small data set;
* screenshots of every desk page at 1366×768 and 390×844 (``KEYACCT_CONSOLE_SHOTS=DIR``
  writes them to DIR, e.g. docs/images/console; otherwise to the test's temporary folder).

A manager's crafted push of a review is refused in tests/security/test_reach.py.
"""

from __future__ import annotations

import os
import struct
import uuid
import zlib
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from keyacct_desktop.security.files import AttachmentFiles
from keyacct_desktop.server import accounts
from keyacct_desktop.server.db import migrate_server, server_engine, session_factory
from keyacct_desktop.services.referral_sources import sources_of
from keyacct_desktop.services.referrals import ReferralService
from keyacct_desktop.services.reviews import review_of
from keyacct_desktop.services.visits import VisitForm, VisitLogService
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.models import Customer, Grid, Referral
from keyacct_desktop.sync.client import sync_once
from tests.sync_helpers import PASSWORD, Device, ServerProcess

CHROMIUM = "/usr/bin/chromium"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")


def _png(width: int = 120, height: int = 40) -> bytes:
    """A small PNG with a diagonal stroke (a customer's signature stand-in)."""
    rows = b"".join(
        b"\x00" + b"".join(b"\x00" if abs(x - 3 * y) < 3 else b"\xff" for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("desk")
    database = f"sqlite:///{folder / 'server.sqlite3'}"
    engine = server_engine(database)
    migrate_server(engine)
    with session_factory(engine).begin() as session:  # in-process: no CLI start-up per user
        accounts.create_account(session, "super", PASSWORD, "supervisor", "主管")
        accounts.create_account(session, "wang", PASSWORD, "manager", "王经理")
        accounts.create_account(session, "zy", PASSWORD, "specialist", "赵专员")
        accounts.create_account(session, "kf", PASSWORD, "team", "95598 坐席", "dispatch")
        accounts.create_account(session, "df", PASSWORD, "team", "电费班", "billing")
    engine.dispose()
    server = ServerProcess(database)
    server.start()
    office = Device.sign_in(server, folder, "office", "super")
    wang = Device.sign_in(server, folder, "wang-laptop", "wang")
    office.sync()
    grid = Grid(name="高新一网格", manager_id=wang.user_id)
    customers = [
        Customer(
            account_no="3100012345",
            name="华东精密制造有限公司",
            grid=grid,
            pyramid_class="A",
            address="高新区科技路 8 号",
        ),
        Customer(
            account_no="3100012346", name="江南化工股份有限公司", grid=grid, pyramid_class="B"
        ),
    ]
    with office.store.begin() as session:
        session.add_all([grid, *customers])
    office.sync()
    files = AttachmentFiles(folder / "wang-files", None, 20 * 2**20)
    service = VisitLogService(wang.store, Settings(), files)
    wang.sync()
    signature = service.keep_file("signature.png", _png())
    visit_id = service.save(
        VisitForm(
            customer_id=str(customers[0].id),
            started_at=f"{date.today().isoformat()}T09:30",
            ended_at=f"{date.today().isoformat()}T10:30",
            place="客户配电房",
            our_participants=["王经理"],
            customer_attendees=["张工(设备部)"],
            purpose="迎峰度冬用电检查",
            findings_safety="二号变压器室门锁损坏",
            score_reliability=4,
            score_billing=5,
            score_service=5,
            signature_sha256=signature,
        ),
        complete=True,
    )
    sync_once(wang.store, wang.api, files=files)
    shots = Path(os.environ.get("KEYACCT_CONSOLE_SHOTS") or folder / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    yield {
        "server": server,
        "wang": wang,
        "files": files,
        "visit": visit_id,
        "customers": [c.id for c in customers],
        "shots": shots,
    }
    for device in (office, wang):
        device.close()
    server.stop()


def chinese_fonts(folder: Path) -> dict[str, str]:
    """An environment whose fontconfig also finds the app's bundled CJK font: a bare Linux
    test box has none, and the pages would be drawn as empty boxes (users' PCs have one)."""
    fonts = Path(__file__).resolve().parents[1] / "resources" / "fonts"
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{fonts}</dir><cachedir>{folder / 'fontcache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    env = chinese_fonts(tmp_path_factory.mktemp("fonts"))
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, env=env)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def specialist(world, browser) -> Iterator[Any]:
    """A signed-in specialist's tab (1366×768)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{world['server'].url}/console/login")
    page.fill("input[name=username]", "zy")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/desk/")
    yield page
    context.close()


def _shoot(world, page: Any, name: str) -> None:
    """The page at both sizes (full page), back at the desktop size afterwards."""
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(world["shots"] / f"{name}-{size}.png"), full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1, f"{name} scrolls sideways at {width} px ({scroll} px)"
    page.set_viewport_size({"width": 1366, "height": 768})


def test_a_visit_report_reviewed_in_the_browser_reaches_the_laptop(world, specialist) -> None:
    page = specialist
    base = world["server"].url
    page.goto(f"{base}/console/desk/reviews")
    assert page.inner_text("#waiting") == "1"
    _shoot(world, page, "desk-reviews")
    page.click("text=华东精密制造有限公司")
    page.wait_for_url(f"**/console/desk/visits/{world['visit']}")
    paper = page.inner_text("article.paper")
    assert "大客户走访报告" in paper and "二号变压器室门锁损坏" in paper and "3100012345" in paper
    assert page.evaluate("document.getElementById('signature').naturalWidth") == 120
    _shoot(world, page, "desk-report")
    page.check("input[name=rating][value=good]")
    page.fill("#comments", "安全隐患已记录,请写明整改期限")
    page.click("#review button[type=submit]")
    page.wait_for_url("**/console/desk/reviews?done=1")
    assert "评价已保存" in page.inner_text(".notice")
    assert page.inner_text("#waiting") == "0"

    wang: Device = world["wang"]
    wang.sync()
    review = review_of(wang.store, world["visit"])
    assert review is not None and review.new
    assert (review.rating, review.comments, review.reviewer) == (
        "good",
        "安全隐患已记录,请写明整改期限",
        "赵专员",
    )


def test_a_complaint_registered_on_the_web_is_closed_on_the_laptop(world, specialist) -> None:
    page = specialist
    base = world["server"].url
    page.goto(f"{base}/console/desk/requests/new")
    page.fill("#q", "3100012346")
    page.press("#q", "Enter")
    page.wait_for_url("**q=3100012346")
    assert page.is_checked("input[name=customer]")  # the one hit is chosen
    page.check("input[name=kind][value=complaint]")
    page.select_option("#team", "billing")
    page.fill("#description", "95598 工单:上月电费发票抬头错误,要求重开")
    _shoot(world, page, "desk-request")
    page.click("form.request button[type=submit]")
    page.wait_for_url("**/console/desk/requests/new?done=1")
    assert "已登记" in page.inner_text(".notice")

    wang: Device = world["wang"]
    wang.sync()
    with wang.store.read() as session:
        (referral,) = [
            r for r in session.query(Referral).filter(Referral.customer_id == world["customers"][1])
        ]
        referral_id = referral.id
        assert (referral.visit_id, referral.kind, referral.team, referral.state) == (
            None,
            "complaint",
            "billing",
            "open",
        )
        assert referral.registered_on == date.today()  # device migration 0017
    assert sources_of(wang.store, [referral_id])[referral_id].text() == "网上登记(赵专员)"
    service = ReferralService(wang.store, Settings())
    service.move(referral_id, "in_progress")
    service.move(referral_id, "answered", note="已重开发票并寄出")
    service.move(referral_id, "confirmed", note="客户已收到")
    wang.sync()
    page.goto(f"{base}/console/desk/")
    assert page.inner_text("#kpi-complaints") == "1"
    teams = page.inner_text("#teams")
    assert "电费管理中心" in teams


def test_the_dashboard_shows_this_data_set(world, specialist) -> None:
    page = specialist
    page.goto(f"{world['server'].url}/console/desk/")
    assert page.inner_text("#kpi-waiting") == "0"  # the one report was reviewed
    # 华东 (A) visited today; 江南 (B) never visited: due, not overdue.
    assert page.inner_text("#kpi-overdue") == "0"
    assert "共 2" in page.inner_text(".kpis")
    assert page.locator(".for-wide svg.chart").count() == 3  # (and 3 drawn for phones)
    page.click("#coverage summary")
    assert "王经理" in page.inner_text("#coverage table")
    _shoot(world, page, "desk-dashboard")


def _client(world, username: str) -> Any:
    import httpx

    client = httpx.Client(base_url=world["server"].url, follow_redirects=True)
    login = client.get("/console/login")
    token = login.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(
        "/console/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    return client


def test_only_specialists_open_the_desk_and_forms_need_the_token(world, browser) -> None:
    import httpx

    with closing(_client(world, "super")) as client:
        assert client.get("/console/desk/").status_code == 403  # a supervisor: not the desk
    with closing(_client(world, "kf")) as client:  # 95598 staff register complaints, nothing else
        assert client.get("/console/desk/requests/new").status_code == 200
        assert client.get("/console/desk/").status_code == 403
    with closing(_client(world, "df")) as client:
        assert client.get("/console/desk/requests/new").status_code == 403
    with httpx.Client(base_url=world["server"].url, follow_redirects=True) as client:
        login = client.get("/console/login")
        token = login.text.split('name="csrf_token" value="')[1].split('"')[0]
        client.post(
            "/console/login", data={"username": "zy", "password": PASSWORD, "csrf_token": token}
        )
        forged = client.post(
            f"/console/desk/visits/{world['visit']}/review",
            data={"rating": "poor", "comments": "伪造", "base_version": "0"},
        )
        assert forged.status_code == 403
        missing = client.get(f"/console/desk/visits/{uuid.uuid4()}")
        assert missing.status_code == 404


def test_a_grid_limited_specialist_does_not_see_other_grids(world) -> None:
    """``keyacct-server set-grids``: limited to another grid, the visit report of 高新一网格
    is "not found" and the dashboard and review queue count nothing of it."""
    from keyacct_desktop.server.account_grids import set_grids
    from keyacct_desktop.server.rows import write_row

    engine = server_engine(world["server"].database)
    with session_factory(engine).begin() as session:
        write_row(session, "grid", uuid.uuid4(), {"name": "开发区网格", "manager_id": None})
        accounts.create_account(session, "zy-kf", PASSWORD, "specialist", "开发区专员")
        set_grids(session, "zy-kf", ["开发区网格"])
    engine.dispose()
    with closing(_client(world, "zy-kf")) as client:
        assert client.get(f"/console/desk/visits/{world['visit']}").status_code == 404
        board = client.get("/console/desk/")
        assert "仅限网格:开发区网格" in board.text and 'id="kpi-visits">0<' in board.text
        assert "华东精密" not in client.get("/console/desk/reviews").text
        found = client.get("/console/desk/requests/new", params={"q": "3100012345"})
        assert "华东精密" not in found.text
    with closing(_client(world, "zy")) as client:  # not limited: sees it, as before
        assert client.get(f"/console/desk/visits/{world['visit']}").status_code == 200
