"""Pyramid classes recomputed by consumption or profit, overridden with a reason, with history."""

from __future__ import annotations

import pytest

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.services.pyramid import PyramidService
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.models import Customer


@pytest.fixture
def customers(store):  # type: ignore[no-untyped-def]
    # consumption: big → small; profit: the high-energy user contributes little
    data = [
        ("钢铁", 5_000, 10),
        ("数据中心", 3_000, 400),
        ("医药", 1_000, 300),
        ("纺织", 600, 200),
        ("商场", 300, 80),
        ("仓储", 100, 10),
    ]
    rows = [
        Customer(
            account_no=f"90000{n}", name=name, annual_kwh=kwh * 1e4, annual_profit_yuan=profit * 1e4
        )
        for n, (name, kwh, profit) in enumerate(data)
    ]
    with store.begin() as session:
        session.add_all(rows)
    return {c.name: c.id for c in rows}


def classes(store) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with store.read() as session:
        return {c.name: c.pyramid_override or c.pyramid_class for c in session.query(Customer)}


def test_recompute_by_consumption_then_by_profit_keeps_history(store, customers) -> None:
    settings = Settings()
    service = PyramidService(store, settings)
    result = service.recompute()
    assert classes(store) == {
        "钢铁": "A",
        "数据中心": "B",
        "医药": "C",
        "纺织": "C",
        "商场": "D",
        "仓储": "D",
    }
    assert result.changed == 6 and result.by_class == {"A": 1, "B": 1, "C": 2, "D": 2}
    assert service.recompute().changed == 0  # nothing moved, no new history
    settings.set("pyramid.basis", "profit")
    service.recompute()
    assert classes(store)["钢铁"] == "D" and classes(store)["数据中心"] == "A"
    history = service.history(customers["钢铁"])
    assert [(h[1], h[2], h[3]) for h in history] == [
        (None, "A", "consumption"),
        ("A", "D", "profit"),
    ]


def test_manual_override_needs_a_reason_and_is_recorded(store, customers) -> None:
    service = PyramidService(store, Settings())
    service.recompute()
    with pytest.raises(UserError) as no_reason:
        service.override(customers["仓储"], "A", " ")
    assert no_reason.value.field == "reason"
    with pytest.raises(UserError):
        service.override(customers["仓储"], "E", "x")
    service.override(customers["仓储"], "A", "政府重点项目保障单位")
    assert classes(store)["仓储"] == "A"
    service.recompute()  # a recomputation keeps the override in force
    assert classes(store)["仓储"] == "A"
    *_, last = service.history(customers["仓储"])
    assert last[1:] == ("D", "A", "manual", "政府重点项目保障单位")
    service.override(customers["仓储"], None, "")
    assert classes(store)["仓储"] == "D"


def test_bad_settings_are_refused_clearly(store, customers) -> None:
    settings = Settings()
    settings.set("pyramid.cumulative_cutoffs", [0.9, 0.5, 0.95])
    with pytest.raises(UserError) as bad:
        PyramidService(store, settings).recompute()
    assert "递增" in bad.value.message_zh


def test_customer_page_recomputes_and_overrides(demo_ctx, keyacct_qapp, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from keyacct_desktop.gui.main_window import MainWindow

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: errors.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    page = window.show_page("customers")
    page.recompute_classes()
    assert "A: " in told[-1] and "D: " in told[-1]
    page.table.selectRow(0)
    assert not page.override_class("A", "")
    assert errors and "原因" in errors[-1]
    assert page.override_class("A", "市重点保障企业")
    customer = page.model.customer_id(0)
    assert (
        PyramidService(demo_ctx.store, demo_ctx.settings).history(customer)[-1][4]
        == "市重点保障企业"
    )


def test_recompute_from_twelve_months_of_history_by_each_basis(store, customers) -> None:  # type: ignore[no-untyped-def]
    """With monthly figures the last 12 months count, not the profile's annual figures.

    Per month, bill = kWh × price: 钢铁 100,000 kWh at 0.50, 数据中心 40,000 at 0.90,
    医药 30,000 at 0.80. 纺织, 商场 and 仓储 have no history: their profile figures count.
    """
    from sqlalchemy import insert

    from keyacct_desktop.domain.billing import month_span
    from keyacct_desktop.store.models import CustomerMonth, customer_month_id

    prices = {"钢铁": (100_000, 0.5), "数据中心": (40_000, 0.9), "医药": (30_000, 0.8)}
    rows = [
        {
            "id": customer_month_id(customers[name], month),
            "customer_id": customers[name],
            "month": month,
            "kwh": float(kwh),
            "bill_yuan": kwh * price,
            "version": 0,
        }
        for name, (kwh, price) in prices.items()
        for month in month_span("2026-10", 13)  # 2025-10 is outside the 12 months
    ]
    with store.begin() as session:
        session.execute(insert(CustomerMonth), rows)
    settings = Settings()
    service = PyramidService(store, settings)
    assert service.due_for_review()
    settings.set("pyramid.basis", "revenue")
    service.recompute()
    # revenue over 12 months: 钢铁 600,000, 数据中心 432,000, 医药 288,000; total 1,320,000;
    # the others have no revenue figure (0 → D). Shares before: 钢铁 0 → A; 数据中心 600/1320 = 45.5 % < 50 % → A;
    # 医药 1032/1320 = 78.2 % < 80 % → B; the rest have 0 → D
    assert classes(store) == {
        "钢铁": "A",
        "数据中心": "A",
        "医药": "B",
        "纺织": "D",
        "商场": "D",
        "仓储": "D",
    }
    settings.set("pyramid.basis", "profit")
    service.recompute()
    # profit = revenue − 0.45 × kWh × 12: 钢铁 600,000 − 540,000 = 60,000;
    # 数据中心 432,000 − 216,000 = 216,000; 医药 288,000 − 162,000 = 126,000;
    # 纺织 2,000,000, 商场 800,000, 仓储 100,000 from the profile (annual profit).
    # total 3,302,000; order 纺织 (0 → A), 商场 (60.6 % → B), 数据中心 (84.8 % → C),
    # 医药 (91.3 % → C), 仓储 (95.1 % → D), 钢铁 (98.2 % → D)
    assert classes(store) == {
        "纺织": "A",
        "商场": "B",
        "数据中心": "C",
        "医药": "C",
        "仓储": "D",
        "钢铁": "D",
    }
    assert not service.due_for_review()


def test_recompute_says_how_many_change_first_and_undoes_in_one_step(
    demo_ctx, keyacct_qapp, qtbot, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox
    from sqlalchemy import select, update

    from keyacct_desktop.gui.main_window import MainWindow
    from keyacct_desktop.store.models import Customer

    def classes() -> dict:  # type: ignore[type-arg]
        with demo_ctx.store.read() as session:
            return dict(session.execute(select(Customer.id, Customer.pyramid_class)).tuples().all())

    with demo_ctx.store.begin() as session:  # classes out of date: all D
        session.execute(
            update(Customer).where(Customer.pool_status == "pooled").values(pyramid_class="D")
        )
    before = classes()
    service = PyramidService(demo_ctx.store, demo_ctx.settings)
    preview = service.recompute(dry_run=True)
    assert preview.changed > 0 and classes() == before  # a dry run writes nothing
    told: list[str] = []
    asked: list[str] = []
    answers = [
        QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
        QMessageBox.StandardButton.Yes,
    ]
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *_a: asked.append(text) or answers.pop(0)
    )
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    page = window.show_page("customers")
    page.recompute_classes()  # "No": nothing changes
    assert classes() == before and not page.undo_recompute_button.isVisibleTo(page)
    assert f"改变 {preview.customers} 个入池客户中 {preview.changed} 个的分级" in asked[0]
    page.recompute_classes()
    after = classes()
    assert sum(after[c] != before[c] for c in before) == preview.changed
    assert page.undo_recompute_button.isVisibleTo(page)
    assert page.undo_recompute() == preview.changed
    assert classes() == before and not page.undo_recompute_button.isVisibleTo(page)
    customer = next(iter(preview.changes))
    assert service.history(customer)[-1][4] == "撤销重新分级"
