"""Every profile field editable in the customer editor (issue 16): emergency power, the
credit/arrears indicators with the day they were taken, the primary contact, e-mail."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy.orm import selectinload

from keyacct_desktop.services.customer_profile import (
    ContactForm,
    ProfileForm,
    ProfileService,
    SourceForm,
)
from keyacct_desktop.services.data_quality import assess
from keyacct_desktop.store.models import Customer


def important_customer() -> ProfileForm:
    return ProfileForm(
        account_no="3107008888",
        name="城东数据中心有限公司",
        voltage_kv=10.0,
        important_grade="second",
        contacts=[
            ContactForm("张敏", "electrical", mobile="13912345678"),
            ContactForm("李娜", "finance", landline="0591-87654321转8001"),
        ],
        power_sources=[
            SourceForm(1, "main", 10.0, 2000, "城东 110 kV 变电站", "城东一线"),
            SourceForm(2, "backup", 10.0, 2000, "城西 110 kV 变电站", "城西二线"),
        ],
    )


def supply_flagged(ctx, customer_id) -> bool:  # type: ignore[no-untyped-def]
    with ctx.store.read() as session:
        customer = session.get(
            Customer,
            customer_id,
            options=[selectinload(Customer.contacts), selectinload(Customer.power_sources)],
        )
        return "supply" in assess(customer, date.today()).kinds


def test_emergency_power_indicators_and_primary_contact_are_edited_and_saved(
    ctx, keyacct_qapp, qtbot
) -> None:
    from keyacct_desktop.gui.customer_editor import CustomerEditor

    customer_id = ProfileService(ctx.store).save(important_customer())
    assert supply_flagged(ctx, customer_id)  # no emergency power: the flag cannot clear
    editor = CustomerEditor(ctx, customer_id)
    qtbot.addWidget(editor)
    assert editor.tabs.tabText(3) == "应急电源与信用"
    editor.emergency_power.setText("柴油发电机 500 kW")
    editor.indicators["emergency_power_kw"].setValue(500)
    editor.indicators["recovery_rate"].setValue(97.25)
    editor.indicators["on_time_rate"].setValue(120)  # clamped to 100 by the box
    editor.indicators["consumption_growth"].setValue(-12.5)
    editor.counts["overdue_count"].setValue(2)
    editor.counts["overdue_days_max"].setValue(45)
    editor.counts["violation_count"].setValue(1)
    editor.flags["high_energy"].setChecked(True)
    editor.risk_updated_on.setText("2026/13/40")
    editor.contacts.item(1, 6).setText("lina@example.cn")
    editor.contacts.item(0, 7).setCheckState(Qt.CheckState.Checked)
    editor.contacts.item(1, 7).setCheckState(Qt.CheckState.Checked)
    editor.tabs.setCurrentIndex(0)
    assert not editor.save()
    assert "信用指标更新日期" in editor.problems.text() and "主要联系人" in editor.problems.text()
    editor.risk_updated_on.setText("2026-10-31")
    editor.contacts.item(1, 7).setCheckState(Qt.CheckState.Unchecked)
    assert editor.save(), editor.problems.text()

    saved = ProfileService(ctx.store).load(customer_id)
    assert (saved.emergency_power, saved.emergency_power_kw) == ("柴油发电机 500 kW", 500)
    assert (saved.recovery_rate, saved.on_time_rate, saved.consumption_growth) == (
        0.9725,
        1.0,
        -0.125,
    )
    assert (saved.overdue_count, saved.overdue_days_max, saved.violation_count) == (2, 45, 1)
    assert saved.high_energy and not saved.operating_trouble
    assert saved.risk_updated_on == date(2026, 10, 31)
    primary = {c.name: (c.is_primary, c.email) for c in saved.contacts}
    assert primary == {"张敏": (True, ""), "李娜": (False, "lina@example.cn")}
    assert not supply_flagged(ctx, customer_id)  # emergency power now entered

    again = CustomerEditor(ctx, customer_id)
    qtbot.addWidget(again)
    assert again.indicators["recovery_rate"].value() == 97.25
    assert again.risk_updated_on.text() == "2026-10-31"
    assert again.contacts.item(0, 7).checkState() == Qt.CheckState.Checked
    assert not again.has_changes()  # what was loaded reads back the same
