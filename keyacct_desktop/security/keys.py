"""Store keys: derived from the manager's passphrase (Argon2id), optionally kept in the OS keyring.

The 256-bit SQLCipher key is never written to disk in plain text. Beside the store lies a
small JSON *key file* holding only the random salt and the Argon2id cost parameters, so the
same passphrase derives the same key on every start. If the manager chooses "remember on
this device", the derived key is also put in the OS keyring (protected by the OS login);
a start then needs no passphrase, while unlocking after an idle lock still does.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import hmac
import json
import os
import secrets
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import keyring
import keyring.backend
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from keyring.errors import KeyringError, PasswordDeleteError

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.paths import store_path
from keyacct_desktop.store.db import KEY_BYTES

KEY_FILENAME = "keyacct.keyinfo.json"
KEYRING_SERVICE = "KeyAcct Desktop"
#: Environment variable that headless commands (``keyacct backup``…) read the passphrase from.
PASSPHRASE_ENV = "KEYACCT_PASSPHRASE"
SALT_BYTES = 16
KEY_FILE_FORMAT = 1
_WRAP_INFO = b"keyacct-desktop file key wrap v1"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters. The defaults follow RFC 9106's second recommendation."""

    time_cost: int = 3
    memory_cost_kib: int = 64 * 1024
    parallelism: int = 4


@dataclass(frozen=True)
class KeyFile:
    """Salt and cost of the store key, and the file key wrapped (encrypted) under it.

    Nothing here is usable without the passphrase: the salt and cost are public by design,
    and the file key (which seals attachments) is AES-GCM-encrypted under the store key.
    Keeping the wrapped file key here means a passphrase change rewraps one small value
    instead of re-encrypting every attachment.
    """

    salt: bytes
    params: KdfParams
    wrapped_file_key: bytes

    def save(self, path: Path) -> None:
        """Write atomically (temp file + rename): a crash never leaves a half key file."""
        data = {
            "format": KEY_FILE_FORMAT,
            "kdf": "argon2id",
            "salt": self.salt.hex(),
            **asdict(self.params),
            "wrapped_file_key": self.wrapped_file_key.hex(),
        }
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != KEY_FILE_FORMAT or data.get("kdf") != "argon2id":
                raise ValueError("unknown key file format")
            params = KdfParams(
                int(data["time_cost"]), int(data["memory_cost_kib"]), int(data["parallelism"])
            )
            return cls(bytes.fromhex(data["salt"]), params, bytes.fromhex(data["wrapped_file_key"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise UserError(
                f"密钥参数文件 {path} 已损坏,无法解锁数据",
                f"the key file {path} is damaged; the data cannot be unlocked",
            ) from error


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """The store key for ``passphrase``: Argon2id, so guessing passphrases stays expensive."""
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _wrapping(store_key: bytes) -> AESGCM:
    kek = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_WRAP_INFO).derive(store_key)
    return AESGCM(kek)


def wrap_file_key(store_key: bytes, file_key: bytes) -> bytes:
    """``file_key`` encrypted under (a key derived from) ``store_key``."""
    nonce = secrets.token_bytes(12)
    return nonce + _wrapping(store_key).encrypt(nonce, file_key, _WRAP_INFO)


def unwrap_file_key(store_key: bytes, wrapped: bytes) -> bytes:
    try:
        return _wrapping(store_key).decrypt(wrapped[:12], wrapped[12:], _WRAP_INFO)
    except InvalidTag as error:
        raise UserError(
            "密钥参数文件与数据不匹配,无法打开附件",
            "the key file does not match the data; attachments cannot be opened",
        ) from error


def check_new_passphrase(passphrase: str, confirmation: str, min_length: int) -> None:
    """Refuse a passphrase that is too short or mistyped, naming the field at fault."""
    if len(passphrase) < min_length:
        raise UserError(
            f"口令至少需要 {min_length} 个字符",
            f"the passphrase needs at least {min_length} characters",
            field="passphrase",
        )
    if passphrase != confirmation:
        raise UserError(
            "两次输入的口令不一致", "the two passphrases do not match", field="confirmation"
        )


class DeviceKeys:
    """The key of the store in one data directory: key file, derivation and keyring entry.

    Attributes:
        data_dir: the data directory whose store the key opens.
        key_file_path: where the salt and cost parameters live.
    """

    def __init__(
        self, data_dir: Path, keyring_backend: keyring.backend.KeyringBackend | None = None
    ) -> None:
        self.data_dir = data_dir
        self.key_file_path = data_dir / KEY_FILENAME
        self._keyring = keyring_backend

    @property
    def is_set_up(self) -> bool:
        """Whether a passphrase was chosen (the store is, or is about to be, encrypted)."""
        return self.key_file_path.exists()

    @property
    def keyring_account(self) -> str:
        """One keyring entry per data directory, so a demo or test folder never clashes."""
        digest = hashlib.sha256(str(store_path(self.data_dir)).encode("utf-8")).hexdigest()
        return f"store-key:{digest[:24]}"

    def _backend(self) -> keyring.backend.KeyringBackend:
        return self._keyring or keyring.get_keyring()

    @property
    def next_key_file_path(self) -> Path:
        """The key file of a passphrase change in progress (see ``security.session``)."""
        return self.key_file_path.with_name(self.key_file_path.name + ".next")

    def _new_key_file(
        self, passphrase: str, file_key: bytes, params: KdfParams | None, path: Path
    ) -> bytes:
        salt = secrets.token_bytes(SALT_BYTES)
        params = params or KdfParams()
        key = derive_key(passphrase, salt, params)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        KeyFile(salt, params, wrap_file_key(key, file_key)).save(path)
        return key

    def create(self, passphrase: str, *, params: KdfParams | None = None) -> bytes:
        """Choose a new random salt and file key for ``passphrase``; return the store key."""
        return self._new_key_file(
            passphrase, secrets.token_bytes(KEY_BYTES), params, self.key_file_path
        )

    def derive(self, passphrase: str, *, pending: bool = False) -> bytes:
        """The key for ``passphrase`` (whether it is right shows only when the store opens).

        ``pending`` derives with the key file of an interrupted passphrase change.
        """
        key_file = KeyFile.load(self.next_key_file_path if pending else self.key_file_path)
        return derive_key(passphrase, key_file.salt, key_file.params)

    def file_key(self, store_key: bytes) -> bytes:
        """The key that seals attachments, unwrapped with the store key."""
        return unwrap_file_key(store_key, KeyFile.load(self.key_file_path).wrapped_file_key)

    def prepare_change(
        self, new_passphrase: str, store_key: bytes, *, params: KdfParams | None = None
    ) -> bytes:
        """Write the next key file (same file key, new salt); return the new store key."""
        return self._new_key_file(
            new_passphrase, self.file_key(store_key), params, self.next_key_file_path
        )

    def commit_change(self) -> None:
        """The store was rekeyed: the next key file becomes the key file."""
        os.replace(self.next_key_file_path, self.key_file_path)

    def abandon_change(self) -> None:
        self.next_key_file_path.unlink(missing_ok=True)

    def matches(self, passphrase: str, key: bytes) -> bool:
        """Whether ``passphrase`` derives ``key`` (used to unlock after an idle lock)."""
        return hmac.compare_digest(self.derive(passphrase), key)

    def remembered_key(self) -> bytes | None:
        """The key kept in the OS keyring, or ``None`` (none kept, or no keyring available)."""
        try:
            value = self._backend().get_password(KEYRING_SERVICE, self.keyring_account)
        except KeyringError:
            return None
        if not value:
            return None
        try:
            key = bytes.fromhex(value)
        except ValueError:
            return None
        return key if len(key) == KEY_BYTES else None

    def remember(self, key: bytes) -> bool:
        """Keep ``key`` in the OS keyring; ``False`` when this computer has no usable keyring."""
        try:
            self._backend().set_password(KEYRING_SERVICE, self.keyring_account, key.hex())
        except KeyringError:
            return False
        return True

    def forget(self) -> None:
        """Remove the keyring entry, if there is one."""
        with contextlib.suppress(PasswordDeleteError, KeyringError):
            self._backend().delete_password(KEYRING_SERVICE, self.keyring_account)

    def headless_key(self) -> bytes | None:
        """The key for a command without a window: keyring, ``$KEYACCT_PASSPHRASE``, or a prompt.

        Returns ``None`` for a store without a passphrase (never encrypted).
        """
        if not self.is_set_up:
            return None
        key = self.remembered_key()
        if key is not None:
            return key
        passphrase = os.environ.get(PASSPHRASE_ENV)
        if passphrase is None and sys.stdin is not None and sys.stdin.isatty():
            passphrase = getpass.getpass("口令 / passphrase: ")
        if not passphrase:
            raise UserError(
                f"数据已加密:请在终端输入口令,或设置环境变量 {PASSPHRASE_ENV}",
                f"the data is encrypted: type the passphrase in a terminal or set {PASSPHRASE_ENV}",
                field="passphrase",
            )
        return self.derive(passphrase)
