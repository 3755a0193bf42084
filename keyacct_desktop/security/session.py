"""Signing in: from a passphrase (or the OS keyring) to the key that opens this device's store.

Plain functions with no Qt, so the sign-in dialog runs them on a worker thread (Argon2id and
a first encryption take a noticeable moment) and tests call them directly.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.paths import store_path
from keyacct_desktop.progress import TaskState
from keyacct_desktop.security.device import StoreState, encrypt_device, shred_backups, store_state
from keyacct_desktop.security.keys import (
    PASSPHRASE_ENV,
    DeviceKeys,
    KdfParams,
    check_new_passphrase,
)
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.db import StoreLockedError, connect_encrypted, key_pragma, open_store


def needs_new_passphrase(data_dir: Path, keys: DeviceKeys) -> bool:
    """Whether the manager must choose a passphrase (first start, or a store never encrypted)."""
    state = store_state(data_dir)
    return state is StoreState.NEW or (state is StoreState.PLAIN and not keys.is_set_up)


def verify_key(data_dir: Path, key: bytes) -> None:
    """Open the store with ``key`` once; a wrong key raises ``StoreLockedError``."""
    open_store(store_path(data_dir), key=key, upgrade=False).close()


def sign_in(
    data_dir: Path,
    keys: DeviceKeys,
    passphrase: str,
    *,
    confirmation: str | None = None,
    remember: bool = False,
    min_length: int = 8,
    kdf_params: KdfParams | None = None,
    state: TaskState | None = None,
) -> bytes:
    """The store key for ``passphrase``; on a first start it sets the passphrase up.

    A plain store found on disk is encrypted under the new key (without loss, see
    ``security.encryption``) before the key is returned. ``remember`` puts the key in the OS
    keyring (or removes it from there when false).
    """
    state = state or TaskState()
    state.report(0, 3, "")
    if needs_new_passphrase(data_dir, keys):
        check_new_passphrase(
            passphrase, passphrase if confirmation is None else confirmation, min_length
        )
        key = keys.create(passphrase, params=kdf_params)
    else:
        key = keys.derive(passphrase)
    state.report(1, 3, "")
    if store_state(data_dir) is StoreState.PLAIN:
        encrypt_device(data_dir, key)
    state.report(2, 3, "")
    if keys.next_key_file_path.exists():
        key = _finish_interrupted_change(data_dir, keys, passphrase, key)
    else:
        verify_key(data_dir, key)
    if remember:
        keys.remember(key)
    else:
        keys.forget()
    state.report(3, 3, "")
    return key


def remembered_sign_in(data_dir: Path, keys: DeviceKeys) -> bytes | None:
    """The key from the OS keyring if it still opens the encrypted store, else ``None``."""
    if store_state(data_dir) is not StoreState.ENCRYPTED:
        return None
    key = keys.remembered_key()
    if key is None:
        return None
    try:
        verify_key(data_dir, key)
    except Exception:
        keys.forget()  # stale entry (passphrase changed, store restored elsewhere)
        return None
    return key


def _finish_interrupted_change(
    data_dir: Path, keys: DeviceKeys, passphrase: str, key: bytes
) -> bytes:
    """A passphrase change was cut off: keep whichever key file really opens the store.

    The change writes the next key file, rekeys the store, then renames the next key file
    over the current one. A crash between the last two steps leaves a store that only the
    next key opens; a crash before the rekey leaves the current one valid.
    """
    try:
        verify_key(data_dir, key)
    except StoreLockedError:
        next_key = keys.derive(passphrase, pending=True)
        verify_key(data_dir, next_key)  # neither opens: a wrong passphrase, reported as such
        keys.commit_change()
        return next_key
    keys.abandon_change()
    return key


def change_passphrase(
    store_file: Path,
    keys: DeviceKeys,
    current_key: bytes,
    old_passphrase: str,
    new_passphrase: str,
    confirmation: str,
    *,
    min_length: int = 8,
    kdf_params: KdfParams | None = None,
) -> bytes:
    """Re-encrypt the (closed) store under a key from ``new_passphrase``; return that key.

    Attachments need no re-encryption: their file key is only rewrapped. Backups made under
    the old key are shredded (the old passphrase may be the reason for the change); the
    caller takes a fresh one. A keyring entry, if there was one, is updated.
    """
    if not keys.matches(old_passphrase, current_key):
        raise UserError("当前口令不正确", "the current passphrase is wrong", field="old_passphrase")
    check_new_passphrase(new_passphrase, confirmation, min_length)
    remembered = keys.remembered_key() is not None
    new_key = keys.prepare_change(new_passphrase, current_key, params=kdf_params)
    connection = connect_encrypted(store_file, current_key)
    try:
        connection.execute(key_pragma(new_key).replace("PRAGMA key", "PRAGMA rekey", 1))
    finally:
        connection.close()
    keys.commit_change()
    if remembered:
        keys.remember(new_key)
    shred_backups(store_file.parent)
    return new_key


class PassphraseNeededError(UserError):
    """A command without a window found no passphrase for a store that must be encrypted."""

    def __init__(self) -> None:
        super().__init__(
            "客户数据不能以明文保存在本机,但没有口令可用来加密这个数据文件夹。"
            f"请在终端中运行此命令(会提示设置口令),或设置环境变量 {PASSPHRASE_ENV}"
            "(注意:环境变量可能被同一台计算机上的其他程序读到,见 docs/SECURITY.md)。"
            "只有演示数据(keyacct demo、keyacct --demo)可以不加密。",
            "customer data is never kept unencrypted on this computer, and there is no passphrase "
            "to encrypt this data folder with. Run the command in a terminal (it asks for one) "
            f"or set {PASSPHRASE_ENV} (other programs of this user may read the environment: "
            "see docs/SECURITY.md). Only demo data (keyacct demo, keyacct --demo) stays plain.",
            field="passphrase",
        )


def _new_passphrase_headless() -> tuple[str, str]:
    """A new passphrase and its confirmation: ``$KEYACCT_PASSPHRASE``, else asked twice."""
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase:
        return passphrase, passphrase
    if sys.stdin is not None and sys.stdin.isatty():
        print("这个数据文件夹将加密保存。/ This data folder will be encrypted.", file=sys.stderr)
        first = getpass.getpass("设置口令 / choose a passphrase: ")
        return first, getpass.getpass("再输入一次 / repeat it: ")
    raise PassphraseNeededError()


def headless_key(data_dir: Path, *, encrypt_plain: bool) -> bytes | None:
    """The key a command without a window opens ``data_dir``'s store with.

    A store that does not exist yet is always set up encrypted, as the GUI does: the
    passphrase comes from the OS keyring, ``$KEYACCT_PASSPHRASE`` or the terminal, and
    without one the command is refused (:class:`PassphraseNeededError`) rather than write
    a plain file. An existing plain store (demo data) stays readable without a key unless
    ``encrypt_plain`` (commands that bring in customer data: import, sync), which encrypts it.
    ``None`` means a plain store.
    """
    keys = DeviceKeys(data_dir)
    state = store_state(data_dir)
    if state is StoreState.ENCRYPTED or (state is StoreState.NEW and keys.is_set_up):
        return keys.headless_key()
    if state is StoreState.PLAIN and not encrypt_plain:
        return None
    if keys.is_set_up:  # an encryption that was cut off: finish it with the known passphrase
        passphrase = os.environ.get(PASSPHRASE_ENV) or (
            getpass.getpass("口令 / passphrase: ")
            if sys.stdin is not None and sys.stdin.isatty()
            else ""
        )
        if not passphrase:
            raise PassphraseNeededError()
        return sign_in(data_dir, keys, passphrase)
    passphrase, confirmation = _new_passphrase_headless()
    min_length = int(Settings.in_dir(data_dir).get("security.min_passphrase_length"))
    return sign_in(data_dir, keys, passphrase, confirmation=confirmation, min_length=min_length)
