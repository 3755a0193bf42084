"""The customer file: every field checked, all problems shown at once, nothing half-saved."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.services.customer_profile import (
    ContactForm,
    ProfileForm,
    ProfileService,
    check,
)
from keyacct_desktop.store.models import Contact, Customer, Grid


def good_form() -> ProfileForm:
    return ProfileForm(
        account_no="3107009999",
        name="钱塘精密机械有限公司",
        uscc="91350100m000100y43",
        address="高新区科技大道 88 号",
        industry="C",
        voltage_kv=10.0,
        capacity_kva=2500,
        annual_kwh=8_600_000,
        tariff="large_industry",
        metering="hv_hv",
        important_grade="second",
        load_grade="second",
        credit_rating="AA",
        contacts=[
            ContactForm("张敏", "electrical", "电气主管", "139 1234 5678", "", date(2026, 10, 8)),
            ContactForm("李娜", "finance", "财务经理", "", "0571-88886666"),
        ],
    )


def fields(problems) -> set[str]:  # type: ignore[no-untyped-def]
    return {p.field for p in problems}


def test_a_valid_profile_is_saved_with_normalised_codes(store) -> None:
    service = ProfileService(store)
    customer_id = service.save(good_form())
    saved = service.load(customer_id)
    assert saved.uscc == "91350100M000100Y43"  # upper-cased
    assert [c.mobile for c in saved.contacts] == ["13912345678", ""]  # blanks removed
    assert saved.contacts[0].last_verified == date(2026, 10, 8)
    saved.contacts.pop()  # edit: drop a contact, rename the customer
    saved.name = "钱塘精密机械集团有限公司"
    service.save(saved)
    again = service.load(customer_id)
    assert again.name == "钱塘精密机械集团有限公司" and len(again.contacts) == 1


def test_every_problem_is_named_with_its_reason_and_nothing_is_written(store) -> None:
    form = good_form()
    form.account_no = "31-07"
    form.name = " "
    form.uscc = "91350100M000100Y44"
    form.voltage_kv = 11.0
    form.capacity_kva = 0
    form.annual_kwh = -5
    form.industry = "Z"
    form.contacts[0].mobile = "1234567"
    form.contacts[1].landline = "88886666"
    form.contacts.append(ContactForm("", "general"))
    problems = check(form, store)
    assert fields(problems) == {
        "account_no",
        "name",
        "uscc",
        "voltage_kv",
        "capacity_kva",
        "annual_kwh",
        "industry",
        "contacts.1.mobile",
        "contacts.2.landline",
        "contacts.3.name",
        "contacts.3.mobile",
    }
    by_field = {p.field: p.zh for p in problems}
    assert "校验位错误:最后一位应为“3”" in by_field["uscc"]
    assert "11 kV 不是标准等级" in by_field["voltage_kv"]
    assert "手机号“1234567”格式不对" in by_field["contacts.1.mobile"]
    with pytest.raises(UserError) as refused:
        ProfileService(store).save(form)
    assert "未保存" in refused.value.message_zh
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 0
        assert session.scalar(select(func.count()).select_from(Contact)) == 0


def test_account_numbers_are_unique_and_only_pooled_customers_get_a_grid(store) -> None:
    service = ProfileService(store)
    service.save(good_form())
    duplicate = good_form()
    assert "account_no" in fields(check(duplicate, store))
    prospect = good_form()
    prospect.account_no = "3107008888"
    prospect.pool_status = "prospect"
    with store.begin() as session:
        grid = Grid(name="第一网格")
        session.add(grid)
    prospect.grid_id = grid.id
    assert fields(check(prospect, store)) == {"grid_id"}


def test_the_editor_marks_faulty_fields_and_saves_a_new_customer(
    ctx, keyacct_qapp, qtbot, tmp_path
) -> None:
    from keyacct_desktop.gui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.show_page("customers")
    editor = page.edit_customer(None)
    qtbot.addWidget(editor)
    editor.account_no.setText("3107007777")
    editor.name.setText("东海医药有限公司")
    editor.uscc.setText("91350100M000100Y44")
    editor.add_contact(ContactForm("王芳", "general", "", "1380013800"))
    assert not editor.save()
    assert "c62828" in editor.uscc.styleSheet() and "校验位" in editor.uscc.toolTip()
    assert "c62828" in editor.voltage.styleSheet()  # no voltage chosen
    assert "手机号" in editor.problems.text()
    editor.grab().save(str(tmp_path / "customer-editor.png"))
    editor.uscc.setText("91350100M000100Y43")
    editor.voltage.setCurrentIndex(editor.voltage.findData(10.0))
    editor.contacts.item(0, 3).setText("13800138000")
    assert editor.save()
    assert page.model.rowCount() == 1
    reopened = page.edit_customer(editor.saved_id)
    qtbot.addWidget(reopened)
    assert reopened.name.text() == "东海医药有限公司" and reopened.contacts.rowCount() == 1


def test_list_filters_by_grid_park_and_risk_with_a_risk_badge(
    demo_ctx, keyacct_qapp, qtbot
) -> None:
    from PySide6.QtCore import Qt

    from keyacct_desktop.gui.main_window import MainWindow
    from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    page = window.show_page("customers")
    everyone = page.model.rowCount()
    page.risk_filter.setChecked(True)
    risky = page.model.rowCount()
    assert 0 < risky < everyone
    assert page.model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert risky == len(CustomerDirectory(demo_ctx.store).find_ids(CustomerQuery(risk_only=True)))
    page.risk_filter.setChecked(False)
    page.grid_filter.setCurrentIndex(1)
    in_grid = page.model.rowCount()
    page.park_filter.setCurrentIndex(1)
    assert page.model.rowCount() <= in_grid < everyone
