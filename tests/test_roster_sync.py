"""A roster imported on a laptop reaches the server and another laptop (real server on loopback).

New customers are written with Core inserts (not through the ORM's change-log hook); their
change-log rows are written by the importer in the same transaction. This checks that what
the import wrote is exactly what a second device pulls.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from keyacct_desktop.services.roster import apply as roster_apply
from keyacct_desktop.services.roster.apply import apply_import
from keyacct_desktop.services.roster.plan import plan_import
from keyacct_desktop.sync import push as sync_push
from keyacct_desktop.sync.state import pending_count
from tests.roster_helpers import roster_rows, write_xlsx
from tests.sync_helpers import Device, ServerProcess


@pytest.fixture(scope="module")
def server(server_database: str) -> Iterator[ServerProcess]:
    process = ServerProcess(server_database)
    process.create_user("super", "supervisor")
    process.start()
    yield process
    process.stop()


@pytest.mark.parametrize("rows", [40, 300])  # row by row and bulk search index
def test_an_imported_roster_syncs_whole(
    server, tmp_path: Path, rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The thresholds scaled down with the roster (2,000 rows for the bulk index, 1,000 changes
    # a push): 300 rows take the bulk path and several pushes, as a full roster does.
    monkeypatch.setattr(roster_apply, "BULK_INDEX_ROWS", 200)
    monkeypatch.setattr(sync_push, "PUSH_BATCH", 150)
    office = Device.sign_in(server, tmp_path, f"office-{rows}", "super")
    other = Device.sign_in(server, tmp_path, f"other-{rows}", "super")
    try:
        office.sync()
        data, _ = roster_rows(rows, seed=rows)
        for row in data:  # accounts unique per run of this module
            row[1] = f"{rows}{row[1]}"[:16]
            row[5] = f"{row[5]}-{rows}"
            row[6] = f"{row[6]}-{rows}"
            row[7] = ""  # managers are accounts the server creates, not rows a laptop sends
        plan = plan_import(office.store, write_xlsx(tmp_path / f"roster-{rows}.xlsx", data))
        assert plan.problems == [] and plan.new_managers == []
        assert apply_import(office.store, plan, valid_only=False, create_refs=True) == rows
        report = office.sync()
        assert pending_count(office.store) == 0, report
        other.sync()
        mine = office.snapshot()
        theirs = other.snapshot()
        imported = {
            k: v
            for k, v in mine.items()
            if k.split(":")[0] in ("customer", "contact", "park", "grid")
        }
        assert sum(1 for k in imported if k.startswith("customer:")) >= rows
        for key, value in imported.items():
            assert theirs.get(key) == value, key
    finally:
        office.close()
        other.close()
