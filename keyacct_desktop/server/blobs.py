"""Attachment contents on the server: content-addressed, uploaded and downloaded resumably.

A photo taken in a park may take minutes to upload over a weak mobile link. The client sends it
in chunks at an explicit offset; the server appends a chunk only at the offset it has reached,
and answers with that offset otherwise, so an interrupted upload resumes where it stopped and a
repeated chunk is harmless. When the last byte arrives the whole content is checked against its
SHA-256 name; a mismatch discards the upload. Downloads take an offset too.

**Proof of possession.** Knowing a SHA-256 is not having the document: a hash can be read off
a printed QR code, a log, a screen. So a blob is read only by its *holders* — accounts that
sent every byte of it — and by accounts that can see an attachment record created by a holder
(the second laptop of the grid, the office). Uploads run per account (``blob_upload``): an
account that names a blob the server already has uploads it like any other; the server keeps
the bytes aside, checks them against the SHA-256 at the last byte, then drops them and makes
the account a holder (its records now let its grid read the blob). Because that path is the
same whether or not the server has the blob — same answers, same progress, the same
``content_mismatch`` at the end — neither an upload nor ``/state`` tells a non-holder that a
blob exists or its size: ``/state`` answers the account's own upload progress.

Uploading needs an attachment record the account can see naming the blob (404 otherwise, the
same for every hash); reading answers 404 for a blob that is missing or not readable alike.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import String, cast, delete, exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from keyacct_desktop.server.models import (
    Account,
    AuditEntry,
    Blob,
    BlobChunk,
    BlobHolder,
    BlobUpload,
    BlobUploadChunk,
    SyncRow,
)

#: Largest attachment the server accepts (the client refuses larger ones before this).
MAX_BLOB_BYTES = 50 * 2**20
#: Largest chunk in one request.
MAX_CHUNK_BYTES = 4 * 2**20


class BlobError(ValueError):
    """An upload that cannot be accepted; ``status`` is the HTTP status to answer with."""

    def __init__(
        self, status: int, message: str, received: int | None = None, code: str = "refused"
    ) -> None:
        super().__init__(message)
        self.status = status
        self.received = received
        self.code = code


@dataclass(frozen=True)
class BlobState:
    sha256: str
    size: int
    received: int
    complete: bool
    #: This chunk completed the account's upload (it is a holder now): worth an audit entry.
    finished: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "sha256": self.sha256,
            "size": self.size,
            "received": self.received,
            "complete": self.complete,
        }


def check_digest(sha256: str) -> str:
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise BlobError(422, "a blob is named by its lower-case SHA-256 hex digest", code="invalid")
    return sha256


def state(session: Session, sha256: str) -> BlobState | None:
    """The complete blob, if the server has it (say nothing of it before :func:`may_read`)."""
    blob = session.get(Blob, check_digest(sha256))
    if blob is None or not blob.complete:
        return None
    return BlobState(blob.sha256, blob.size, blob.received, blob.complete)


def view(session: Session, account: Account, sha256: str) -> dict[str, object]:
    """What ``/state`` answers: the blob when the account may read it, else the account's own
    upload progress (``received`` 0 at first) — for a blob the server has or not alike."""
    found = state(session, sha256)
    if found is not None and may_read(session, account, sha256):
        return found.as_json()
    upload = session.get(BlobUpload, (sha256, account.id))
    if upload is None:
        return unknown_state(sha256)
    return {"sha256": sha256, "size": upload.size, "received": upload.received, "complete": False}


def is_holder(session: Session, account: Account, sha256: str) -> bool:
    return session.get(BlobHolder, (sha256, account.id)) is not None


def append(
    session: Session, account: Account, sha256: str, size: int, offset: int, data: bytes
) -> BlobState:
    """Add ``data`` at ``offset`` of the account's upload; at the last byte the content is
    checked against its name and the account becomes a holder (the blob is stored if new)."""
    check_digest(sha256)
    if not 0 < size <= MAX_BLOB_BYTES:
        raise BlobError(
            413, f"attachments are limited to {MAX_BLOB_BYTES // 2**20} MB", code="too_large"
        )
    if len(data) > MAX_CHUNK_BYTES:
        raise BlobError(
            413, f"chunks are limited to {MAX_CHUNK_BYTES // 2**20} MB", code="too_large"
        )
    found = state(session, sha256)
    if found is not None and is_holder(session, account, sha256):
        return found  # nothing left to send
    upload = session.get(BlobUpload, (sha256, account.id), with_for_update=True)
    if upload is not None and offset == 0 and upload.size != size:
        _drop_upload(session, account, sha256)  # started over with another size
        upload = None
    if upload is None:
        upload = BlobUpload(sha256=sha256, account_id=account.id, size=size, received=0)
        session.add(upload)
        session.flush()
    if upload.size != size:
        raise BlobError(
            409, "size differs from the upload in progress", upload.received, "conflict"
        )
    if offset != upload.received:
        raise BlobError(409, f"expected offset {upload.received}", upload.received, "conflict")
    if not data or offset + len(data) > size:
        raise BlobError(
            422, "chunk is empty or runs past the declared size", upload.received, "invalid"
        )
    session.add(BlobUploadChunk(sha256=sha256, account_id=account.id, offset=offset, data=data))
    upload.received = offset + len(data)
    if upload.received < size:
        return BlobState(sha256, size, upload.received, False)
    session.flush()
    parts = (
        select(BlobUploadChunk.data)
        .where(BlobUploadChunk.sha256 == sha256, BlobUploadChunk.account_id == account.id)
        .order_by(BlobUploadChunk.offset)
    )
    digest = hashlib.sha256()
    for part in session.scalars(parts.execution_options(yield_per=4)):
        digest.update(part)
    if digest.hexdigest() != sha256:
        _drop_upload(session, account, sha256)
        raise BlobError(
            422, "content does not match its SHA-256; upload discarded", 0, "content_mismatch"
        )
    if state(session, sha256) is None:
        _store(session, account, sha256, size)
    _drop_upload(session, account, sha256)
    session.add(BlobHolder(sha256=sha256, account_id=account.id))
    return BlobState(sha256, size, size, True, finished=True)


def _store(session: Session, account: Account, sha256: str, size: int) -> None:
    """Make the account's verified upload the server's copy of the blob."""
    try:
        with session.begin_nested():
            session.add(Blob(sha256=sha256, size=size, received=size, complete=True))
            session.flush()
    except IntegrityError:
        return  # another account's upload of the same content completed just now
    session.execute(
        insert(BlobChunk).from_select(
            ["sha256", "offset", "data"],
            select(BlobUploadChunk.sha256, BlobUploadChunk.offset, BlobUploadChunk.data).where(
                BlobUploadChunk.sha256 == sha256, BlobUploadChunk.account_id == account.id
            ),
        )
    )


def _drop_upload(session: Session, account: Account, sha256: str) -> None:
    for model in (BlobUploadChunk, BlobUpload):
        session.execute(delete(model).where(model.sha256 == sha256, model.account_id == account.id))


def read_chunks(
    session: Session, sha256: str, start: int = 0, limit: int = MAX_BLOB_BYTES
) -> list[bytes]:
    """Up to ``limit`` bytes of the blob from ``start``, as stored chunks (ends trimmed).

    Only chunks that can overlap the range are loaded (a chunk is at most MAX_CHUNK_BYTES).
    """
    chunks = session.execute(
        select(BlobChunk.offset, BlobChunk.data)
        .where(
            BlobChunk.sha256 == sha256,
            BlobChunk.offset > start - MAX_CHUNK_BYTES,
            BlobChunk.offset < start + limit,
        )
        .order_by(BlobChunk.offset)
    ).all()
    pieces = []
    for offset, data in chunks:
        if offset + len(data) <= start:
            continue
        pieces.append(data[max(0, start - offset) :])
    return [b"".join(pieces)[:limit]] if pieces else []


def _visible_records(session: Session, account: Account, sha256: str) -> list[object]:
    """Ids of the live attachment records the account can see that name this blob."""
    from keyacct_desktop.server.access import visible_customers

    statement = select(SyncRow.row_id, SyncRow.data).where(
        SyncRow.table_name == "attachment",
        SyncRow.deleted.is_(False),
        cast(SyncRow.data, String).contains(sha256),
    )
    visible = visible_customers(account)
    if visible is not None:
        statement = statement.where(SyncRow.customer_id.in_(visible))
    return [row_id for row_id, data in session.execute(statement) if data.get("sha256") == sha256]


def may_upload(session: Session, account: Account, sha256: str) -> bool:
    """Whether an attachment record the account can see names this blob (pushed first).

    Managers see the attachment records of their grids' customers only (a record without a
    customer, which the server no longer accepts from them, does not count).
    """
    return bool(_visible_records(session, account, sha256))


def may_read(session: Session, account: Account, sha256: str) -> bool:
    """Whether the account may read the blob: it holds it, or it can see an attachment
    record naming it that a holder created (a record's content cannot change, see
    ``core._edit_refusal``). Every read answers a blob the account may not read exactly as
    one that does not exist: the server is no oracle for which contents it holds.
    """
    if is_holder(session, account, sha256):
        return True
    records = _visible_records(session, account, sha256)
    if not records:
        return False
    created_by_holder = (
        select(AuditEntry.id)
        .where(
            AuditEntry.table_name == "attachment",
            AuditEntry.row_id.in_(records),
            AuditEntry.action == "create",
            exists().where(
                BlobHolder.sha256 == sha256, BlobHolder.account_id == AuditEntry.account_id
            ),
        )
        .limit(1)
    )
    return session.scalar(created_by_holder) is not None


def unknown_state(sha256: str) -> dict[str, object]:
    """The state of a blob the server does not have (or the account may not see)."""
    return {"sha256": sha256, "size": None, "received": 0, "complete": False}
