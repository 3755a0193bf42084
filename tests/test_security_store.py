"""Encrypted store: SQLCipher with a passphrase-derived key, keyring, plain → encrypted migration."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import keyring.backends.fail
import pytest
from sqlalchemy import select

from keyacct_desktop.backup import backups_dir, create_backup, list_backups
from keyacct_desktop.context import AppContext
from keyacct_desktop.demo import generate_demo
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.paths import store_path
from keyacct_desktop.security.device import StoreState, encrypt_device, store_state
from keyacct_desktop.security.encryption import encrypt_plain_store, is_plain_sqlite
from keyacct_desktop.security.files import is_sealed, read_protected, write_protected
from keyacct_desktop.security.keys import (
    KEY_FILENAME,
    PASSPHRASE_ENV,
    DeviceKeys,
    check_new_passphrase,
)
from keyacct_desktop.security.session import change_passphrase, sign_in
from keyacct_desktop.store.db import (
    Store,
    StoreLockedError,
    connect_encrypted,
    key_pragma,
    open_store,
)
from keyacct_desktop.store.models import Customer
from tests.security_helpers import FAST_KDF, PASSPHRASE, MemoryKeyring, raw_bytes, set_up_keys


def _customer_names(store_file: Path, key: bytes | None) -> list[str]:
    store = open_store(store_file, key=key)
    try:
        with store.read() as session:
            return sorted(session.scalars(select(Customer.name)))
    finally:
        store.close()


def test_same_passphrase_and_salt_give_the_same_key_and_nothing_secret_is_on_disk(
    data_dir: Path,
) -> None:
    keys, key = set_up_keys(data_dir)
    assert len(key) == 32
    assert keys.derive(PASSPHRASE) == key
    assert keys.derive(PASSPHRASE + "x") != key
    key_file = (data_dir / KEY_FILENAME).read_text(encoding="utf-8")
    assert key.hex() not in key_file
    assert PASSPHRASE not in key_file
    assert '"kdf": "argon2id"' in key_file
    # A second set-up draws a new salt: the same passphrase no longer gives the old key.
    assert keys.create(PASSPHRASE, params=FAST_KDF) != key


def test_new_passphrase_is_checked_for_length_and_confirmation() -> None:
    with pytest.raises(UserError, match="at least 8") as short:
        check_new_passphrase("short", "short", 8)
    assert short.value.field == "passphrase"
    with pytest.raises(UserError, match="do not match") as mismatch:
        check_new_passphrase("long enough", "long enougH", 8)
    assert mismatch.value.field == "confirmation"
    check_new_passphrase("long enough", "long enough", 8)


def test_encrypted_store_hides_customer_data_and_refuses_a_wrong_key(data_dir: Path) -> None:
    _keys, key = set_up_keys(data_dir)
    store_file = store_path(data_dir)
    store = open_store(store_file, key=key)
    generate_demo(store, customers=15, seed=3)
    names = _customer_names(store_file, key)
    store.close()

    assert len(names) == 15
    assert not is_plain_sqlite(store_file)
    on_disk = raw_bytes(store_file)
    assert b"SQLite format 3" not in on_disk
    assert all(name.encode("utf-8") not in on_disk for name in names)

    with pytest.raises(StoreLockedError) as wrong:
        open_store(store_file, key=bytes(32))
    assert wrong.value.message_zh.startswith("口令错误或数据文件已损坏")
    with pytest.raises(StoreLockedError):
        open_store(store_file)  # no key at all
    assert _customer_names(store_file, key) == names


def test_keyring_keeps_the_key_per_data_directory_and_forgets_it(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    first, key = set_up_keys(tmp_path / "one", backend)
    second = DeviceKeys(tmp_path / "two", backend)
    assert first.remembered_key() is None
    assert first.remember(key)
    assert first.remembered_key() == key
    assert second.remembered_key() is None
    assert list(backend.entries.values()) == [key.hex()]
    first.forget()
    first.forget()  # forgetting twice is harmless
    assert first.remembered_key() is None


def test_a_computer_without_keyring_still_works_with_the_passphrase(data_dir: Path) -> None:
    keys = DeviceKeys(data_dir, keyring.backends.fail.Keyring())
    key = keys.create(PASSPHRASE, params=FAST_KDF)
    assert keys.remember(key) is False
    assert keys.remembered_key() is None
    keys.forget()
    assert keys.matches(PASSPHRASE, key)
    assert not keys.matches("guess", key)


def test_headless_commands_unlock_with_the_environment_passphrase(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keyring, "get_keyring", lambda: keyring.backends.fail.Keyring())
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    _keys, key = set_up_keys(data_dir)
    open_store(store_path(data_dir), key=key).close()
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    with pytest.raises(UserError, match=PASSPHRASE_ENV):
        AppContext.open(data_dir)
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    ctx = AppContext.open(data_dir)
    assert ctx.store.key == key
    assert ctx.protected_files.encrypted
    ctx.close()
    monkeypatch.setenv(PASSPHRASE_ENV, "not the passphrase")
    with pytest.raises(StoreLockedError):
        AppContext.open(data_dir)


def test_plain_store_is_encrypted_without_losing_a_row(data_dir: Path) -> None:
    store_file = store_path(data_dir)
    plain = open_store(store_file)
    generate_demo(plain, customers=25, seed=11)
    plain.close()
    before = _customer_names(store_file, None)
    assert store_state(data_dir) is StoreState.PLAIN
    # A leftover from an interrupted earlier attempt must not get in the way.
    store_file.with_name(store_file.name + ".encrypting").write_bytes(b"half a file")

    report = encrypt_plain_store(store_file, b"\x07" * 32)

    assert report.rows["customer"] == 25
    assert report.total_rows > 25
    assert store_state(data_dir) is StoreState.ENCRYPTED
    assert _customer_names(store_file, b"\x07" * 32) == before
    assert not store_file.with_name(store_file.name + ".encrypting").exists()
    with pytest.raises(UserError, match="not an unencrypted store"):
        encrypt_plain_store(store_file, b"\x07" * 32)


def test_encrypting_the_device_seals_attachments_and_shreds_plain_backups(data_dir: Path) -> None:
    store_file = store_path(data_dir)
    plain = open_store(store_file)
    generate_demo(plain, customers=5, seed=2)
    create_backup(plain, backups_dir(data_dir), keep=3)
    plain.close()
    attachment = data_dir / "attachments" / "site-photo.png"
    attachment.parent.mkdir()
    attachment.write_bytes(b"\x89PNG\r\n\x1a\nnot really a picture")

    _keys, key = set_up_keys(data_dir)
    encrypt_device(data_dir, key)

    assert is_sealed(attachment.read_bytes())
    assert list_backups(backups_dir(data_dir)) == []
    ctx = AppContext.open(data_dir, key=key)
    assert ctx.protected_files.read(attachment).endswith(b"not really a picture")
    ctx.close()


def test_the_file_key_is_wrapped_under_the_store_key(data_dir: Path) -> None:
    keys, key = set_up_keys(data_dir)
    file_key = keys.file_key(key)
    assert len(file_key) == 32
    assert file_key.hex() not in (data_dir / KEY_FILENAME).read_text(encoding="utf-8")
    with pytest.raises(UserError, match="does not match"):
        keys.file_key(bytes(32))


def _encrypted_store_with_data(data_dir: Path) -> tuple[DeviceKeys, bytes, list[str]]:
    keys, key = set_up_keys(data_dir)
    store = open_store(store_path(data_dir), key=key)
    generate_demo(store, customers=10, seed=6)
    create_backup(store, backups_dir(data_dir), keep=3)
    store.close()
    return keys, key, _customer_names(store_path(data_dir), key)


def test_changing_the_passphrase_rekeys_store_and_keeps_attachments(data_dir: Path) -> None:
    keys, key, names = _encrypted_store_with_data(data_dir)
    keys.remember(key)
    attachment = data_dir / "attachments" / "photo.png"
    write_protected(attachment, b"\x89PNG site photo", keys.file_key(key))
    new = "新的口令-2027-spring"

    with pytest.raises(UserError, match="current passphrase is wrong") as wrong:
        change_passphrase(store_path(data_dir), keys, key, "guess", new, new, kdf_params=FAST_KDF)
    assert wrong.value.field == "old_passphrase"
    with pytest.raises(UserError, match="do not match"):
        change_passphrase(store_path(data_dir), keys, key, PASSPHRASE, new, new + "!")
    assert not keys.next_key_file_path.exists()

    new_key = change_passphrase(
        store_path(data_dir), keys, key, PASSPHRASE, new, new, kdf_params=FAST_KDF
    )

    assert new_key != key and keys.derive(new) == new_key
    assert keys.remembered_key() == new_key
    assert _customer_names(store_path(data_dir), new_key) == names
    with pytest.raises(StoreLockedError):
        open_store(store_path(data_dir), key=key)
    assert read_protected(attachment, keys.file_key(new_key)) == b"\x89PNG site photo"
    assert list_backups(backups_dir(data_dir)) == []  # readable with the old passphrase: gone


def test_a_store_rekeyed_in_place_keeps_working_for_whoever_holds_it(data_dir: Path) -> None:
    """A running app's services hold the store object: after a passphrase change it must
    still open connections (with the new key), and while its file is closed for the rekey a
    connection asked for from another thread waits instead of reaching the file."""
    keys, key, names = _encrypted_store_with_data(data_dir)
    store = open_store(store_path(data_dir), key=key)
    held_by_a_service = store
    with store.read() as session:
        session.scalars(select(Customer.name)).all()  # a pooled connection with the old key
    new = "新的口令-2027-spring"
    read: list[list[str]] = []
    reader = threading.Thread(
        target=lambda: read.append(_names_of(held_by_a_service)), name="reader", daemon=True
    )
    try:
        with store.closed():
            reader.start()
            reader.join(0.5)
            assert reader.is_alive() and read == []  # waits: the file is being rekeyed
            new_key = change_passphrase(
                store.path, keys, key, PASSPHRASE, new, new, kdf_params=FAST_KDF
            )
            store.use_key(new_key)
        reader.join(10)
        assert read == [names]  # it went on once the store was open again, with the new key
        assert store.key == new_key
        assert _names_of(held_by_a_service) == names
        with pytest.raises(StoreLockedError):
            open_store(store_path(data_dir), key=key)
    finally:
        store.close()


def _names_of(store: Store) -> list[str]:
    with store.read() as session:
        return sorted(session.scalars(select(Customer.name)))


@pytest.mark.parametrize("crash_after_rekey", [False, True])
def test_an_interrupted_passphrase_change_is_finished_at_sign_in(
    data_dir: Path, crash_after_rekey: bool
) -> None:
    keys, key, names = _encrypted_store_with_data(data_dir)
    new = "新的口令-2027-spring"
    next_key = keys.prepare_change(new, key, params=FAST_KDF)
    if crash_after_rekey:
        connection = connect_encrypted(store_path(data_dir), key)
        connection.execute(key_pragma(next_key).replace("PRAGMA key", "PRAGMA rekey"))
        connection.close()
    # The manager types whichever passphrase the store really has now.
    typed = new if crash_after_rekey else PASSPHRASE
    with pytest.raises(StoreLockedError):
        sign_in(data_dir, keys, "neither of them")
    opened_with = sign_in(data_dir, keys, typed)
    assert opened_with == (next_key if crash_after_rekey else key)
    assert not keys.next_key_file_path.exists()
    assert keys.derive(typed) == opened_with
    assert _customer_names(store_path(data_dir), opened_with) == names
