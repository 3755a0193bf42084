"""Data quality: a score per customer and the list of what is missing or invalid."""

from __future__ import annotations

from datetime import date

from keyacct_desktop.domain.plan_rules import PlanRules, check_plan
from keyacct_desktop.services.data_quality import quality_report
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.models import Contact, Customer, Park, PowerSource

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


def _important(account_no: str, grade: str, substations: list[str]) -> Customer:
    customer = Customer(
        account_no=account_no,
        name=f"重要用户{account_no}",
        important_grade=grade,
        emergency_power="柴油发电机 500 kW",
    )
    for number, substation in enumerate(substations, start=1):
        customer.power_sources.append(
            PowerSource(
                source_no=number, role="main" if number == 1 else "backup", substation=substation
            )
        )
    return customer


def test_important_users_short_of_sources_are_flagged_by_the_plan_rule(store) -> None:
    with store.begin() as session:
        session.add_all(
            [
                _important("3107000301", "first", ["城东变"]),
                _important("3107000302", "first", ["城东变", "城东变"]),
                _important("3107000303", "first", ["城东变", "城西变"]),
                _important("3107000304", "second", ["城东变", "城东变"]),
                _important("3107000305", "special", ["城东变", "城西变"]),
            ]
        )
        plain = Customer(account_no="3107000306", name="普通用户")
        no_backup = _important("3107000307", "second", ["城东变", "城南变"])
        no_backup.emergency_power = None
        session.add_all([plain, no_backup])
    rows = {r.account_no: r for r in quality_report(store, today=TODAY)}
    assert "一级重要电力用户需要 2 路独立电源,档案只有 1 路" in rows["3107000301"].issues
    assert "一级重要电力用户的电源应来自不同变电站,档案中电源均来自同一变电站" in (
        rows["3107000302"].issues
    )
    assert "二级重要电力用户须配置自备应急电源,档案未填写" in rows["3107000307"].issues
    assert "特级重要电力用户需要 3 路独立电源,档案只有 2 路" in rows["3107000305"].issues
    for ok in ("3107000303", "3107000304", "3107000306"):  # two circuits suffice for 二级
        assert "supply" not in rows[ok].kinds, rows[ok].issues
    flagged = {r.account_no for r in quality_report(store, kind="supply", today=TODAY)}
    assert flagged == {"3107000301", "3107000302", "3107000305", "3107000307"}
    assert rows["3107000301"].score < rows["3107000303"].score

    # one setting for both checks: an administrator asking 3 sources of 一级 changes both
    settings = Settings()
    settings.set("plan.required_sources", {"special": 3, "first": 3, "second": 2, "temporary": 1})
    rows = {r.account_no: r for r in quality_report(store, today=TODAY, settings=settings)}
    assert "一级重要电力用户需要 3 路独立电源,档案只有 2 路" in rows["3107000303"].issues
    warnings = check_plan(
        PlanRules.from_settings(settings),
        {"sources": [{"substation": "城东变"}, {"substation": "城西变"}], "emergency_power": "有"},
        {"important_grade": "first"},
    )
    assert "一级重要电力用户需要 3 路独立电源,方案只有 2 路" in [w.message_zh for w in warnings]
    english = quality_report(store, today=TODAY, language="en", kind="supply")
    assert any("First-grade important user" in issue for r in english for issue in r.issues)


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
