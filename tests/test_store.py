"""The local store: round-trips, change log, frozen documents, migrations."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from keyacct_desktop.store.db import (
    STORE_TEMPLATE_ENV,
    current_revisions,
    head_revisions,
    migrate,
    open_store,
    sqlite_engine,
)
from keyacct_desktop.store.guards import FrozenDocumentError
from keyacct_desktop.store.local import PendingChange
from keyacct_desktop.store.models import (
    SYNCED_MODELS,
    Checklist,
    ChecklistItem,
    Contact,
    Customer,
    Park,
    PowerSource,
    Visit,
)


def _customer(**overrides: object) -> Customer:
    values: dict[str, object] = {
        "account_no": "3100000001",
        "name": "华东精密科技有限公司",
        "uscc": "91350100M000100Y43",
        "voltage_kv": 10.0,
        "capacity_kva": 2000.0,
        "annual_kwh": 5_200_000.0,
        "industry": "C",
        "important_grade": "second",
    }
    values.update(overrides)
    return Customer(**values)


def test_customer_profile_round_trip(store) -> None:
    customer = _customer()
    customer.park = Park(name="高新技术产业开发区")
    customer.contacts.append(
        Contact(
            name="王伟", role="electrical", mobile="13800138000", last_verified=date(2026, 5, 1)
        )
    )
    customer.power_sources.append(
        PowerSource(source_no=1, role="main", substation="城东 110 kV 变电站", line="城东一线")
    )
    with store.begin() as session:
        session.add(customer)
    store.close()

    reopened = open_store(store.path)
    with reopened.read() as session:
        loaded = session.scalars(select(Customer)).one()
        assert loaded.id == customer.id
        assert loaded.name == "华东精密科技有限公司"
        assert loaded.park.name == "高新技术产业开发区"
        assert [c.name for c in loaded.contacts] == ["王伟"]
        assert loaded.contacts[0].last_verified == date(2026, 5, 1)
        assert loaded.power_sources[0].line == "城东一线"
        assert loaded.effective_class is None
    reopened.close()


def test_ids_are_client_generated_uuids_known_before_flush() -> None:
    first, second = _customer(), _customer()
    assert first.id is not None and first.id != second.id
    assert first.id.version == 4


def test_every_edit_is_logged_in_the_same_transaction(store) -> None:
    customer = _customer()
    with store.begin() as session:
        session.add(customer)
    with store.begin() as session:
        loaded = session.get(Customer, customer.id)
        loaded.name = "华东精密科技股份有限公司"
        loaded.address = None  # None -> None is no change
    with store.begin() as session:
        session.delete(session.get(Customer, customer.id))
    with store.read() as session:
        log = session.scalars(select(PendingChange).order_by(PendingChange.seq)).all()
    assert [(c.table_name, c.op) for c in log] == [
        ("customer", "upsert"),
        ("customer", "upsert"),
        ("customer", "delete"),
    ]
    assert "account_no" in log[0].fields
    assert log[1].fields == ["name"]
    assert len({c.op_id for c in log}) == 3


def test_failed_transaction_leaves_neither_edit_nor_log(store) -> None:
    with store.begin() as session:
        session.add(_customer())
    with pytest.raises(Exception, match="UNIQUE"), store.begin() as session:
        session.add(_customer(name="重复户号"))  # same account_no
    with store.read() as session:
        assert session.scalar(select(text("count(*)")).select_from(Customer)) == 1
        assert len(session.scalars(select(PendingChange)).all()) == 1


def test_foreign_keys_and_wal_are_on(store) -> None:
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    with pytest.raises(Exception, match="FOREIGN KEY"), store.begin() as session:
        session.add(Contact(customer_id=_customer().id, name="孤儿联系人"))


def test_issued_documents_are_frozen_in_the_store(store) -> None:
    customer = _customer()
    checklist = Checklist(customer_id=customer.id, business_type="hv_new", status="draft")
    checklist.items.append(
        ChecklistItem(position=1, stage="受理", kind="material", text="营业执照")
    )
    with store.begin() as session:
        session.add_all([customer, checklist])
    with store.begin() as session:
        loaded = session.get(Checklist, checklist.id)
        loaded.status = "issued"
        loaded.number = "GZ-2026-0001"
        loaded.issued_at = datetime(2026, 11, 20, 9, 30)
    with pytest.raises(FrozenDocumentError) as caught, store.begin() as session:
        session.get(Checklist, checklist.id).case_note = "改一下"
    assert "GZ-2026-0001" in caught.value.message_zh
    with pytest.raises(FrozenDocumentError), store.begin() as session:
        session.get(Checklist, checklist.id).items[0].text = "身份证"
    with pytest.raises(FrozenDocumentError), store.begin() as session:
        session.delete(session.get(Checklist, checklist.id))
    with pytest.raises(FrozenDocumentError), store.begin() as session:
        issued = session.get(Checklist, checklist.id)
        issued.items.append(ChecklistItem(position=2, stage="受理", kind="material", text="加一项"))
    # Tracking the receipt of a material stays possible after issue.
    with store.begin() as session:
        session.get(Checklist, checklist.id).items[0].received_on = date(2026, 11, 21)
    with store.read() as session:
        item = session.get(Checklist, checklist.id).items[0]
        assert (item.text, item.received_on) == ("营业执照", date(2026, 11, 21))
    # So does the progress of a time-limited step, but not how its clock starts.
    with store.begin() as session:
        tracked = session.get(Checklist, checklist.id).items[0]
        tracked.started_on, tracked.completed_on = date(2026, 11, 23), date(2026, 11, 24)
    with pytest.raises(FrozenDocumentError), store.begin() as session:
        session.get(Checklist, checklist.id).items[0].clock = "step"


def test_migration_from_empty_creates_every_table(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "fresh.sqlite3")
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {model.__tablename__ for model in SYNCED_MODELS} <= tables
    assert {"pending_change", "sync_base", "sync_state", "draft", "alembic_version"} <= tables
    assert current_revisions(engine) == head_revisions()
    engine.dispose()


def test_new_store_from_a_template_behind_the_head_is_migrated_the_rest_of_the_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new store copies the template (STORE_TEMPLATE_ENV); an old template is upgraded on
    open, and a store that already exists is never overwritten by it."""
    template = tmp_path / "template.sqlite3"
    engine = sqlite_engine(template)
    migrate(engine, "0008_customer_list_indexes")
    engine.dispose()
    monkeypatch.setenv(STORE_TEMPLATE_ENV, str(template))
    fresh = open_store(tmp_path / "fresh.sqlite3")
    assert current_revisions(fresh.engine) == head_revisions()
    with fresh.begin() as session:
        session.add(_customer())
    fresh.close()
    again = open_store(tmp_path / "fresh.sqlite3")
    with again.begin() as session:
        assert session.scalar(select(Customer.name)) == "华东精密科技有限公司"
    again.close()
    assert current_revisions(sqlite_engine(template)) == {"0008_customer_list_indexes"}


def test_upgrade_from_first_revision_keeps_data(tmp_path: Path) -> None:
    """A store left at the first revision by an older app is upgraded on open, losing nothing."""
    path = tmp_path / "old.sqlite3"
    engine = sqlite_engine(path)
    migrate(engine, "0001")
    customer = _customer()
    with engine.begin() as connection:
        connection.execute(
            Customer.__table__.insert(),
            {
                "id": customer.id,
                "account_no": "3100000009",
                "name": "旧版本客户",
                "version": 0,
                "created_at": datetime(2025, 1, 1),
                "updated_at": datetime(2025, 1, 1),
                "overdue_count": 0,
                "overdue_days_max": 0,
                "violation_count": 0,
                "high_energy": False,
                "operating_trouble": False,
                "pool_status": "pooled",
                "status": "active",
            },
        )
    engine.dispose()

    store = open_store(path)  # upgrades to the newest revision
    assert current_revisions(store.engine) == head_revisions()
    with store.read() as session:
        assert session.get(Customer, customer.id).name == "旧版本客户"
    store.close()


def test_visit_lists_round_trip_as_json(store) -> None:
    customer = _customer()
    visit = Visit(
        customer_id=customer.id,
        started_at=datetime(2026, 11, 2, 9, 30),
        our_participants=["王伟", "计量中心 李强"],
        customer_attendees=["张敏(设备部)"],
    )
    with store.begin() as session:
        session.add_all([customer, visit])
    raw = sqlite3.connect(store.path).execute("select our_participants from visit").fetchone()[0]
    assert "\\u" in raw or "王伟" in raw
    with store.read() as session:
        assert session.get(Visit, visit.id).our_participants == ["王伟", "计量中心 李强"]


def test_upgrade_to_step_clocks_keeps_checklists_and_starts_only_the_plan_reply(
    tmp_path: Path,
) -> None:
    """0009 adds a start and completion per time limit: an issued checklist of the old app
    keeps its items; the plan reply counts from acceptance, the other steps wait for their
    start, customer lead times and the overall commitment are not counted down, and a limit
    the manager had marked received counts as completed."""
    path = tmp_path / "old.sqlite3"
    engine = sqlite_engine(path)
    migrate(engine, "0008_customer_list_indexes")
    customer = _customer()
    checklist_id = Checklist().id
    stamp = {"version": 0, "created_at": datetime(2026, 1, 1), "updated_at": datetime(2026, 1, 1)}
    rows = [
        ("material", "营业执照", None, None),
        ("limit", "供电方案答复:高压单电源 15 个工作日(自受理之日起)", 15, None),
        ("limit", "中间检查:5 个工作日", 5, None),
        ("limit", "竣工检验:5 个工作日", 5, date(2026, 3, 2)),
        ("limit", "供电企业环节合计:高压单电源不超过 22 个工作日", 22, None),
        ("limit", "暂停申请须提前 5 个工作日提出", 5, None),
        ("step", "设计审核", 10, None),
    ]
    item_ids = [ChecklistItem().id for _ in rows]
    with engine.begin() as connection:
        connection.execute(
            Customer.__table__.insert(),
            {
                "id": customer.id,
                "account_no": "3100000009",
                "name": "旧版本客户",
                **stamp,
                "overdue_count": 0,
                "overdue_days_max": 0,
                "violation_count": 0,
                "high_energy": False,
                "operating_trouble": False,
                "pool_status": "pooled",
                "status": "active",
            },
        )
        connection.execute(
            text(
                "INSERT INTO checklist (id, customer_id, business_type, number, version_no, "
                "status, accepted_on, version, created_at, updated_at) VALUES "
                "(:id, :customer, 'hv_new', 'GZ20260201-ABCDEF', 1, 'issued', '2026-02-02', 0, "
                "'2026-02-02 09:00:00', '2026-02-02 09:00:00')"
            ),
            {"id": checklist_id.hex, "customer": customer.id.hex},
        )
        for position, (item_id, (kind, body, days, received)) in enumerate(
            zip(item_ids, rows, strict=True), start=1
        ):
            connection.execute(
                text(
                    "INSERT INTO checklist_item (id, checklist_id, position, stage, kind, text, "
                    "time_limit_days, case_specific, received_on, version, created_at, "
                    "updated_at) VALUES (:id, :checklist, :position, 'limits', :kind, :text, "
                    ":days, 0, :received, 0, '2026-02-02 09:00:00', '2026-02-02 09:00:00')"
                ),
                {
                    "id": item_id.hex,
                    "checklist": checklist_id.hex,
                    "position": position,
                    "kind": kind,
                    "text": body,
                    "days": days,
                    "received": received.isoformat() if received else None,
                },
            )
    engine.dispose()

    store = open_store(path)  # upgrades to the newest revision
    assert current_revisions(store.engine) == head_revisions()
    with store.read() as session:
        checklist = session.get(Checklist, checklist_id)
        assert (checklist.number, checklist.status) == ("GZ20260201-ABCDEF", "issued")
        got = [
            (i.kind, i.text, i.time_limit_days, i.clock, i.started_on, i.completed_on)
            for i in checklist.items
        ]
    plan = date(2026, 2, 2)
    assert got == [
        ("material", rows[0][1], None, None, None, None),
        ("limit", rows[1][1], 15, "acceptance", plan, None),
        ("limit", rows[2][1], 5, "step", None, None),
        ("limit", rows[3][1], 5, "step", None, date(2026, 3, 2)),
        ("limit", rows[4][1], 22, None, None, None),
        ("limit", rows[5][1], 5, None, None, None),
        ("step", rows[6][1], 10, None, None, None),
    ]
    store.close()
