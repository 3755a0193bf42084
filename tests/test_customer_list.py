"""The customer list reads a page at a time: first page, later pages and count agree with
the whole ordered result for every way of reading them (plans), sort and filter; the list
model shows the first page, counts after, reads further ids when shown; the customer page
reads nothing before it is shown; the short-search index of migration 0008 stays current
and the migration goes down and up again."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import event, insert, text
from sqlalchemy import inspect as sa_inspect

from keyacct_desktop.services import customers as service
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.store.db import Store, alembic_config, migrate
from keyacct_desktop.store.models import Contact, Customer, Grid

CITIES = ["东方", "江南", "鼎新", "华瑞", "锦程"]
TRADES = ["精密机械", "化工", "冷链物流", "数据中心", "光伏", "纺织"]
SURNAMES = "王李张刘陈杨赵黄周吴"


@pytest.fixture
def small_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thresholds scaled to a store of 1,200 customers, so every plan is taken."""
    monkeypatch.setattr(service, "FIRST_PAGE", 20)
    monkeypatch.setattr(service, "COUNT_CAP", 300)
    monkeypatch.setattr(service, "FEW_HITS", 40)
    monkeypatch.setattr(service, "DENSE_WALK", 150)
    monkeypatch.setattr(service, "MERGE_WALK", 200)


@pytest.fixture
def filled(store: Store) -> Iterator[tuple[Store, uuid.UUID]]:
    """1,200 customers: names sorted by city (bunched), contacts, some without figures."""
    rng = random.Random(8)
    grid_id = uuid.uuid4()
    customers, contacts = [], []
    for n in range(1200):
        customer_id = uuid.uuid4()
        customers.append(
            {
                "id": customer_id,
                "account_no": f"{3100000000 + n}",
                "name": f"{rng.choice(CITIES)}{rng.choice(TRADES)}{n}号有限公司",
                "uscc": f"9135{n:06d}MA{n % 7}XY",
                "annual_kwh": None if n % 9 == 0 else float(rng.randrange(1, 50) * 1000),
                "voltage_kv": rng.choice([10.0, 35.0, None]),
                "pyramid_class": rng.choice("ABCD"),
                "grid_id": grid_id if n % 3 == 0 else None,
                "pool_status": "pooled",
                "status": "active",
                "overdue_count": rng.choice([0, 0, 0, 3]),
                "overdue_days_max": 0,
                "violation_count": 0,
                "high_energy": False,
                "operating_trouble": False,
                "version": 0,
            }
        )
        contacts.append(
            {
                "id": uuid.uuid4(),
                "customer_id": customer_id,
                "name": rng.choice(SURNAMES) + rng.choice("伟芳敏"),
                "mobile": f"139{n:08d}",
                "role": "general",
                "is_primary": False,
                "version": 0,
            }
        )
    with store.begin() as session:
        session.add(Grid(id=grid_id, name="第1网格"))
        session.flush()
        session.execute(insert(Customer), customers)
        session.execute(insert(Contact), contacts)
    yield store, grid_id


QUERIES = [
    "有限公司",  # everyone: dense
    "有",
    "公司1",  # dense-ish phrase
    "锦程",  # a city: bunched at one place of the name order
    "化工",
    "冷",
    "王伟",  # contact names
    "张",
    "139",  # phones
    "ma3",  # USCC letters, any case
    "M",
    "1199号",
    "没有",
    '公司" OR "x',
]


@pytest.mark.usefixtures("small_plans")
def test_pages_and_counts_agree_with_the_whole_result(filled) -> None:
    store, grid_id = filled
    directory = CustomerDirectory(store)
    sorts = [("name", False), ("annual_kwh", True), ("voltage_kv", False), ("account_no", True)]
    filters = [{}, {"grid_id": grid_id}, {"pyramid_classes": ("A", "B")}, {"risk_only": True}]
    plans_seen = set()
    for words in QUERIES:
        for (sort, descending), extra in zip(sorts, filters, strict=True):
            query = CustomerQuery(text=words, sort=sort, descending=descending, **extra)
            every = directory.find_ids(query)
            first = directory.first_page(query)
            plans_seen.add(first.plan)
            assert first.ids == every[: service.FIRST_PAGE], (query, first.plan)
            assert first.more == (len(every) > service.FIRST_PAGE)
            assert first.total in (None, len(every))
            assert directory.count(query) == len(every)
            for plan in ("hits", "merge", "documents"):
                assert directory.page(query, 15, 30, plan) == every[15:45], (query, plan)
                assert directory.page(query, 170, 400, plan) == every[170:570], (query, plan)
    assert plans_seen == {"hits", "merge", "documents"}


def test_short_searches_use_the_gram_index_kept_by_triggers(store: Store) -> None:
    a = Customer(account_no="3107000012", name="东方冷链物流有限公司", uscc="91350100MA0001QY43")
    a.contacts.append(Contact(name="欧阳明轩", mobile="13912345678"))
    with store.begin() as session:
        session.add(a)
    directory = CustomerDirectory(store)

    def grams(token: str) -> int:
        with store.read() as session:
            return session.scalar(
                text("SELECT count(*) FROM customer_grams WHERE customer_grams MATCH :t"),
                {"t": token.encode().hex().upper()},
            )

    assert grams("冷链") == 1 and grams("ma") == 1 and grams("q") == 1  # letters folded
    for short in ("冷", "冷链", "欧阳", "MA", "Ma", "q", "Y4", "9"):
        assert directory.find_ids(CustomerQuery(text=short)) == [a.id], short
        assert directory.count(CustomerQuery(text=short)) == 1
    assert directory.find_ids(CustomerQuery(text="司 ")) == [a.id]  # trimmed
    with store.begin() as session:
        customer = session.get(Customer, a.id)
        customer.name = "江南精细化工有限公司"
        customer.contacts[0].name = "司马相如"
    assert grams("冷链") == 0 and grams("化工") == 1 and grams("欧阳") == 0
    assert directory.find_ids(CustomerQuery(text="司马")) == [a.id]
    with store.begin() as session:
        session.delete(session.get(Customer, a.id))
    assert grams("化工") == 0 and grams("司马") == 0 and grams("9") == 0


def test_the_gram_index_matches_the_documents_after_any_edits(store: Store) -> None:
    """Contacts added, renamed, moved and removed, customers renamed and removed: every
    one- and two-character search finds what a substring test of the documents finds."""
    rng = random.Random(3)
    words = "东方冷链物流江南化工欧阳明轩司马相如 AbC-12"
    customers = [
        Customer(account_no=f"31070000{n:02d}", name="".join(rng.sample(words, 6)))
        for n in range(12)
    ]
    for customer in customers:
        for _ in range(rng.randrange(0, 3)):
            customer.contacts.append(
                Contact(name="".join(rng.sample(words, 3)), mobile=f"139{rng.randrange(10**8)}")
            )
    with store.begin() as session:
        session.add_all(customers)
    with store.begin() as session:
        for customer in customers[:6]:
            row = session.get(Customer, customer.id)
            row.contacts.append(Contact(name="".join(rng.sample(words, 3)), landline="0571 8"))
            if row.contacts and rng.random() < 0.5:
                row.contacts[0].name = "".join(rng.sample(words, 4))
        session.get(Customer, customers[6].id).name = "新名字有限公司"
        moved = session.get(Customer, customers[0].id).contacts[-1]
        moved.customer_id = customers[7].id
        session.delete(session.get(Customer, customers[8].id))
    with store.begin() as session:
        for contact in session.get(Customer, customers[1].id).contacts[:1]:
            session.delete(contact)
    directory = CustomerDirectory(store)
    with store.read() as session:
        documents = {
            rowid: body
            for rowid, body in session.execute(
                text("SELECT rowid, lower(body) FROM customer_search")
            )
        }
        ids = {rowid: id_ for rowid, id_ in session.execute(text("SELECT rowid, id FROM customer"))}
        session.execute(
            text("INSERT INTO customer_grams(customer_grams) VALUES ('integrity-check')")
        )
    shorts = {ch for body in documents.values() for ch in body if ch != " "}
    shorts |= {body[i : i + 2] for body in documents.values() for i in range(len(body) - 1)}
    for short in sorted(s for s in shorts if " " not in s):
        expected = {uuid.UUID(ids[r]) for r, body in documents.items() if short in body}
        assert set(directory.find_ids(CustomerQuery(text=short))) == expected, short
        assert directory.count(CustomerQuery(text=short.upper())) == len(expected), short


def test_the_migration_goes_down_and_up_again(store: Store) -> None:
    with store.begin() as session:
        session.add(Customer(account_no="3107000012", name="东方冷链物流有限公司"))
    from alembic import command

    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007_customer_search")
    # The 0007 triggers are back and keep their index. Inserted with the columns the table
    # has at 0007 (later revisions add customer columns that the model names already).
    with store.engine.begin() as connection:
        present = {column["name"] for column in sa_inspect(connection).get_columns("customer")}
        row = {
            column.name: column.default.arg
            for column in Customer.__table__.columns
            if column.name in present
            and column.default is not None
            and not callable(column.default.arg)
        }
        now = datetime.now()
        row.update(
            id=uuid.uuid4().hex,
            account_no="3107000013",
            name="江南化工有限公司",
            created_at=now,
            updated_at=now,
        )
        connection.execute(
            text(f"INSERT INTO customer ({', '.join(row)}) VALUES (:{', :'.join(row)})"), row
        )
    migrate(store.engine)
    directory = CustomerDirectory(store)
    assert len(directory.find_ids(CustomerQuery(text="化"))) == 1  # grams rebuilt
    assert len(directory.find_ids(CustomerQuery(text="有限公司"))) == 2


@pytest.mark.usefixtures("small_plans")
def test_the_list_model_counts_after_the_first_page(
    filled, keyacct_qapp, qtbot, qtmodeltester
) -> None:
    from PySide6.QtCore import Qt

    from keyacct_desktop.gui.customer_table import CustomerTableModel, IdRole

    store, _grid = filled
    directory = CustomerDirectory(store)
    model = CustomerTableModel(directory)
    assert model.rowCount() == 0 and not model.started
    model.sort(8, Qt.SortOrder.DescendingOrder)  # before any query: only noted
    assert not model.started and model.query.sort == "annual_kwh"

    query = CustomerQuery(text="有限", sort="annual_kwh", descending=True)
    every = directory.find_ids(query)
    with qtbot.waitSignal(model.total_changed) as counted:
        model.set_query(query)
        assert model.total is None and model.rowCount() == service.FIRST_PAGE
    assert counted.args == [len(every)] and model.rowCount() == len(every)
    assert [model.index(r, 0).data(IdRole) for r in range(len(every))] == every
    assert model.customer_id(len(every) - 1) == every[-1]

    model.set_query(CustomerQuery(text="1199号"))  # the first page tells the total
    assert model.total == 1 and model.rowCount() == 1

    model.set_query(query)
    qtmodeltester.check(model, force_py=True)  # before and while the count inserts the rest
    qtbot.waitUntil(lambda: model.total is not None)
    assert model.count_now() == len(every)
    selection = model.index(3, 1)
    from PySide6.QtCore import QPersistentModelIndex

    kept = QPersistentModelIndex(selection)
    chosen = model.customer_id(3)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == len(every)
    by_name = directory.find_ids(replace(query, sort="name", descending=False))
    assert [model.customer_id(r) for r in range(len(by_name))] == by_name
    if kept.isValid():  # followed its customer, when that is among the first page
        assert model.customer_id(kept.row()) == chosen


def test_the_customer_page_reads_nothing_until_shown(demo_ctx, keyacct_qapp, qtbot) -> None:
    from keyacct_desktop.gui.pages.customers import CustomersPage

    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(demo_ctx.store.engine, "before_cursor_execute", seen)
    try:
        page = CustomersPage(demo_ctx)
        qtbot.addWidget(page)
        assert statements == []
        assert page.model.rowCount() == 0 and page.grid_filter.count() == 0
        page.activated()
        assert statements and page.model.rowCount() == 120
        assert page.grid_filter.count() > 1 and "120" in page.count_label.text()
        statements.clear()
        page.activated()  # shown again: nothing to read
        assert statements == []
    finally:
        event.remove(demo_ctx.store.engine, "before_cursor_execute", seen)
