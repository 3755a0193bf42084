"""Importing a 50,000-row roster vs reading the same file with openpyxl alone (issue 16).

The roster is generated in the shape utilities keep (``tests/roster_helpers.py``: title row,
their headers and units, short forms, full-width digits, landlines with extensions, a 合计
row). The measured figure is the whole import into a fresh store: read, map, check every row
(:func:`plan_import`), then write customers, contacts, parks/grids/managers and the change log
in one transaction (:func:`apply_import`). The baseline is openpyxl's read-only reader
iterating the same file's values, run before and after the import (their mean), so both see
the same moments of the shared machine.
"""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import func, select

from keyacct_desktop.services.roster.apply import apply_import
from keyacct_desktop.services.roster.plan import plan_import
from keyacct_desktop.store.db import open_store
from keyacct_desktop.store.models import Customer
from tests.benchmarks.common import Figure
from tests.roster_helpers import roster_rows, write_xlsx

ROWS = 50_000
TARGET_RATIO = 3.0


def openpyxl_alone(path: Path) -> float:
    """Seconds for openpyxl to read every value of the roster's sheet (read-only mode)."""
    import openpyxl

    start = time.perf_counter()
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for _row in book.worksheets[0].iter_rows(values_only=True):
            pass
    finally:
        book.close()
    return time.perf_counter() - start


def run(folder: Path, rows: int = ROWS) -> list[Figure]:
    folder.mkdir(parents=True, exist_ok=True)
    data, _expected = roster_rows(rows)
    path = write_xlsx(folder / "roster.xlsx", data)
    openpyxl_alone(path)  # warm-up: imports, file cache
    before = openpyxl_alone(path)
    store = open_store(folder / "fresh.sqlite3")
    try:
        start = time.perf_counter()
        plan = plan_import(store, path)
        planned = time.perf_counter() - start
        imported = apply_import(store, plan, valid_only=False, create_refs=True)
        total = time.perf_counter() - start
        with store.read() as session:
            stored = session.scalar(select(func.count()).select_from(Customer))
    finally:
        store.close()
    after = openpyxl_alone(path)
    baseline = (before + after) / 2
    if imported != rows or stored != rows or plan.problems:
        raise AssertionError(f"imported {imported}, stored {stored}, problems {len(plan.problems)}")
    return [
        Figure(
            f"import a {rows:,}-row roster into a fresh store",
            total,
            "s",
            f"≤ {TARGET_RATIO:g}× openpyxl alone",
            total <= TARGET_RATIO * baseline,
            baseline=baseline,
            baseline_label="openpyxl read-only, same file",
            detail=f"read+check {planned:.1f} s, write {total - planned:.1f} s; "
            f"openpyxl {before:.1f}/{after:.1f} s before/after",
        )
    ]
