"""Protected files (AES-GCM at rest) and the checks on incoming attachments and templates."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from PySide6.QtGui import QColor, QImage

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.paths import resources_dir
from keyacct_desktop.security.files import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLSX,
    AttachmentFiles,
    FileRejected,
    ProtectedFiles,
    StoredFile,
    attachment_limit,
    export_warning,
    is_sealed,
    read_protected,
    validate_attachment,
    validate_template,
    write_protected,
)
from keyacct_desktop.settings import Settings

MB = 2**20
KEY = b"\x42" * 32


def _png() -> bytes:
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "户号"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "供电方案" * 200 + "</w:document>")
    return out.getvalue()


def test_sealed_files_round_trip_and_are_unreadable_without_the_key(tmp_path: Path) -> None:
    path = tmp_path / "attachments" / "contract.pdf"
    write_protected(path, b"%PDF-1.7 customer contract", KEY)
    on_disk = path.read_bytes()
    assert is_sealed(on_disk)
    assert b"customer contract" not in on_disk
    assert read_protected(path, KEY) == b"%PDF-1.7 customer contract"
    with pytest.raises(UserError, match="sign in first"):
        read_protected(path, None)
    with pytest.raises(UserError, match="damaged or was tampered"):
        read_protected(path, b"\x43" * 32)
    tampered = bytearray(on_disk)
    tampered[-1] ^= 1
    path.write_bytes(bytes(tampered))
    with pytest.raises(UserError, match="damaged or was tampered"):
        read_protected(path, KEY)
    assert list(path.parent.iterdir()) == [path]  # no temp files left behind


def test_a_plain_demo_store_writes_plain_files_and_reads_old_plain_ones(tmp_path: Path) -> None:
    plain = ProtectedFiles(None)
    assert not plain.encrypted
    plain.write(tmp_path / "a.txt", b"demo")
    assert (tmp_path / "a.txt").read_bytes() == b"demo"
    assert ProtectedFiles(KEY).read(tmp_path / "a.txt") == b"demo"
    assert ProtectedFiles(KEY).seal_existing(tmp_path) == 1
    assert ProtectedFiles(KEY).seal_existing(tmp_path) == 0
    assert ProtectedFiles(KEY).read(tmp_path / "a.txt") == b"demo"


def test_the_attachment_limit_comes_from_the_settings() -> None:
    settings = Settings()
    assert attachment_limit(settings) == 20 * MB
    settings.set("security.attachment_max_mb", 5)
    assert attachment_limit(settings) == 5 * MB


def test_export_warning_says_the_file_is_not_encrypted() -> None:
    zh, en = export_warning()
    assert "不加密" in zh
    assert "not encrypted" in en


def test_attachments_are_recognised_by_content(keyacct_qapp: object) -> None:
    assert validate_attachment("现场照片.PNG", _png(), 20 * MB) is PNG
    assert validate_attachment("户号清单.xlsx", _xlsx(), 20 * MB) is XLSX
    assert validate_attachment("方案.docx", _docx(), 20 * MB) is DOCX
    assert validate_attachment("scan.jpg", b"\xff\xd8\xff\xe0" + bytes(64), 20 * MB) is JPEG
    assert validate_attachment("合同.pdf", b"%PDF-1.4\n%%EOF", 20 * MB) is PDF


@pytest.mark.parametrize(
    ("name", "data", "field_text"),
    [
        ("empty.pdf", b"", "is empty"),
        ("huge.pdf", b"%PDF-" + bytes(3 * MB), "over the 2 MB limit"),
        ("tool.exe", b"MZ\x90\x00", "type .exe is not accepted"),
        ("noext", b"%PDF-1.4", "type (none) is not accepted"),
        ("invoice.pdf", b"MZ\x90\x00 windows program", "unrecognised content"),
        ("photo.jpg", b"\x89PNG\r\n\x1a\n", "is named .jpg but its content is PNG"),
        ("sheet.xlsx", b"PK\x03\x04 broken zip", "unrecognised content"),
    ],
)
def test_bad_attachments_are_refused_with_the_reason(
    name: str, data: bytes, field_text: str
) -> None:
    with pytest.raises(
        FileRejected, match=field_text.replace("(", r"\(").replace(")", r"\)")
    ) as error:
        validate_attachment(name, data, 2 * MB)
    assert error.value.field == "file"
    assert name in error.value.message_zh


def test_damaged_templates_are_refused(keyacct_qapp: object) -> None:
    png = _png()
    validate_template("logo.png", png)
    validate_template("letterhead.json", '{"company": "国网"}'.encode())
    validate_template("台账模板.xlsx", _xlsx())
    validate_template(
        "hv_new.toml", (resources_dir() / "templates/checklists/hv_new.toml").read_bytes()
    )
    cases = {
        "truncated png": ("logo.png", png[: len(png) // 2], "PNG image truncated"),
        "bit flip png": ("logo.png", png[:20] + bytes([png[20] ^ 1]) + png[21:], "bad checksum"),
        "bad json": ("letterhead.json", b'{"company": ', "invalid JSON"),
        "bad toml": ("hv_new.toml", b'business_type = "hv_new\n[[materials]', "invalid TOML"),
        "not json text": ("letterhead.json", b"\xff\xfe", "invalid JSON"),
        "wrong content": ("模板.docx", png, "not a .docx file"),
        "empty": ("模板.xlsx", b"", "is empty"),
        "cut pdf": ("form.pdf", b"%PDF-1.4 half", "truncated"),
        "cut jpeg": ("logo.jpg", b"\xff\xd8\xff\xe0" + bytes(10), "truncated"),
    }
    for name, data, reason in cases.values():
        with pytest.raises(FileRejected, match=reason) as error:
            validate_template(name, data)
        assert error.value.field == "template"


def test_a_workbook_with_a_corrupted_member_is_refused() -> None:
    data = bytearray(_docx())
    # Flip a byte inside the deflated document body: the zip opens, the member's CRC fails.
    start = data.index(b"word/document.xml") + len(b"word/document.xml") + 10
    data[start] ^= 0xFF
    with pytest.raises(FileRejected, match="damaged"):
        validate_template("方案.docx", bytes(data))


@settings(max_examples=200, deadline=None)
@given(name=st.text(max_size=30), data=st.binary(max_size=2048))
def test_any_attachment_bytes_are_accepted_or_refused_cleanly(name: str, data: bytes) -> None:
    try:
        kind = validate_attachment(name, data, 1024)
    except FileRejected as error:
        assert error.message_zh and error.message_en
    else:
        assert Path(name).suffix.lower() in kind.extensions


@settings(max_examples=200, deadline=None)
@given(
    extension=st.sampled_from([".png", ".json", ".toml", ".xlsx", ".docx", ".pdf", ".jpg"]),
    data=st.binary(max_size=2048),
)
def test_any_template_bytes_are_accepted_or_refused_cleanly(extension: str, data: bytes) -> None:
    try:
        validate_template("t" + extension, data)
    except FileRejected as error:
        assert error.message_zh.startswith("模板文件")


def test_attachment_folder_stores_by_content_sealed_and_verified(
    keyacct_qapp: object, ctx: AppContext
) -> None:
    ctx.settings.set("security.attachment_max_mb", 1)
    folder = ctx.attachment_files
    photo = _png()
    stored = folder.put("现场/配电房.png", photo)
    assert stored.mime == "image/png"
    assert stored.filename == "配电房.png"
    assert stored.size == len(photo)
    assert folder.put("again.png", photo) == StoredFile(
        stored.sha256, len(photo), "image/png", "again.png"
    )
    assert folder.get(stored.sha256) == photo
    with pytest.raises(FileRejected, match="over the 1 MB limit"):
        folder.put("big.pdf", b"%PDF-" + bytes(2 * MB))
    with pytest.raises(UserError, match="not on this computer"):
        folder.get("0" * 64)

    # Another file put in its place (e.g. copied over by hand) is caught by the checksum.
    folder.path_for(stored.sha256).write_bytes(b"\x89PNG\r\n\x1a\nsomething else")
    with pytest.raises(UserError, match="does not match its recorded checksum"):
        folder.get(stored.sha256)
    with pytest.raises(ValueError, match="SHA-256"):
        folder.path_for("../../etc/passwd")


def test_attachments_of_an_encrypted_store_are_sealed(tmp_path: Path) -> None:
    folder = AttachmentFiles(tmp_path, KEY, MB)
    stored = folder.put("合同.pdf", "%PDF-1.7 供用电合同\n%%EOF".encode())
    assert is_sealed(folder.path_for(stored.sha256).read_bytes())
    assert folder.get(stored.sha256).startswith(b"%PDF-1.7")
