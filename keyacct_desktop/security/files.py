"""Files the app writes beside the store: encryption at rest and checks on what comes in.

Policy (see ``docs/SECURITY.md``):

* **Attachments and other files the app keeps** are written with :meth:`ProtectedFiles.write`
  and read with :meth:`ProtectedFiles.read`. With an encrypted store they are sealed with
  AES-256-GCM under the device's random *file key*, which is kept wrapped under the store
  key (``security.keys``), so a copied attachment folder is as unreadable as the store.
  With an unencrypted (demo) store they are written plain.
* **Exports the user asks for** (PDFs, spreadsheets handed to customers) must be readable
  elsewhere, so they are not encrypted; the GUI shows :func:`export_warning` before writing.
* **Files coming in** are checked by content, not by name: :func:`validate_attachment`
  (size limit, allowed types recognised by their magic bytes) and :func:`validate_template`
  (a damaged template, image or workbook is refused before anything uses it).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import struct
import tomllib
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.settings import Settings

#: Header of a sealed file: recognisable, versioned, and authenticated with the content.
SEALED_MAGIC = b"KEYACCT-SEALED\x01"
NONCE_BYTES = 12


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder and rename: a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def is_sealed(data: bytes) -> bool:
    return data.startswith(SEALED_MAGIC)


class ProtectedFiles:
    """Reads and writes app-kept files under the policy of the store they belong to.

    Attributes:
        encrypted: whether files are sealed (the store has a key).
    """

    def __init__(self, file_key: bytes | None) -> None:
        self._aead = AESGCM(file_key) if file_key is not None else None

    @property
    def encrypted(self) -> bool:
        return self._aead is not None

    def seal(self, data: bytes) -> bytes:
        if self._aead is None:
            return data
        nonce = secrets.token_bytes(NONCE_BYTES)
        return SEALED_MAGIC + nonce + self._aead.encrypt(nonce, data, SEALED_MAGIC)

    def open(self, blob: bytes, name: str = "") -> bytes:
        if not is_sealed(blob):
            return blob  # written before the store was encrypted, or by a demo store
        if self._aead is None:
            raise UserError(
                f"文件 {name} 已加密,请先登录", f"file {name} is encrypted; sign in first"
            )
        nonce = blob[len(SEALED_MAGIC) : len(SEALED_MAGIC) + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, blob[len(SEALED_MAGIC) + NONCE_BYTES :], SEALED_MAGIC)
        except InvalidTag as error:
            raise UserError(
                f"文件 {name} 已损坏或被篡改,无法打开",
                f"file {name} is damaged or was tampered with and cannot be opened",
            ) from error

    def write(self, path: Path, data: bytes) -> None:
        """Write ``data`` to ``path`` (sealed when the store is encrypted), atomically."""
        atomic_write(path, self.seal(data))

    def read(self, path: Path) -> bytes:
        """The content of a file written by :meth:`write` (or a plain file from before)."""
        return self.open(path.read_bytes(), path.name)

    def seal_existing(self, directory: Path) -> int:
        """Seal every plain file under ``directory`` in place; returns how many were sealed."""
        if self._aead is None or not directory.exists():
            return 0
        sealed = 0
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            data = path.read_bytes()
            if not is_sealed(data):
                self.write(path, data)
                sealed += 1
        return sealed


def write_protected(path: Path, data: bytes, file_key: bytes | None) -> None:
    """Module-level shortcut for :meth:`ProtectedFiles.write`."""
    ProtectedFiles(file_key).write(path, data)


def read_protected(path: Path, file_key: bytes | None) -> bytes:
    """Module-level shortcut for :meth:`ProtectedFiles.read`."""
    return ProtectedFiles(file_key).read(path)


def export_warning() -> tuple[str, str]:
    """What to tell the user before writing an export outside the protected store (zh, en)."""
    return (
        "导出的文件不加密,任何拿到该文件的人都能阅读。请只保存到安全的位置,用后及时删除。",
        "The exported file is not encrypted: anyone who gets it can read it. "
        "Save it only to a safe place and delete it when no longer needed.",
    )


# --- checks on incoming files -------------------------------------------------------------


@dataclass(frozen=True)
class FileKind:
    """An accepted file type: its label, the extensions that may carry it, its MIME type."""

    label: str
    extensions: tuple[str, ...]
    mime: str


PDF = FileKind("PDF", (".pdf",), "application/pdf")
PNG = FileKind("PNG", (".png",), "image/png")
JPEG = FileKind("JPEG", (".jpg", ".jpeg"), "image/jpeg")
DOCX = FileKind(
    "Word (DOCX)",
    (".docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = FileKind(
    "Excel (XLSX)", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
OLE = FileKind("Word/Excel 97-2003", (".doc", ".xls"), "application/x-ole-storage")
#: What may be attached to a customer file, visit or document.
ATTACHMENT_KINDS: tuple[FileKind, ...] = (PDF, PNG, JPEG, DOCX, XLSX, OLE)


class FileRejected(UserError):
    """An incoming file that the app refuses; the message says exactly why."""


def detect_kind(data: bytes) -> FileKind | None:
    """The type of ``data`` from its content (magic bytes, and the members of an Office zip)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names:
            if any(name.startswith("word/") for name in names):
                return DOCX
            if any(name.startswith("xl/") for name in names):
                return XLSX
    return None


def attachment_limit(settings: Settings) -> int:
    """The largest attachment accepted, in bytes (``security.attachment_max_mb``)."""
    return int(settings.get("security.attachment_max_mb")) * 2**20


def validate_attachment(name: str, data: bytes, max_bytes: int) -> FileKind:
    """Refuse an empty, oversized, disallowed or mislabelled attachment; return its kind."""
    extension = Path(name).suffix.lower()
    allowed = sorted({ext for kind in ATTACHMENT_KINDS for ext in kind.extensions})
    if not data:
        raise FileRejected(f"附件 {name} 是空文件", f"attachment {name} is empty", field="file")
    if len(data) > max_bytes:
        raise FileRejected(
            f"附件 {name} 大小 {len(data) / 2**20:.1f} MB,超过上限 {max_bytes / 2**20:.0f} MB",
            f"attachment {name} is {len(data) / 2**20:.1f} MB, over the "
            f"{max_bytes / 2**20:.0f} MB limit",
            field="file",
        )
    if extension not in allowed:
        raise FileRejected(
            f"不接受 {extension or '无扩展名'} 类型的附件 {name};可用类型:{'、'.join(allowed)}",
            f"attachment {name}: type {extension or '(none)'} is not accepted; "
            f"accepted: {', '.join(allowed)}",
            field="file",
        )
    kind = detect_kind(data)
    if kind is None or extension not in kind.extensions:
        found = kind.label if kind else "无法识别的内容"
        found_en = kind.label if kind else "unrecognised content"
        raise FileRejected(
            f"附件 {name} 的扩展名是 {extension},但文件内容是{found},已拒收",
            f"attachment {name} is named {extension} but its content is {found_en}; refused",
            field="file",
        )
    return kind


def _png_damage(data: bytes) -> str | None:
    """The first problem in a PNG's chunk structure (length, CRC, IEND), or ``None``."""
    position = 8
    while position + 12 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        chunk = data[position + 4 : position + 8 + length]
        crc_at = position + 8 + length
        if crc_at + 4 > len(data):
            return "truncated"
        (crc,) = struct.unpack(">I", data[crc_at : crc_at + 4])
        if zlib.crc32(chunk) != crc:
            return f"bad checksum in chunk {chunk[:4]!r}"
        if chunk[:4] == b"IEND":
            return None
        position = crc_at + 4
    return "truncated"


def validate_template(name: str, data: bytes) -> None:
    """Refuse a damaged template file (TOML, JSON, Office file, PNG/JPEG image, PDF).

    This checks the file is intact; what a checklist template must contain is checked by
    ``domain.checklist_templates``.

    Templates and letterhead images are read at print time; checking them when they are
    chosen turns a later, puzzling print failure into a clear message now.
    """
    extension = Path(name).suffix.lower()

    def damaged(why_zh: str, why_en: str) -> FileRejected:
        return FileRejected(
            f"模板文件 {name} 已损坏:{why_zh}",
            f"template file {name} is damaged: {why_en}",
            field="template",
        )

    if not data:
        raise damaged("文件为空", "the file is empty")
    if extension == ".json":
        try:
            json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise damaged(f"JSON 格式错误({error})", f"invalid JSON ({error})") from error
        return
    if extension == ".toml":
        try:
            tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise damaged(f"TOML 格式错误({error})", f"invalid TOML ({error})") from error
        return
    kind = detect_kind(data)
    if kind is None or extension not in kind.extensions:
        raise damaged("内容与扩展名不符", f"the content is not a {extension or 'known'} file")
    if kind in (DOCX, XLSX):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                bad_member = archive.testzip()
        except (zipfile.BadZipFile, OSError, zlib.error) as error:
            raise damaged("压缩包结构损坏", "broken zip structure") from error
        if bad_member is not None:
            raise damaged(f"成员 {bad_member} 校验失败", f"member {bad_member} fails its CRC")
    elif kind is PNG:
        problem = _png_damage(data)
        if problem is not None:
            raise damaged("PNG 图像不完整或校验失败", f"PNG image {problem}")
    elif kind is JPEG and not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise damaged("JPEG 图像不完整", "JPEG image is truncated")
    elif kind is PDF and b"%%EOF" not in data[-1024:]:
        raise damaged("PDF 文件不完整", "PDF file is truncated")


# --- the attachment folder ----------------------------------------------------------------


@dataclass(frozen=True)
class StoredFile:
    """What an ``Attachment`` row records about bytes put in the attachment folder."""

    sha256: str
    size: int
    mime: str
    filename: str


class AttachmentFiles:
    """The content-addressed attachment folder: checked on the way in, sealed at rest.

    Files are named by the SHA-256 of their content (as ``Attachment.sha256`` records), so
    the same photo attached twice is stored once, and reading verifies the hash: a damaged
    or swapped file is reported, never shown as if it were the original.
    """

    def __init__(self, directory: Path, file_key: bytes | None, max_bytes: int) -> None:
        self.directory = directory
        self.files = ProtectedFiles(file_key)
        self.max_bytes = max_bytes

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(ch in "0123456789abcdef" for ch in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.directory / sha256[:2] / sha256

    def put(self, filename: str, data: bytes) -> StoredFile:
        """Validate (size, type by content) and store ``data``; returns what to record."""
        kind = validate_attachment(filename, data, self.max_bytes)
        digest = hashlib.sha256(data).hexdigest()
        path = self.path_for(digest)
        if not path.exists():
            self.files.write(path, data)
        return StoredFile(digest, len(data), kind.mime, Path(filename).name)

    def stored(self, filename: str, sha256: str) -> StoredFile:
        """What to record for bytes already put under ``sha256`` (read, verified, checked)."""
        data = self.get(sha256)
        kind = validate_attachment(filename, data, self.max_bytes)
        return StoredFile(sha256, len(data), kind.mime, Path(filename).name)

    def discard(self, sha256: str) -> None:
        """Delete the file stored under ``sha256``; the caller checks nothing refers to it."""
        self.path_for(sha256).unlink(missing_ok=True)

    def get(self, sha256: str) -> bytes:
        """The bytes stored under ``sha256``, verified against it."""
        path = self.path_for(sha256)
        if not path.exists():
            raise UserError(
                "附件文件不在本机,请先同步",
                "the attachment file is not on this computer; sync first",
            )
        data = self.files.read(path)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise UserError(
                "附件文件已损坏,与记录的校验值不符",
                "the attachment file is damaged: it does not match its recorded checksum",
            )
        return data
