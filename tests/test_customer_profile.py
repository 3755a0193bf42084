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
    SourceForm,
    check,
)
from keyacct_desktop.services.pyramid import PyramidService
from keyacct_desktop.store.models import Contact, Customer, Grid, Park, PowerSource, User


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
    assert "入池前请填写评估意见" in editor.problems.text()  # as the placeholder says
    assert "c62828" in editor.pool_note.styleSheet()
    editor.grab().save(str(tmp_path / "customer-editor.png"))
    editor.pool_note.setText("年用电量 600 万 kWh,建议入池")
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


def test_power_sources_are_checked_and_saved_with_the_profile(store) -> None:
    service = ProfileService(store)
    form = good_form()
    form.power_sources = [
        SourceForm(1, "backup", 11.0, 0, "", "石湖线", "", "pole"),
        SourceForm(1, "backup", 10.0, 2500, "石湖 110 kV 变电站", "", "", ""),
    ]
    assert fields(check(form)) == {
        "power_sources.1.voltage_kv",
        "power_sources.1.capacity_kva",
        "power_sources.1.substation",
        "power_sources.1.line_type",
        "power_sources.2.source_no",
        "power_sources.2.line",
        "power_sources.1.role",  # no main supply at all
    }
    with pytest.raises(UserError):
        service.save(form)
    form.power_sources = [
        SourceForm(1, "main", 10.0, 2500, "石湖 110 kV 变电站", "石湖三线", "3 号间隔", "cable"),
        SourceForm(2, "backup", 10.0, 2500, "东郊 110 kV 变电站", "东郊一线", "", "overhead"),
    ]
    assert check(form) == []
    customer_id = service.save(form)
    loaded = service.load(customer_id)
    assert [(s.source_no, s.role, s.substation, s.line_type) for s in loaded.power_sources] == [
        (1, "main", "石湖 110 kV 变电站", "cable"),
        (2, "backup", "东郊 110 kV 变电站", "overhead"),
    ]
    loaded.power_sources = loaded.power_sources[:1]  # the backup source was dismantled
    loaded.power_sources[0].capacity_kva = 3150
    service.save(loaded)
    with store.read() as session:
        (kept,) = session.scalars(select(PowerSource)).all()
        assert kept.id == loaded.power_sources[0].id and kept.capacity_kva == 3150


def test_a_prospect_enters_the_pool_only_with_evaluation_notes(store) -> None:
    service = ProfileService(store)
    form = good_form()
    form.pool_status = "prospect"
    form.lead_source = "园区项目备案"
    customer_id = service.save(form)
    prospect = service.load(customer_id)
    assert prospect.lead_source == "园区项目备案"
    assert service.status(customer_id).pooled_on is None
    prospect.pool_status = "pooled"
    assert fields(check(prospect, store)) == {"pool_note"}
    with pytest.raises(UserError, match="evaluation notes"):
        service.save(prospect)
    prospect.pool_note = "年用电量 860 万 kWh,扩产计划明确,建议入池"
    service.save(prospect)
    status = service.status(customer_id)
    assert status.pooled_on == date.today()
    assert service.load(customer_id).pool_note.startswith("年用电量")


def test_status_shows_class_history_and_every_risk_flag(store) -> None:
    service = ProfileService(store)
    customer_id = service.save(good_form())
    with store.begin() as session:
        customer = session.get(Customer, customer_id)
        customer.credit_rating = "C"
        customer.overdue_count = 4
        customer.overdue_days_max = 45
        customer.high_energy = True
    PyramidService(store, None).override(customer_id, "A", "市重点项目")
    status = service.status(customer_id)
    assert status.pyramid_class == "A" and status.override_reason == "市重点项目"
    zh = {flag[0] for flag in status.risk_flags}
    assert {"信用等级低", "多次欠费", "欠费最长 45 天", "高耗能行业"} <= zh
    assert [(c.old_class, c.new_class, c.basis) for c in status.class_history] == [
        (None, "A", "manual")
    ]


def test_saving_an_unchanged_customer_keeps_its_park_grid_and_manager(
    demo_ctx, keyacct_qapp, qtbot
) -> None:
    """Qt's findData compares UUIDs by identity: the editor must still select them."""
    from keyacct_desktop.gui.customer_editor import CustomerEditor

    with demo_ctx.store.read() as session:
        customer = session.scalars(
            select(Customer).where(
                Customer.park_id.is_not(None),
                Customer.grid_id.is_not(None),
                Customer.manager_id.is_not(None),
            )
        ).first()
        before = (customer.id, customer.park_id, customer.grid_id, customer.manager_id)
        park = session.get(Park, customer.park_id).name
        manager = session.get(User, customer.manager_id).display_name
    editor = CustomerEditor(demo_ctx, before[0])
    qtbot.addWidget(editor)
    assert editor.refs["park_id"].currentText() == park
    assert editor.refs["manager_id"].currentText() == manager
    assert editor.save(), editor.problems.text()
    with demo_ctx.store.read() as session:
        customer = session.get(Customer, before[0])
        assert (customer.id, customer.park_id, customer.grid_id, customer.manager_id) == before


def test_the_editor_edits_power_sources_and_shows_class_and_risk(
    demo_ctx, keyacct_qapp, qtbot
) -> None:
    from keyacct_desktop.gui.customer_editor import CustomerEditor

    with demo_ctx.store.read() as session:
        customer = session.scalars(
            select(Customer).where(Customer.pool_status == "pooled").order_by(Customer.account_no)
        ).first()
        customer_id, sources = customer.id, len(customer.power_sources)
    with demo_ctx.store.begin() as session:
        session.get(Customer, customer_id).violation_count = 2
    PyramidService(demo_ctx.store, demo_ctx.settings).override(customer_id, "B", "集团统一管理")
    editor = CustomerEditor(demo_ctx, customer_id)
    qtbot.addWidget(editor)
    assert editor.sources.rowCount() == sources
    assert "窃电/违章用电" in [badge.text() for badge in editor.risk_badges]
    assert "当前分级:B" in editor.class_label.text()
    assert "集团统一管理" in editor.history.item(0).text()
    editor.add_source(SourceForm(sources + 1, "backup", 10.0, None, "", "", "", ""))
    row = editor.sources.rowCount() - 1
    editor.sources.item(row, 3).setText("两千")
    editor.tabs.setCurrentIndex(0)
    assert not editor.save()
    assert editor.tabs.currentIndex() == 1  # the faulty table is brought to the front
    assert "c62828" in editor.sources.styleSheet()
    assert "不是数字" in editor.problems.text() and "变电站" in editor.problems.text()
    editor.sources.item(row, 3).setText("2,000")
    editor.sources.item(row, 4).setText("东郊 110 kV 变电站")
    editor.sources.item(row, 5).setText("东郊一线")
    assert editor.save(), editor.problems.text()
    with demo_ctx.store.read() as session:
        added = session.scalars(
            select(PowerSource).where(
                PowerSource.customer_id == customer_id, PowerSource.line == "东郊一线"
            )
        ).one()
        assert added.role == "backup" and added.capacity_kva == 2000


def test_a_verified_date_typed_wrong_is_refused_not_dropped(ctx, keyacct_qapp, qtbot) -> None:
    from keyacct_desktop.gui.customer_editor import CustomerEditor

    customer_id = ProfileService(ctx.store).save(good_form())
    editor = CustomerEditor(ctx, customer_id)
    qtbot.addWidget(editor)
    editor.contacts.item(0, 5).setText("2026/13/01")
    assert not editor.save()
    assert "核实日期" in editor.problems.text() and "2026/13/01" in editor.problems.text()
    assert "统一社会信用代码" not in editor.problems.text()
    editor.uscc.setText("91350100M000100Y44")
    editor.contacts.item(0, 5).setText("2026-03-01")
    assert not editor.save()
    assert editor.problems.text().startswith("统一社会信用代码:")  # the field is named
    editor.uscc.setText("91350100M000100Y43")
    assert editor.save()
    assert ProfileService(ctx.store).load(customer_id).contacts[0].last_verified == date(2026, 3, 1)


def test_the_editor_sets_a_class_by_hand_and_goes_back_to_the_computed_one(
    demo_ctx, keyacct_qapp, qtbot
) -> None:
    from keyacct_desktop.gui.customer_editor import CustomerEditor

    with demo_ctx.store.read() as session:
        customer = session.scalars(
            select(Customer).where(Customer.pyramid_class == "D").order_by(Customer.account_no)
        ).first()
        customer_id = customer.id
    editor = CustomerEditor(demo_ctx, customer_id)
    qtbot.addWidget(editor)
    assert not editor.computed_class_button.isEnabled()  # nothing set by hand yet
    editor.manual_class.setCurrentIndex(editor.manual_class.findData("A"))
    assert not editor.set_class("A")  # no reason
    assert "原因" in editor.problems.text() and "c62828" in editor.manual_reason.styleSheet()
    editor.manual_reason.setText("省重点招商项目")
    assert editor.set_class("A")
    assert (
        "当前分级:A" in editor.class_label.text() and "省重点招商项目" in editor.class_label.text()
    )
    assert editor.computed_class_button.isEnabled()
    assert editor.set_class(None)
    assert "当前分级:D" in editor.class_label.text()
    history = [editor.history.item(i).text() for i in range(editor.history.count())]
    assert len(history) == 2 and "A → D" in history[0] and "D → A" in history[1]
    with demo_ctx.store.read() as session:
        assert session.get(Customer, customer_id).pyramid_override is None
