"""Attachment contents travel by SHA-256, resume after a broken link, and stay in their grid."""

from __future__ import annotations

import hashlib
import io
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from keyacct_desktop.security.files import AttachmentFiles
from keyacct_desktop.store.models import Attachment, Customer, Grid, Park
from keyacct_desktop.sync import attachments
from keyacct_desktop.sync.client import OfflineError, sync_once
from tests.sync_helpers import Device, ServerProcess


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ServerProcess]:
    database = f"sqlite:///{tmp_path_factory.mktemp('server') / 'server.sqlite3'}"
    process = ServerProcess(database)
    process.create_user("super", "supervisor")
    process.create_user("wang", "manager")
    process.create_user("li", "manager")
    process.start()
    yield process
    process.stop()


def photo(seed: int) -> bytes:
    """A PNG of noise (incompressible, so it really takes several chunks)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (160, 120))
    image.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(160 * 120)]
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def folder(tmp_path: Path, name: str) -> AttachmentFiles:
    return AttachmentFiles(tmp_path / name / "attachments", None, 20 * 2**20)


@pytest.fixture
def setup(server: ServerProcess, tmp_path: Path):  # type: ignore[no-untyped-def]
    office = Device.sign_in(server, tmp_path, "office", "super")
    wang = Device.sign_in(server, tmp_path, "wang", "wang")
    li = Device.sign_in(server, tmp_path, "li", "li")
    office.sync()
    suffix = uuid.uuid4().hex[:6]
    park = Park(name=f"附件园区-{suffix}")
    grid = Grid(name=f"王的附件网格-{suffix}", manager_id=wang.user_id)
    customer = Customer(account_no=f"F{suffix}", name="光伏组件有限公司", park=park, grid=grid)
    with office.store.begin() as session:
        session.add_all([park, grid, customer])
    office.sync()
    for device in (wang, li):
        device.sync()
    yield office, wang, li, customer.id
    for device in (office, wang, li):
        device.close()


def attach(device: Device, files: AttachmentFiles, customer_id: uuid.UUID, data: bytes) -> str:
    stored = files.put("现场照片.png", data)
    with device.store.begin() as session:
        session.add(
            Attachment(
                owner_table="customer",
                owner_id=customer_id,
                customer_id=customer_id,
                kind="photo",
                filename=stored.filename,
                mime=stored.mime,
                size=stored.size,
                sha256=stored.sha256,
            )
        )
    return stored.sha256


def test_a_photo_reaches_the_other_device_byte_for_byte(setup, tmp_path, monkeypatch) -> None:
    office, wang, li, customer_id = setup
    monkeypatch.setattr(attachments, "CHUNK_BYTES", 16 * 1024)
    wang_files, office_files, li_files = (folder(tmp_path, n) for n in ("w", "o", "l"))
    data = photo(1)
    sha = attach(wang, wang_files, customer_id, data)
    report = sync_once(wang.store, wang.api, files=wang_files)
    assert report.blobs.uploaded == 1
    assert wang.api.blob_state(sha) == {
        "sha256": sha,
        "size": len(data),
        "received": len(data),
        "complete": True,
    }
    report = sync_once(office.store, office.api, files=office_files)
    assert report.blobs.downloaded == 1
    assert office_files.get(sha) == data
    assert sync_once(wang.store, wang.api, files=wang_files).blobs.uploaded == 0  # once only
    assert sync_once(office.store, office.api, files=office_files).blobs.uploaded == 0

    # Another grid's manager neither receives the record nor may fetch the content.
    assert sync_once(li.store, li.api, files=li_files).blobs.downloaded == 0
    assert li.api.download(sha) is None


def test_an_interrupted_upload_resumes_from_the_servers_offset(
    setup, tmp_path, monkeypatch
) -> None:
    _office, wang, _li, customer_id = setup
    monkeypatch.setattr(attachments, "CHUNK_BYTES", 16 * 1024)
    files = folder(tmp_path, "w")
    data = photo(2)
    sha = attach(wang, files, customer_id, data)
    real_upload = wang.api.upload_chunk
    sent: list[int] = []

    def flaky(sha256: str, size: int, offset: int, chunk: bytes) -> int:
        if len(sent) == 3:
            raise OfflineError("ConnectError")  # the link drops after three chunks
        sent.append(offset)
        return real_upload(sha256, size, offset, chunk)

    monkeypatch.setattr(wang.api, "upload_chunk", flaky)
    with pytest.raises(OfflineError):
        sync_once(wang.store, wang.api, files=files)
    assert wang.api.blob_state(sha)["received"] == 3 * 16 * 1024
    monkeypatch.setattr(
        wang.api, "upload_chunk", lambda *a: (sent.append(a[2]), real_upload(*a))[1]
    )
    assert sync_once(wang.store, wang.api, files=files).blobs.uploaded == 1
    assert sent[3] == 3 * 16 * 1024  # resumed, nothing sent twice
    assert sorted(sent) == sent and len(set(sent)) == len(sent)
    assert wang.api.blob_state(sha)["complete"] is True


def test_an_interrupted_download_resumes_from_the_sealed_partial_file(
    setup, tmp_path, monkeypatch
) -> None:
    office, wang, _li, customer_id = setup
    monkeypatch.setattr(attachments, "CHUNK_BYTES", 16 * 1024)
    wang_files, office_files = folder(tmp_path, "w"), folder(tmp_path, "o")
    data = photo(3)
    sha = attach(wang, wang_files, customer_id, data)
    sync_once(wang.store, wang.api, files=wang_files)
    real_download = office.api.download
    asked: list[int] = []

    def flaky(sha256: str, offset: int = 0, length: int | None = None) -> bytes | None:
        if sha256 != sha:  # other tests' photos (the office sees every grid)
            return real_download(sha256, offset, length)
        if len(asked) == 2:
            raise OfflineError("ReadTimeout")
        asked.append(offset)
        return real_download(sha256, offset, length)

    monkeypatch.setattr(office.api, "download", flaky)
    with pytest.raises(OfflineError):
        sync_once(office.store, office.api, files=office_files)
    partial = office_files.directory / "partial" / sha
    assert partial.exists() and not office_files.path_for(sha).exists()
    monkeypatch.setattr(
        office.api, "download", lambda *a: (asked.append(a[1]), real_download(*a))[1]
    )
    assert sync_once(office.store, office.api, files=office_files).blobs.downloaded == 1
    assert asked[2] == 2 * 16 * 1024
    assert office_files.get(sha) == data and not partial.exists()


def test_the_server_refuses_out_of_step_oversized_and_mismatched_uploads(setup) -> None:
    _office, wang, _li, customer_id = setup
    data = b"%PDF-1.4 not really" * 100
    sha = hashlib.sha256(data).hexdigest()
    wrong = hashlib.sha256(b"other").hexdigest()
    # Uploads are accepted only for blobs an attachment record of the account names.
    with wang.store.begin() as session:
        session.add_all(
            Attachment(
                owner_table="customer",
                owner_id=customer_id,
                customer_id=customer_id,
                kind="document",
                filename="scan.pdf",
                mime="application/pdf",
                size=size,
                sha256=digest,
            )
            for digest, size in ((sha, len(data)), (wrong, 5))
        )
    assert not wang.sync().rejected
    assert wang.api.upload_chunk(sha, len(data), 0, data[:100]) == 100
    assert wang.api.upload_chunk(sha, len(data), 500, data[500:600]) == 100  # told to resume at 100
    assert (
        wang.api.upload_chunk(sha, len(data), 0, data[:100]) == 100
    )  # a repeated chunk is harmless
    headers = {"Authorization": f"Bearer {wang.api.token}"}
    client = wang.api.client
    answer = client.put(
        f"/api/v1/blobs/{wrong}", params={"size": 5, "offset": 0}, content=b"12345", headers=headers
    )
    assert answer.status_code == 422 and "SHA-256" in answer.json()["detail"]
    assert wang.api.blob_state(wrong)["received"] == 0  # discarded, nothing half-kept
    huge = client.put(
        f"/api/v1/blobs/{sha}x", params={"size": 5, "offset": 0}, content=b"1", headers=headers
    )
    assert huge.status_code == 422
    too_big = client.put(
        f"/api/v1/blobs/{wrong}",
        params={"size": 60 * 2**20, "offset": 0},
        content=b"1",
        headers=headers,
    )
    assert too_big.status_code == 413
    assert httpx.get(f"{wang.api.client.base_url}/api/v1/blobs/{sha}").status_code == 401
