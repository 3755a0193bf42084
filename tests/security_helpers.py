"""Helpers for the security, backup and crash tests: a keyring, cheap KDF costs, store files."""

from __future__ import annotations

from pathlib import Path

import keyring.backend
from keyring.errors import PasswordDeleteError

from keyacct_desktop.security.keys import DeviceKeys, KdfParams

#: Argon2id at its cheapest, so tests derive keys in milliseconds (production uses KdfParams()).
FAST_KDF = KdfParams(time_cost=1, memory_cost_kib=8, parallelism=1)
PASSPHRASE = "供电所-field-2026"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A process-local keyring backend: the real ``keyring`` API, no OS keychain needed."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def set_up_keys(data_dir: Path, backend: MemoryKeyring | None = None) -> tuple[DeviceKeys, bytes]:
    """Choose :data:`PASSPHRASE` for ``data_dir``; returns the keys and the derived key."""
    keys = DeviceKeys(data_dir, backend or MemoryKeyring())
    return keys, keys.create(PASSPHRASE, params=FAST_KDF)


def raw_bytes(store_file: Path) -> bytes:
    """Everything SQLite keeps on disk for a store: the file, its WAL and shared memory."""
    data = b""
    for suffix in ("", "-wal", "-shm"):
        candidate = store_file.with_name(store_file.name + suffix)
        if candidate.exists():
            data += candidate.read_bytes()
    return data
