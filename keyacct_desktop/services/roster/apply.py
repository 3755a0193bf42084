"""Writing an import plan (``roster.plan``) in ONE transaction, or nothing: new parks, grids and
managers, new customers inserted in bulk, existing ones updated field by field."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, select, text
from sqlalchemy.orm import selectinload

from keyacct_desktop.domain.codes import normalize_phone, normalize_uscc
from keyacct_desktop.domain.customer_fields import CUSTOMER_TEXT_FIELDS, CUSTOMER_VALUE_FIELDS
from keyacct_desktop.domain.enums import PoolStatus
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.services.roster.plan import ImportPlan, PlannedRow
from keyacct_desktop.store.changelog import sync_columns
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import PendingChange
from keyacct_desktop.store.models import Contact, Customer, Grid, Park, PowerSource, User


def import_note(plan: ImportPlan) -> str:
    """The evaluation note of customers a roster put into the pool."""
    return f"批量导入 {plan.source} {plan.today.isoformat()}"


def apply_import(
    store: Store,
    plan: ImportPlan,
    *,
    valid_only: bool,
    create_refs: bool = False,
    pool_status: str = PoolStatus.POOLED,
) -> int:
    """Write the plan in ONE transaction: every row, or (``valid_only``) the valid ones.

    Without ``valid_only`` a plan with any problem imports nothing and says so. Parks, grids
    and managers the store does not know are created only with ``create_refs`` (the user
    confirmed the list the preview showed). Rows without a pool-status column get
    ``pool_status``; customers entering the pool get the note "批量导入 <file> <date>".
    Returns the number of customers created or updated.
    """
    if plan.problems and not valid_only:
        raise UserError(
            f"有 {len(plan.bad_rows)} 行有误,未导入任何数据(可选择只导入有效行)",
            f"{len(plan.bad_rows)} row(s) have problems; nothing was imported (choose valid rows only)",
        )
    if pool_status not in {s.value for s in PoolStatus}:
        raise UserError(f"入池状态“{pool_status}”无效", f"invalid pool status {pool_status!r}")
    rows = [r for r in plan.valid if r.existing_id is None or r.changes]
    if plan.new_refs and not create_refs:
        missing = "、".join([*plan.new_parks, *plan.new_grids, *plan.new_managers])
        raise UserError(
            f"以下园区/网格/客户经理尚不存在:{missing}。确认创建它们后再导入"
            "(命令行加 --create-parks),未导入任何数据",
            f"these parks/grids/managers do not exist yet: {missing}; confirm creating them "
            "(--create-parks on the command line); nothing was imported",
        )
    if pool_status != PoolStatus.POOLED:
        gridded = [r.row for r in rows if not r.pool_from_file and r.grid and r.existing_id is None]
        if gridded:
            raise UserError(
                f"{len(gridded)} 行填有网格(如第 {gridded[0]} 行),只有已入池的客户能划入网格:"
                "请选择“已入池”,或删去网格列后再导入",
                f"{len(gridded)} row(s) have a grid (e.g. row {gridded[0]}); only pooled customers "
                "are placed in a grid: choose 'pooled' or remove the grid column",
            )
    note = import_note(plan)
    with store.begin() as session:
        refs = _create_refs(session, plan)
        new_rows = [r for r in rows if r.existing_id is None]
        _insert_new(session, new_rows, refs, pool_status, note, plan.today)
        updates = [r for r in rows if r.existing_id is not None]
        if updates:
            _update_existing(session, updates, refs, note, plan.today)
    return len(rows)


def _create_refs(session: Any, plan: ImportPlan) -> dict[str, dict[str, uuid.UUID]]:
    refs = {
        "park": dict(session.execute(select(Park.name, Park.id)).tuples().all()),
        "grid": dict(session.execute(select(Grid.name, Grid.id)).tuples().all()),
        "manager": {},
    }
    for user_id, username, display_name in session.execute(
        select(User.id, User.username, User.display_name)
    ):
        refs["manager"].setdefault(display_name, user_id)
        refs["manager"].setdefault(username, user_id)
    for name in plan.new_parks:
        if name not in refs["park"]:
            park = Park(name=name, note=f"{import_note(plan)} 时创建")
            session.add(park)
            refs["park"][name] = park.id
    for name in plan.new_managers:
        if name not in refs["manager"]:
            username = name
            suffix = 1
            while session.scalar(select(User.id).where(User.username == username)) is not None:
                suffix += 1
                username = f"{name}{suffix}"
            user = User(username=username, display_name=name, role="manager", active=True)
            session.add(user)
            refs["manager"][name] = user.id
    grid_managers: dict[str, str] = {}
    for row in plan.valid:
        if row.grid and row.manager:
            grid_managers.setdefault(row.grid, row.manager)
    for name in plan.new_grids:
        if name not in refs["grid"]:
            manager = grid_managers.get(name)
            grid = Grid(
                name=name,
                manager_id=refs["manager"].get(manager) if manager else None,
                note=f"{import_note(plan)} 时创建",
            )
            session.add(grid)
            refs["grid"][name] = grid.id
    session.flush()
    return refs


_CUSTOMER_COLUMNS = sync_columns(Customer)


_CONTACT_COLUMNS = sync_columns(Contact)


_SOURCE_COLUMNS = sync_columns(PowerSource)


def _customer_values(
    planned: PlannedRow,
    refs: dict[str, dict[str, uuid.UUID]],
    pool_status: str,
    note: str,
    today: date,
) -> dict[str, Any]:
    form = planned.form
    status = form.pool_status if planned.pool_from_file else pool_status
    values: dict[str, Any] = {
        "account_no": form.account_no.strip(),
        "name": form.name.strip(),
        "uscc": normalize_uscc(form.uscc) or None,
        "park_id": refs["park"].get(planned.park) if planned.park else None,
        "grid_id": refs["grid"].get(planned.grid) if planned.grid else None,
        "manager_id": refs["manager"].get(planned.manager) if planned.manager else None,
        "pool_status": status,
    }
    for key in CUSTOMER_TEXT_FIELDS:
        values[key] = (getattr(form, key) or "").strip() or None
    for key in CUSTOMER_VALUE_FIELDS:
        values[key] = getattr(form, key)
    record = planned.record
    values["pooled_on"] = record.get("pooled_on") or (
        today if status == PoolStatus.POOLED else None
    )
    if status != PoolStatus.POOLED:
        values["pooled_on"] = record.get("pooled_on") if status == PoolStatus.EXITED else None
    if (
        not values["pool_note"]
        and not planned.pool_from_file
        and status in (PoolStatus.POOLED, PoolStatus.EVALUATING)
    ):
        values["pool_note"] = note  # the user's choice for the whole import, on record
    for key in ("pyramid_class", "pyramid_override", "pyramid_override_reason"):
        values[key] = record.get(key) or None
    return values


def _insert_new(
    session: Any,
    rows: list[PlannedRow],
    refs: dict[str, dict[str, uuid.UUID]],
    pool_status: str,
    note: str,
    today: date,
) -> None:
    """New customers with Core inserts (a 50,000-row roster in seconds), change log included."""
    from keyacct_desktop.store.base import utcnow

    now = utcnow()
    stamp = {"version": 0, "created_at": now, "updated_at": now}
    customers: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    for planned in rows:
        customer_id = uuid.uuid4()
        values = _customer_values(planned, refs, pool_status, note, today)
        customers.append({"id": customer_id, "status": "active", **stamp, **values})
        for contact in planned.form.contacts:
            contacts.append(
                {
                    "id": uuid.uuid4(),
                    "customer_id": customer_id,
                    "name": contact.name.strip(),
                    "role": contact.role or "general",
                    "title": contact.title.strip() or None,
                    "mobile": normalize_phone(contact.mobile) or None,
                    "landline": normalize_phone(contact.landline) or None,
                    "email": contact.email.strip() or None,
                    "last_verified": contact.last_verified,
                    "is_primary": contact.is_primary,
                    **stamp,
                }
            )
        for source in planned.form.power_sources:
            sources.append(
                {
                    "id": uuid.uuid4(),
                    "customer_id": customer_id,
                    "source_no": source.source_no,
                    "role": source.role,
                    "voltage_kv": source.voltage_kv,
                    "capacity_kva": source.capacity_kva,
                    "substation": source.substation.strip(),
                    "line": source.line.strip(),
                    "bay": source.bay.strip() or None,
                    "line_type": source.line_type or None,
                    **stamp,
                }
            )
    changes = [
        {
            "op_id": uuid.uuid4(),
            "table_name": model.__tablename__,
            "row_id": r["id"],
            "op": "upsert",
            "fields": columns,
            "attempts": 0,
            "created_at": now,
        }
        for model, table_rows, columns in (
            (Customer, customers, _CUSTOMER_COLUMNS),
            (Contact, contacts, _CONTACT_COLUMNS),
            (PowerSource, sources, _SOURCE_COLUMNS),
        )
        for r in table_rows
    ]
    # Core on the tables: one executemany each (the ORM's bulk path goes row by row).
    for start in range(0, len(changes), 5000):
        session.execute(
            cast(Table, PendingChange.__table__).insert(), changes[start : start + 5000]
        )
    if len(customers) >= BULK_INDEX_ROWS:
        with _search_index_rebuilt_after(session):
            _insert_tables(session, (Customer, customers), (Contact, contacts))
    else:
        # Contacts before their customers, foreign keys checked at commit (the transaction
        # is open now): the customer's insert trigger then writes its search document once,
        # contacts included, instead of each contact's trigger rewriting it; same index.
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        deferred = session.execute(text("PRAGMA defer_foreign_keys")).scalar() == 1
        pairs = ((Contact, contacts), (Customer, customers))
        _insert_tables(session, *(pairs if deferred else pairs[::-1]))
    _insert_tables(session, (PowerSource, sources))


def _insert_tables(session: Any, *tables: tuple[Any, list[dict[str, Any]]]) -> None:
    for model, table_rows in tables:
        for start in range(0, len(table_rows), 5000):
            session.execute(model.__table__.insert(), table_rows[start : start + 5000])


#: From this many new customers the search index is written once for all of them instead of
#: by the insert triggers row by row (about a third of a big import's writing time).
BULK_INDEX_ROWS = 2000


#: The search-index triggers of migration 0008 (``store/migrations/versions``).
SEARCH_TRIGGERS = frozenset(
    {
        "customer_search_ai",
        "customer_search_au",
        "customer_search_bd",
        "contact_search_insert",
        "contact_search_delete",
        "contact_search_update",
    }
)


@contextmanager
def _search_index_rebuilt_after(session: Any) -> Iterator[None]:
    """Inside: inserts into customer/contact without the search triggers; after: the
    documents and grams of the new customers written in two set-based statements, with the
    expressions the triggers use (migration 0008), and the triggers put back as they were.
    All in the import's transaction: a failure rolls the triggers back too. A store whose
    triggers are not the known ones keeps them (row by row, same result).
    """
    triggers = session.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    ).all()
    known = {name: sql for name, sql in triggers if name in SEARCH_TRIGGERS}
    if set(known) != SEARCH_TRIGGERS:
        yield
        return
    index = importlib.import_module(
        "keyacct_desktop.store.migrations.versions.0008_customer_list_indexes"
    )
    last = session.execute(text("SELECT coalesce(max(rowid), 0) FROM customer")).scalar()
    for name in known:
        session.execute(text(f"DROP TRIGGER {name}"))
    yield
    session.execute(
        text(
            f"INSERT INTO customer_search(rowid, body) SELECT c.rowid, {index.BODY} "
            "FROM customer c WHERE c.rowid > :last"
        ),
        {"last": last},
    )
    session.execute(
        text(
            f"INSERT INTO customer_grams(rowid, grams) SELECT d.rowid, {index.GRAMS} FROM "
            "(SELECT rowid AS rowid, lower(body) AS t FROM customer_search "
            "WHERE rowid > :last) d"
        ),
        {"last": last},
    )
    for sql in known.values():
        session.execute(text(sql))


def _update_existing(
    session: Any,
    rows: list[PlannedRow],
    refs: dict[str, dict[str, uuid.UUID]],
    note: str,
    today: date,
) -> None:
    """Customers already in the store (same 户号): the fields the file gives, through the ORM."""
    from keyacct_desktop.services.customer_profile import _matched_children

    ids = [r.existing_id for r in rows]
    customers = {
        c.id: c
        for c in session.scalars(
            select(Customer)
            .where(Customer.id.in_(ids))
            .options(selectinload(Customer.contacts), selectinload(Customer.power_sources))
        )
    }
    for planned in rows:
        customer = customers[planned.existing_id]
        form = planned.form
        changed = {c.field for c in planned.changes}
        values = _customer_values(planned, refs, customer.pool_status, note, today)
        for key, value in values.items():
            field_key = {"park_id": "park", "grid_id": "grid", "manager_id": "manager"}.get(
                key, key
            )
            if field_key in changed:
                setattr(customer, key, value)
        if "pool_status" in changed:
            if form.pool_status == PoolStatus.POOLED and "pooled_on" not in changed:
                customer.pooled_on = today
            if form.pool_status == PoolStatus.POOLED and not customer.pool_note:
                customer.pool_note = note
        if "contacts" in changed:
            for contact, target in _matched_children(
                session, customer.contacts, form.contacts, lambda c: Contact(name=c.name.strip())
            ):
                target.name = contact.name.strip()
                target.role = contact.role
                target.title = contact.title.strip() or None
                target.mobile = normalize_phone(contact.mobile) or None
                target.landline = normalize_phone(contact.landline) or None
                target.email = contact.email.strip() or None
                target.last_verified = contact.last_verified
                target.is_primary = contact.is_primary
        if "power_sources" in changed:
            for source, record in _matched_children(
                session, customer.power_sources, form.power_sources, lambda _s: PowerSource()
            ):
                record.source_no = source.source_no
                record.role = source.role
                record.voltage_kv = source.voltage_kv
                record.capacity_kva = source.capacity_kva
                record.substation = source.substation.strip()
                record.line = source.line.strip()
                record.bay = source.bay.strip() or None
                record.line_type = source.line_type or None
