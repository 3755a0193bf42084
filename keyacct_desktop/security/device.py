"""The data on this device as a whole: its protection state, encrypting it, and wiping it."""

from __future__ import annotations

import enum
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from keyacct_desktop.paths import ATTACHMENTS_DIRNAME, BACKUP_DIRNAME, store_path
from keyacct_desktop.security.encryption import (
    EncryptionReport,
    encrypt_plain_store,
    is_plain_sqlite,
    sidecar_files,
)
from keyacct_desktop.security.files import ProtectedFiles
from keyacct_desktop.security.keys import DeviceKeys


class StoreState(enum.Enum):
    """What a start finds in the data directory, which decides the sign-in dialog to show."""

    NEW = "new"  # no store yet: choose a passphrase
    PLAIN = "plain"  # an unencrypted store: choose a passphrase, then it is encrypted
    ENCRYPTED = "encrypted"  # sign in with the passphrase (or the key in the OS keyring)


def store_state(data_dir: Path) -> StoreState:
    path = store_path(data_dir)
    if not path.exists() or path.stat().st_size == 0:
        return StoreState.NEW
    return StoreState.PLAIN if is_plain_sqlite(path) else StoreState.ENCRYPTED


def _shred(path: Path) -> None:
    """Overwrite a file with random bytes before unlinking it (best effort: see SECURITY.md)."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.write(secrets.token_bytes(min(size, 1 << 20)))
            remaining = size - min(size, 1 << 20)
            while remaining > 0:
                chunk = min(remaining, 1 << 20)
                handle.write(b"\0" * chunk)
                remaining -= chunk
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        pass
    path.unlink(missing_ok=True)


def _shred_tree(directory: Path) -> list[Path]:
    removed = []
    if directory.is_dir():
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            _shred(path)
            removed.append(path)
        shutil.rmtree(directory, ignore_errors=True)
    return removed


def encrypt_device(data_dir: Path, key: bytes) -> EncryptionReport:
    """Encrypt the plain store, seal plain attachments, and shred the plain backups.

    Plain backups would leak what the encryption protects; a fresh, encrypted backup is
    taken by the caller once the store is open again.
    """
    report = encrypt_plain_store(store_path(data_dir), key)
    file_key = DeviceKeys(data_dir).file_key(key)
    ProtectedFiles(file_key).seal_existing(data_dir / ATTACHMENTS_DIRNAME)
    shred_backups(data_dir, only_plain=True)
    return report


def shred_backups(data_dir: Path, *, only_plain: bool = False) -> int:
    """Shred the backups (all, or only unencrypted ones); returns how many went."""
    backups = data_dir / BACKUP_DIRNAME
    shredded = 0
    if backups.is_dir():
        for path in list(backups.iterdir()):
            if path.is_file() and (not only_plain or is_plain_sqlite(path)):
                _shred(path)
                shredded += 1
    return shredded


@dataclass
class WipeReport:
    """What :func:`shred_device_data` removed."""

    files: list[Path] = field(default_factory=list)
    keyring_entry_removed: bool = False


def shred_device_data(data_dir: Path, keys: DeviceKeys) -> WipeReport:
    """Shred the store, backups, attachments and key of this device (the store must be closed).

    ``sync.account.wipe_device`` calls this and signs the sync account out too.
    """
    report = WipeReport()
    store_file = store_path(data_dir)
    for path in [store_file, *sidecar_files(store_file)]:
        if path.exists():
            _shred(path)
            report.files.append(path)
    for name in (BACKUP_DIRNAME, ATTACHMENTS_DIRNAME):
        report.files += _shred_tree(data_dir / name)
    for key_file in (keys.key_file_path, keys.next_key_file_path):
        if key_file.exists():
            _shred(key_file)
            report.files.append(key_file)
    report.keyring_entry_removed = keys.remembered_key() is not None
    keys.forget()
    return report


def headless_store_key(data_dir: Path) -> bytes | None:
    """The key a command without a window opens this directory's store with (``None``: plain).

    A plain store left by an interrupted encryption stays readable without a key; the next
    GUI sign-in finishes encrypting it.
    """
    if store_state(data_dir) is StoreState.PLAIN:
        return None
    return DeviceKeys(data_dir).headless_key()
