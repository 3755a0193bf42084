"""Data quality: a score per customer and the list of what is missing or invalid."""

from __future__ import annotations

from datetime import date

from keyacct_desktop.services.data_quality import quality_report
from keyacct_desktop.store.models import Contact, Customer, Park

TODAY = date(2026, 11, 20)


def test_complete_profiles_score_100_and_gaps_are_named(store) -> None:
    park = Park(name="高新区")
    complete = Customer(
        account_no="3107000201",
        name="完整档案有限公司",
        uscc="91350100M000100Y43",
        address="科技路 1 号",
        park=park,
        industry="C",
        voltage_kv=10.0,
        capacity_kva=2000,
        annual_kwh=5e6,
        tariff="large_industry",
        credit_rating="AA",
    )
    complete.contacts.append(
        Contact(name="张敏", mobile="13912345678", last_verified=date(2026, 9, 1))
    )
    sparse = Customer(
        account_no="3107000202", name="残缺档案有限公司", uscc="91350100M000100Y44", voltage_kv=11.0
    )
    sparse.contacts.append(Contact(name="李四", mobile="12345", last_verified=date(2024, 1, 1)))
    with store.begin() as session:
        session.add_all([park, complete, sparse])
    rows = {r.name: r for r in quality_report(store, today=TODAY)}
    assert rows["完整档案有限公司"].score == 100 and rows["完整档案有限公司"].issues == ()
    worst = rows["残缺档案有限公司"]
    assert worst.score < 40
    text = " ".join(worst.issues)
    for expected in (
        "缺少用电地址",
        "缺少园区",
        "校验位错误",
        "11 kV 不是标准等级",
        "手机号“12345”格式不对",
        "一年内未核实",
    ):
        assert expected in text, expected
    assert [r.name for r in quality_report(store, below=100, today=TODAY)] == ["残缺档案有限公司"]
    english = quality_report(store, below=100, today=TODAY, language="en")[0]
    assert "missing address" in english.issues
    assert worst.kinds == {"missing", "invalid", "stale_contact"}
    assert [r.name for r in quality_report(store, kind="invalid", today=TODAY)] == [
        "残缺档案有限公司"
    ]
    assert quality_report(store, kind="no_contact", today=TODAY) == []


def test_quality_report_dialog_from_the_customer_page(demo_ctx, keyacct_qapp, qtbot) -> None:
    from keyacct_desktop.gui.main_window import MainWindow

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    dialog = window.show_page("customers").show_quality()
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() > 0  # every incomplete file by default, worst first
    assert all(row.score < 100 for row in dialog.rows)
    dialog.below.setValue(101)
    everyone = dialog.model.rowCount()
    assert everyone == 120
    dialog.below.setValue(90)
    assert dialog.model.rowCount() <= everyone
    assert all(row.score < 90 for row in dialog.rows)
    dialog.below.setValue(101)
    dialog.kind.setCurrentIndex(dialog.kind.findData("stale_contact"))
    assert dialog.kind.currentText() == "联系人一年内未核实"
    assert 0 < dialog.model.rowCount() < everyone
    assert all("stale_contact" in row.kinds for row in dialog.rows)
