"""Encryption at rest of an existing store: plain SQLite → SQLCipher without losing a row.

``sqlcipher_export`` copies schema and data into a new encrypted file; the copy is checked
(row counts of every table, ``PRAGMA integrity_check``) before it atomically replaces the
plain file. A crash at any point leaves either the untouched plain store or the complete
encrypted one, never a mix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.store.db import connect_encrypted, key_pragma

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class EncryptionReport:
    """What a migration copied: rows per table, all verified in the encrypted copy."""

    rows: dict[str, int]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def is_plain_sqlite(path: Path) -> bool:
    """Whether ``path`` is an unencrypted SQLite database (its header is readable)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def sidecar_files(path: Path) -> list[Path]:
    """The WAL and shared-memory files SQLite keeps beside a database."""
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def table_row_counts(connection: Any, schema: str = "main") -> dict[str, int]:
    """Rows per table of ``schema`` on a raw DB-API connection.

    Virtual tables are left out: a contentless FTS5 index cannot be scanned, and what any
    FTS5 table holds is in its shadow tables, which are ordinary tables and counted.
    """
    names = [
        row[0]
        for row in connection.execute(
            f"SELECT name FROM {schema}.sqlite_master "
            "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
    ]
    return {
        name: connection.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0]
        for name in names
    }


def integrity_problems(connection: Any, *, quick: bool = False) -> list[str]:
    """``PRAGMA integrity_check`` (or ``quick_check``) findings; empty means healthy."""
    pragma = "quick_check" if quick else "integrity_check"
    rows = [row[0] for row in connection.execute(f"PRAGMA {pragma}")]
    return [] if rows == ["ok"] else rows


def encrypt_plain_store(path: Path, key: bytes) -> EncryptionReport:
    """Replace the plain store at ``path`` with an encrypted copy under ``key``."""
    import sqlcipher3.dbapi2 as sqlcipher

    if not is_plain_sqlite(path):
        raise UserError(
            f"{path} 不是未加密的数据文件,无需加密",
            f"{path} is not an unencrypted store; nothing to encrypt",
        )
    target = path.with_name(path.name + ".encrypting")
    for leftover in [target, *sidecar_files(target)]:
        leftover.unlink(missing_ok=True)

    plain = sqlcipher.connect(str(path), isolation_level=None)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        expected = table_row_counts(plain)
        user_version = plain.execute("PRAGMA user_version").fetchone()[0]
        attach_key = key_pragma(key).removeprefix("PRAGMA key = ")
        plain.execute(f"ATTACH DATABASE {_quote(str(target))} AS encrypted KEY {attach_key}")
        plain.execute("SELECT sqlcipher_export('encrypted')")
        plain.execute(f"PRAGMA encrypted.user_version = {int(user_version)}")
        plain.execute("DETACH DATABASE encrypted")
    finally:
        plain.close()

    encrypted = connect_encrypted(target, key)
    try:
        copied = table_row_counts(encrypted)
        problems = integrity_problems(encrypted)
        encrypted.execute("PRAGMA journal_mode = WAL")
    finally:
        encrypted.close()
    if copied != expected or problems:
        target.unlink(missing_ok=True)
        raise UserError(
            "加密后的副本校验失败,原数据文件未改动",
            "the encrypted copy failed verification; the original store is unchanged",
        )
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(target, path)
    for sidecar in sidecar_files(path):
        sidecar.unlink(missing_ok=True)
    return EncryptionReport(rows=expected)
