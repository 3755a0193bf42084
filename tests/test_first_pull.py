"""A new device's first pull straight into its tables (issue 22, sync/first_pull.py): the same
store and merge bases as the inbox path, an interrupted first pull that resumes, and edits on
both sides afterwards that merge by the usual rules.

One small SQLite server filled by ``keyacct-server demo`` (grids, customers, contacts, visits,
referrals, documents); pages of 40 changes, so a pull spans many pages and children arrive
before the parents a later edit moved to a later page.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from keyacct_desktop.store.local import PendingChange, SyncBase, SyncInbox, SyncSetAside
from keyacct_desktop.store.models import Customer
from keyacct_desktop.sync import first_pull
from keyacct_desktop.sync import pull as sync_pull
from keyacct_desktop.sync.state import get_state
from keyacct_desktop.sync.transport import OfflineError
from tests.sync_helpers import PASSWORD, Device, ServerProcess, api_sign_in, applied, wire_op

PAGE = 40


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("first-pull-server")
    process = ServerProcess(f"sqlite:///{folder / 'server.sqlite3'}")
    process.cli(
        "demo", "--customers", "40", "--managers", "2", "--seed", "7", stdin=PASSWORD + "\n"
    )
    process.start()
    # Edit two of manager1's customers now: their new versions come after their contacts,
    # visits … so those arrive in earlier pages than the customer they belong to.
    api = api_sign_in(process, "manager1", "editor")
    customers = [c for c in api.access()["customers"]][:2]
    pulled = {c["id"]: c for c in _all_changes(api) if c["table"] == "customer"}
    applied(
        api.push(
            [
                wire_op(
                    "customer",
                    customer,
                    {"notes": "首拉测试"},
                    base_version=pulled[customer]["version"],
                )
                for customer in customers
            ]
        )
    )
    api.close()
    yield process
    process.stop()


def _all_changes(api: Any) -> list[dict[str, Any]]:
    changes, cursor, more = [], 0, True
    while more:
        page = api.pull(cursor, 1000)
        changes += page["changes"]
        cursor, more = page["cursor"], page["more"]
    return changes


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_pull, "PULL_PAGE", PAGE)


def _store_of(device: Device) -> tuple[dict[str, Any], dict[tuple[str, uuid.UUID], Any]]:
    """Every synced row (wire data) and every merge base of a device."""
    with device.store.read() as session:
        bases = {
            (b.table_name, b.row_id): (b.version, b.data) for b in session.scalars(select(SyncBase))
        }
        assert session.scalars(select(SyncInbox)).first() is None
        assert session.scalars(select(SyncSetAside)).first() is None
    return device.snapshot(), bases


@pytest.fixture(scope="module")
def usual(server: ServerProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The store manager1's first sync writes through the inbox (first-pull mode off)."""
    device = Device.sign_in(server, tmp_path_factory.mktemp("usual"), "usual", "manager1")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sync_pull, "PULL_PAGE", PAGE)
        patch.setattr(first_pull, "ENABLED", False)
        device.sync()
    yield _store_of(device)
    device.close()


def _spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts the rows pages wrote straight into the tables and those they left to the inbox."""
    counts = {"pages": 0, "written": 0, "inbox": 0}
    original = first_pull.write_page

    def spy(session: Any, entries: list[Any], in_inbox: set[Any]) -> list[Any]:
        later = original(session, entries, in_inbox)
        counts["pages"] += 1
        counts["written"] += len(entries) - len(later)
        counts["inbox"] += len(later)
        return later

    monkeypatch.setattr(first_pull, "write_page", spy)
    return counts


def test_a_first_pull_writes_the_store_the_inbox_path_writes(
    server: ServerProcess, usual: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = _spy(monkeypatch)
    device = Device.sign_in(server, tmp_path, "new", "manager1")
    try:
        report = device.sync()
        assert report.set_aside == 0
        rows, bases = _store_of(device)
        assert len(rows) > 3 * PAGE
        assert rows == usual[0]
        assert bases == usual[1]
        assert counts["pages"] > 3 and counts["written"] > 0.8 * len(rows)
        assert counts["inbox"] > 0  # the children of the edited customers came first
        assert get_state(device.store, first_pull.STATE_KEY) is None
        assert not first_pull.applies(device.store, get_state(device.store, "cursor"))
        _search_finds_every_contact(device)
    finally:
        device.close()


def _search_finds_every_contact(device: Device) -> None:
    """Contacts are written before their customers (``pull._BEFORE_PARENT``): the search
    indexes still hold every contact, by one and two characters and by three or more."""
    from sqlalchemy import text

    from keyacct_desktop.services.customers import _search_rowids

    with device.store.read() as session:
        contacts = session.execute(
            text(
                "SELECT c.rowid, k.name FROM contact k JOIN customer c ON c.id = k.customer_id"
                " WHERE length(k.name) >= 3"
            )
        ).all()
        assert len(contacts) > 5
        for rowid, name in contacts:
            for probe in (name[:1], name[:2], name):
                assert rowid in set(session.scalars(_search_rowids(probe))), (name, probe)


def test_an_interrupted_first_pull_resumes_without_loss_or_duplicates(
    server: ServerProcess, usual: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = _spy(monkeypatch)
    device = Device.sign_in(server, tmp_path, "cut", "manager1")
    original = device.api.pull
    served = 0

    def cut_off(*args: Any, **kwargs: Any) -> Any:
        nonlocal served
        served += 1
        if served == 4:
            raise OfflineError("network lost")
        return original(*args, **kwargs)

    device.api.pull = cut_off  # type: ignore[method-assign]
    try:
        with pytest.raises(OfflineError):
            device.sync()
        assert get_state(device.store, first_pull.STATE_KEY) is True
        assert get_state(device.store, "cursor") > 0
        with device.store.read() as session:
            assert session.scalars(select(Customer.id)).first() is not None  # pages 1-3 are in
        written = counts["written"]
        device.sync()
        assert counts["written"] > written  # it went on in first-pull mode
        assert _store_of(device) == usual
    finally:
        device.close()


def test_edits_on_both_sides_after_a_first_pull_merge_by_the_usual_rules(
    server: ServerProcess, tmp_path: Path
) -> None:
    """The same edits on a device that pulled first-pull style and one that pulled through
    the inbox give the same answers: other fields merge, the same field conflicts alike."""
    outcomes = []
    for enabled in (True, False):
        first_pull.ENABLED = enabled
        try:
            device = Device.sign_in(server, tmp_path, f"edit-{enabled}", "manager2")
            device.sync()
        finally:
            first_pull.ENABLED = True
        other = Device.sign_in(server, tmp_path, f"other-{enabled}", "manager2")
        try:
            other.sync()
            with device.store.read() as session:
                target = session.scalars(select(Customer.id).order_by(Customer.name)).first()
            with other.store.begin() as session:
                customer = session.get(Customer, target)
                customer.notes = f"另一台电脑 {enabled}"
                customer.address = f"一号 {enabled}"
            other.sync()
            with device.store.begin() as session:
                customer = session.get(Customer, target)
                customer.name = f"{customer.name}(改)"
                customer.address = f"二号 {enabled}"
            report = device.sync()
            with device.store.read() as session:
                customer = session.get(Customer, target)
                held = (customer.name.endswith("(改)"), customer.notes, customer.address)
                assert session.scalars(select(PendingChange)).first() is None
            other.sync()
            with other.store.read() as session:
                there = session.get(Customer, target)
                assert (there.name, there.notes, there.address) == (
                    customer.name,
                    customer.notes,
                    customer.address,
                )
            outcomes.append(
                (held[0], held[1] == f"另一台电脑 {enabled}", held[2][:2], report.conflicts)
            )
        finally:
            device.close()
            other.close()
    assert outcomes[0] == outcomes[1]
    # other fields merged both ways; the same field: the server's value stays, one conflict
    assert outcomes[0] == (True, True, "一号", 1)
