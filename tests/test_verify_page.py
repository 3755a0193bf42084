"""The verification page a document's QR code opens, fetched over HTTP from a real server.

A checklist issued on a laptop is synced; ``/verify/<number>?c=<code>`` on the central
server then says who issued it, when, for whom (masked), whether the code matches the
issued content, and, after a correction, that it has been superseded.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest

from keyacct_desktop.domain.codes import verification_code, verification_url
from keyacct_desktop.printing.base import Letterhead
from keyacct_desktop.printing.documents import render_checklist
from keyacct_desktop.server.verify import mask_name
from keyacct_desktop.services.checklists import ChecklistService
from keyacct_desktop.services.outages import OutageService
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.models import Customer, Grid, PowerSource
from tests.sync_helpers import Device, ServerProcess


@pytest.fixture(scope="module")
def server(server_database: str) -> Iterator[ServerProcess]:
    process = ServerProcess(server_database)
    process.create_user("super", "supervisor")
    process.start()
    yield process
    process.stop()


def test_mask_keeps_enough_to_recognise() -> None:
    assert mask_name("华东精密科技有限公司") == "华东****有限公司"
    assert mask_name("甲厂") == "甲*"


@pytest.mark.parametrize("server_database", ["sqlite"], indirect=True)
def test_verify_page_over_http(server: ServerProcess, tmp_path: Path) -> None:
    device = Device.sign_in(server, tmp_path, "laptop", "super")
    device.sync()  # the user record first: the grid refers to its manager
    suffix = uuid.uuid4().hex[:6]
    grid = Grid(name=f"王的网格-{suffix}", manager_id=device.user_id)
    customer = Customer(
        account_no=f"V{suffix}", name="华东精密科技有限公司", grid=grid, voltage_kv=10.0
    )
    customer.power_sources.append(PowerSource(source_no=1, substation="城东站", line="东1线"))
    with device.store.begin() as session:
        session.add_all([grid, customer])
    settings = Settings()
    checklists = ChecklistService(device.store, settings)
    checklist_id = checklists.draft(customer.id, "hv_new", date(2026, 12, 1))
    view = checklists.issue(checklist_id, issued_by=device.user_id, now=datetime(2026, 12, 2, 9))
    outages = OutageService(device.store, settings)
    outage = outages.issue(
        kind="fault",
        starts_at=datetime(2026, 12, 2, 8),
        ends_at=datetime(2026, 12, 2, 12),
        area="城东片区",
        reason="线路故障",
        customer_ids=[customer.id],
        now=datetime(2026, 12, 2, 8, 30),
    )
    assert not device.sync().rejected

    code = verification_code(view.content_hash or "")
    # the printed QR opens this page (the verification base is the public server address)
    pdf = tmp_path / "checklist.pdf"
    render_checklist(view, Letterhead(verify_base=server.url), pdf)
    from tests.test_visits import qr_text_in

    assert qr_text_in(pdf) == verification_url(server.url, view.number or "", code)

    answer = httpx.get(f"{server.url}/verify/{view.number}", params={"c": code}, timeout=10)
    assert answer.status_code == 200 and "text/html" in answer.headers["content-type"]
    page = answer.text
    assert "一次性告知书" in page and view.number in page
    assert "校验码一致" in page and "有效" in page and "2026-12-02" in page
    assert "华东****有限公司" in page and "华东精密科技有限公司" not in page  # masked
    assert "：" in page and ":" not in page.split("<body>")[1]  # full-width punctuation

    wrong = httpx.get(f"{server.url}/verify/{view.number}", params={"c": "ABCDEF12"}, timeout=10)
    assert "校验码不一致" in wrong.text
    missing = httpx.get(f"{server.url}/verify/GZ00000000-000000", timeout=10)
    assert missing.status_code == 404 and "未找到" in missing.text

    notice = outage.notices[0]
    notice_code = verification_code(str(notice.id))
    answer = httpx.get(
        f"{server.url}/verify/{notice.number}", params={"c": notice_code}, timeout=10
    )
    assert "停电通知" in answer.text and "校验码一致" in answer.text

    # a correction supersedes the printed copy: the page says so
    correction = checklists.correct(checklist_id)
    checklists.issue(correction, issued_by=device.user_id, now=datetime(2026, 12, 3, 9))
    device.sync()
    answer = httpx.get(f"{server.url}/verify/{view.number}", params={"c": code}, timeout=10)
    assert "已被替代" in answer.text
    device.close()


@pytest.mark.parametrize("server_database", ["sqlite"], indirect=True)
def test_a_visit_reports_qr_opens_its_verification_page(
    server: ServerProcess, tmp_path: Path
) -> None:
    """Number, date, manager, customer (masked), signed or not: nothing of what was said."""
    from keyacct_desktop.printing.visits import render_visit_report
    from keyacct_desktop.security.files import AttachmentFiles
    from keyacct_desktop.services.visits import VisitLogService, load_report
    from tests.test_visits import full_form, qr_text_in

    device = Device.sign_in(server, tmp_path, "visit-laptop", "super")
    device.sync()
    suffix = uuid.uuid4().hex[:6]
    grid = Grid(name=f"走访网格-{suffix}", manager_id=device.user_id)
    customer = Customer(
        account_no=f"Z{suffix}",
        name="江南精细化工有限公司",
        grid=grid,
        manager_id=device.user_id,
    )
    with device.store.begin() as session:
        session.add_all([grid, customer])
    files = AttachmentFiles(tmp_path / "files", None, 20 * 2**20)
    service = VisitLogService(device.store, Settings(), files)
    visit_id = service.save(full_form(customer.id, files), today=date(2026, 11, 20))
    assert not device.sync().rejected

    pdf = tmp_path / "visit.pdf"
    render_visit_report(load_report(service, visit_id), Letterhead(verify_base=server.url), pdf)
    number = f"ZF20261119-{visit_id.hex[:6].upper()}"
    code = verification_code(str(visit_id))
    assert qr_text_in(pdf) == verification_url(server.url, number, code)

    answer = httpx.get(f"{server.url}/verify/{number}", params={"c": code}, timeout=10)
    assert answer.status_code == 200
    page = answer.text
    assert "大客户走访报告" in page and number in page and "2026-11-19" in page
    assert "校验码一致" in page and "已签字" in page and "已完成" in page
    assert "super" in page  # the manager (the account's display name)
    assert "江南****有限公司" in page and "江南精细化工" not in page
    for private in ("谐波", "迎峰度冬", "滤波", "停电通知提前"):  # findings, purpose, comments
        assert private not in page
    wrong = httpx.get(f"{server.url}/verify/{number}", params={"c": "00000000"}, timeout=10)
    assert "校验码不一致" in wrong.text
    other = httpx.get(f"{server.url}/verify/ZF20261119-000000", timeout=10)
    assert other.status_code == 404
    device.close()
