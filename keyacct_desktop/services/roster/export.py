"""The roster export: every profile field in a workbook with the sheets 客户, 联系人 and 电源,
which imports back into a fresh store field for field."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from keyacct_desktop.domain.customer_fields import (
    CONTACT_FIELDS,
    CONTACT_SHEET,
    CUSTOMER_FIELDS,
    CUSTOMER_SHEET,
    SOURCE_FIELDS,
    SOURCE_SHEET,
    CustomerField,
)
from keyacct_desktop.domain.customer_values import export_value
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.services.roster.plan import REFS
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Customer, Grid, Park, User


def _sheet_header(sheet: Any, fields: tuple[CustomerField, ...]) -> list[CustomerField]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    specs = [f for f in fields if f.export]
    bold = Font(bold=True)
    cells = []
    for spec in specs:
        cell = WriteOnlyCell(sheet, value=spec.column)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    sheet.freeze_panes = "A2"
    return specs


def _out(sheet: Any, spec: CustomerField, value: Any) -> Any:
    """A cell as exported: codes by label, 户号 as text, rates as a fraction shown in %."""
    value = export_value(spec, value)
    if spec.kind == "account" and value is not None:
        return str(value)
    if spec.kind == "rate" and value is not None:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "0.00%"  # 0.9725 shows as 97.25%; the value stays exact
        return cell
    return value


def export_customers(store: Store, query: CustomerQuery, path: Path) -> int:
    """Write every profile field of the customers matching ``query`` to an .xlsx workbook.

    Sheets 客户 (one row per customer), 联系人 and 电源 (one row each, by 户号); the
    workbook imports back through :func:`plan_import`. Returns the number of customers.
    """
    import openpyxl

    from keyacct_desktop.security.files import atomic_write

    ids = CustomerDirectory(store).find_ids(query)
    book = openpyxl.Workbook(write_only=True)
    customers = book.create_sheet(CUSTOMER_SHEET)
    contacts = book.create_sheet(CONTACT_SHEET)
    sources = book.create_sheet(SOURCE_SHEET)
    customer_specs = _sheet_header(customers, CUSTOMER_FIELDS)
    contact_specs = _sheet_header(contacts, CONTACT_FIELDS)
    source_specs = _sheet_header(sources, SOURCE_FIELDS)
    with store.read() as session:
        names: dict[str, dict[uuid.UUID | None, str]] = {  # no park etc.: None, no name
            "park": dict(session.execute(select(Park.id, Park.name)).tuples().all()),
            "grid": dict(session.execute(select(Grid.id, Grid.name)).tuples().all()),
            "manager": dict(session.execute(select(User.id, User.display_name)).tuples().all()),
        }
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            loaded = {
                c.id: c
                for c in session.scalars(
                    select(Customer)
                    .where(Customer.id.in_(chunk))
                    .options(selectinload(Customer.contacts), selectinload(Customer.power_sources))
                )
            }
            for customer_id in chunk:
                customer = loaded[customer_id]
                refs = {
                    "park": names["park"].get(customer.park_id),
                    "grid": names["grid"].get(customer.grid_id),
                    "manager": names["manager"].get(customer.manager_id),
                }
                customers.append(
                    [
                        _out(
                            customers,
                            s,
                            refs[s.key] if s.key in REFS else getattr(customer, s.key),
                        )
                        for s in customer_specs
                    ]
                )
                for contact in sorted(customer.contacts, key=lambda k: (not k.is_primary, k.name)):
                    contacts.append(
                        [
                            _out(
                                contacts,
                                s,
                                customer.account_no
                                if s.key == "account_no"
                                else getattr(contact, s.key),
                            )
                            for s in contact_specs
                        ]
                    )
                for source in customer.power_sources:
                    sources.append(
                        [
                            _out(
                                sources,
                                s,
                                customer.account_no
                                if s.key == "account_no"
                                else getattr(source, s.key),
                            )
                            for s in source_specs
                        ]
                    )
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write(path, buffer.getvalue())
    return len(ids)
