"""The printed 电费催缴通知单 and basic-charge advice sheet: real PDFs read back with pdftotext,
rendered to PNG for a look (kept in the test's temp folder)."""

from __future__ import annotations

import subprocess
import uuid
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import insert

from keyacct_desktop.domain.billing import month_span
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.services.economics import list_actions
from keyacct_desktop.services.economics_print import print_advice_sheet, print_arrears_notice
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Contact, Customer, CustomerMonth, User, customer_month_id


def pdf_text(path: Path) -> str:
    """The text in reading order without line breaks or blanks (CJK paragraphs wrap anywhere,
    and a wrap swallows the blank before a number)."""
    result = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return "".join(result.stdout.split())


def to_png(path: Path) -> Path:
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            str(path),
            str(path.with_suffix("")),
        ],
        check=True,
    )
    return next(path.parent.glob(f"{path.stem}*.png"))


@pytest.fixture
def customer(store: Store) -> uuid.UUID:
    manager = User(username="wang", display_name="王强", phone="13912345678")
    customer = Customer(
        account_no="3100000088",
        name="华东精密科技有限公司",
        address="示范市高新区科技路 8 号",
        tariff="large_industry",
        capacity_kva=1000.0,
        voltage_kv=10.0,
        manager=manager,
    )
    customer.contacts.append(Contact(name="刘芳", role="finance", mobile="13800138000"))
    with store.begin() as session:
        session.add(customer)
    demands = [300, 320, 350, 380, 400, 420, 450, 430, 410, 390, 360, 340]
    rows = []
    for n, month in enumerate(month_span("2026-10", 12)):
        rows.append(
            {
                "id": customer_month_id(customer.id, month),
                "customer_id": customer.id,
                "month": month,
                "version": 0,
                "kwh": 200_000.0,
                "bill_yuan": 150_000.0,
                "paid_yuan": 150_000.0,
                "arrears_yuan": 0.0,
                "max_demand_kw": float(demands[n]),
                "billing_mode": "capacity",
            }
        )
    rows[-2].update(paid_yuan=100_000.0, arrears_yuan=50_000.0, overdue_days=35)
    rows[-3].update(power_factor=0.86)
    rows[-1].update(paid_yuan=120_000.0, arrears_yuan=80_000.0, overdue_days=12)
    with store.begin() as session:
        session.execute(insert(CustomerMonth), rows)
    return customer.id


def test_arrears_notice_prints_the_debt_the_law_and_the_manager(
    store: Store, customer: uuid.UUID, tmp_path: Path
) -> None:
    target = tmp_path / "notice.pdf"
    view, pdf = print_arrears_notice(store, Settings(), customer, date(2026, 11, 20), target)
    assert pdf == target.read_bytes()
    assert view.number == "CJ20261120-3100000088"
    text = pdf_text(target)
    for expected in (
        "电费催缴通知单",
        "华东精密科技有限公司：",
        "截至 2026年11月20日，贵单位（户号 3100000088）尚欠电费 80,000.00 元",
        "请于 2026年11月30日 前",  # pay within the 10 days of arrears.pay_within_days
        "2026-09 150,000.00 100,000.00 50,000.00 35",
        "2026-10 150,000.00 120,000.00 80,000.00 12",
        "《电力供应与使用条例》第三十九条",
        "停电前将提前 7 日书面通知",
        "客户经理 王强（电话 13912345678）",
        "刘芳 13800138000",
        "客户签收（盖章）",
        "第 1 页 共 1 页",
    ):
        assert "".join(expected.split()) in text, expected
    assert len(PdfReader(target).pages) == 1
    # printing it is logged as a written reminder with the notice number
    (action,) = list_actions(store, customer)
    assert (action.kind, action.notice_number, action.amount_yuan) == (
        "written",
        "CJ20261120-3100000088",
        80_000,
    )
    assert to_png(target).stat().st_size > 10_000


def test_the_wording_comes_from_the_template(
    store: Store, customer: uuid.UUID, tmp_path: Path
) -> None:
    from keyacct_desktop.printing.base import Letterhead
    from keyacct_desktop.printing.economics import load_notice_template, render_arrears_notice
    from keyacct_desktop.services.economics_print import arrears_notice_view

    bundled = load_notice_template()
    custom = tmp_path / "notice.toml"
    custom.write_text(
        bundled_text().replace("《中华人民共和国电力法》第三十三条", "《某省供用电条例》第十条"),
        encoding="utf-8",
    )
    view = arrears_notice_view(store, Settings(), customer, date(2026, 11, 20))
    target = tmp_path / "custom.pdf"
    render_arrears_notice(view, Letterhead(), load_notice_template(custom), target)
    assert "《某省供用电条例》第十条" in pdf_text(target)
    assert bundled["version"] == "2026.1"
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "x"\n', encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_notice_template(broken)
    assert "greeting" in caught.value.message_zh
    bad = {**bundled, "closing": "请联系 {nobody}"}
    with pytest.raises(UserError) as caught:
        render_arrears_notice(view, Letterhead(), bad, tmp_path / "bad.pdf")
    assert "占位符" in caught.value.message_zh


def test_an_administrator_override_of_the_wording_is_used(
    store: Store, customer: uuid.UUID, tmp_path: Path
) -> None:
    settings = Settings(tmp_path / "settings.json")
    override = tmp_path / "templates" / "notices" / "arrears_notice.toml"
    override.parent.mkdir(parents=True)
    override.write_text(bundled_text().replace("网上国网", "本省电e宝"), encoding="utf-8")
    target = tmp_path / "notice.pdf"
    print_arrears_notice(store, settings, customer, date(2026, 11, 20), target)
    assert "本省电e宝" in pdf_text(target)
    override.write_text("title = [", encoding="utf-8")  # broken: refused, not replaced
    with pytest.raises(UserError) as caught:
        print_arrears_notice(store, settings, customer, date(2026, 11, 21), tmp_path / "b.pdf")
    assert "arrears_notice.toml" in caught.value.message_zh
    assert len(list_actions(store, customer)) == 1  # the failed print logged nothing


def bundled_text() -> str:
    from keyacct_desktop.paths import resources_dir

    path = resources_dir() / "templates" / "notices" / "arrears_notice.toml"
    return path.read_text(encoding="utf-8")


def test_no_notice_for_a_customer_who_owes_nothing(store: Store, tmp_path: Path) -> None:
    customer = Customer(account_no="3100000099", name="已结清公司")
    with store.begin() as session:
        session.add(customer)
    with pytest.raises(UserError) as caught:
        print_arrears_notice(store, Settings(), customer.id, date(2026, 11, 20), tmp_path / "x.pdf")
    assert "没有欠费" in caught.value.message_zh
    assert not (tmp_path / "x.pdf").exists()


def test_advice_sheet_prints_both_modes_and_the_chart(
    store: Store, customer: uuid.UUID, tmp_path: Path
) -> None:
    target = tmp_path / "advice.pdf"
    view, _pdf = print_advice_sheet(store, Settings(), customer, date(2026, 11, 20), target)
    assert view.advice.declared_kw == 400
    text = pdf_text(target)
    for expected in (
        "基本电费计费方式测算建议书",
        "2025-11 至 2026-10（12 个月）",
        "按容量 1,000 kVA 336,000.00",
        "按需量（建议核定值）400 kW 204,960.00",
        "建议按需量计收基本电费，核定需量 400 kW；测算期内可比另一方式少缴 131,040.00 元",
        "比现行方式少缴 131,040.00 元",
        "26-05 超出 30.0 kW",
        "建议核定需量 400 kW",  # the chart's line
        "1 个月功率因数低于考核标准 0.90（最低 0.86）",
        "客户经理 王强",
    ):
        assert "".join(expected.split()) in text, expected
    assert len(PdfReader(target).pages) == 1
    assert to_png(target).stat().st_size > 10_000
