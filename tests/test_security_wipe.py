"""Sign-out / device removal: count unsynced changes, then wipe data, backups and keys."""

from __future__ import annotations

from pathlib import Path

from keyacct_desktop.backup import backups_dir, create_backup
from keyacct_desktop.paths import store_path
from keyacct_desktop.security.device import StoreState, store_state
from keyacct_desktop.security.files import write_protected
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.db import open_store
from keyacct_desktop.store.models import Park
from keyacct_desktop.sync.account import wipe_device
from keyacct_desktop.sync.review import local_only
from tests.security_helpers import MemoryKeyring, set_up_keys


def test_wipe_removes_every_trace_but_keeps_settings(data_dir: Path) -> None:
    backend = MemoryKeyring()
    keys, key = set_up_keys(data_dir, backend)
    keys.remember(key)
    store = open_store(store_path(data_dir), key=key)
    assert local_only(store).total == 0
    with store.begin() as session:
        session.add_all([Park(name="高新区"), Park(name="经开区")])
    with store.begin() as session:
        session.add(Park(name="临港"))
    assert local_only(store).total == 3
    create_backup(store, backups_dir(data_dir), keep=3)
    store.close()
    write_protected(data_dir / "attachments" / "visit" / "photo.png", b"\x89PNG", key)
    settings = Settings.in_dir(data_dir)
    settings.set("sync.server_url", "https://keyacct.example")
    settings.save()

    report = wipe_device(data_dir, keys)

    assert report.keyring_entry_removed
    assert backend.entries == {}
    assert store_path(data_dir) in report.files
    assert sorted(p.name for p in data_dir.iterdir()) == ["settings.json"]
    assert store_state(data_dir) is StoreState.NEW
    assert not keys.is_set_up
    # Wiping an already empty directory is harmless.
    assert wipe_device(data_dir, keys).files == []
