"""Attachment contents on the server: content-addressed, uploaded and downloaded resumably.

A photo taken in a park may take minutes to upload over a weak mobile link. The client sends it
in chunks at an explicit offset; the server appends a chunk only at the offset it has reached,
and answers with that offset otherwise, so an interrupted upload resumes where it stopped and a
repeated chunk is harmless. When the last byte arrives the whole content is checked against its
SHA-256 name; a mismatch discards the upload. Downloads take an offset too.

A blob may be uploaded, inspected or read only by an account that can see an attachment
record naming it (the record is pushed before its content); for any other account every
blob route answers as if the blob did not exist.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import String, cast, delete, select
from sqlalchemy.orm import Session

from keyacct_desktop.server.models import Account, Blob, BlobChunk, SyncRow

#: Largest attachment the server accepts (the client refuses larger ones before this).
MAX_BLOB_BYTES = 50 * 2**20
#: Largest chunk in one request.
MAX_CHUNK_BYTES = 4 * 2**20


class BlobError(ValueError):
    """An upload that cannot be accepted; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str, received: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.received = received


@dataclass(frozen=True)
class BlobState:
    sha256: str
    size: int
    received: int
    complete: bool

    def as_json(self) -> dict[str, object]:
        return {
            "sha256": self.sha256,
            "size": self.size,
            "received": self.received,
            "complete": self.complete,
        }


def check_digest(sha256: str) -> str:
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise BlobError(422, "a blob is named by its lower-case SHA-256 hex digest")
    return sha256


def state(session: Session, sha256: str) -> BlobState | None:
    blob = session.get(Blob, check_digest(sha256))
    if blob is None:
        return None
    return BlobState(blob.sha256, blob.size, blob.received, blob.complete)


def append(session: Session, sha256: str, size: int, offset: int, data: bytes) -> BlobState:
    """Add ``data`` at ``offset`` of the blob; completes (and verifies) it at the last byte."""
    check_digest(sha256)
    if not 0 < size <= MAX_BLOB_BYTES:
        raise BlobError(413, f"attachments are limited to {MAX_BLOB_BYTES // 2**20} MB")
    if len(data) > MAX_CHUNK_BYTES:
        raise BlobError(413, f"chunks are limited to {MAX_CHUNK_BYTES // 2**20} MB")
    blob = session.get(Blob, sha256, with_for_update=True)
    if blob is None:
        blob = Blob(sha256=sha256, size=size, received=0, complete=False)
        session.add(blob)
        session.flush()
    if blob.complete:
        return BlobState(sha256, blob.size, blob.received, True)
    if blob.size != size:
        raise BlobError(409, "size differs from the upload in progress", blob.received)
    if offset != blob.received:
        raise BlobError(409, f"expected offset {blob.received}", blob.received)
    if not data or offset + len(data) > size:
        raise BlobError(422, "chunk is empty or runs past the declared size", blob.received)
    session.add(BlobChunk(sha256=sha256, offset=offset, data=data))
    blob.received = offset + len(data)
    if blob.received == size:
        digest = hashlib.sha256()
        for chunk in read_chunks(session, sha256):
            digest.update(chunk)
        if digest.hexdigest() != sha256:
            session.execute(delete(BlobChunk).where(BlobChunk.sha256 == sha256))
            blob.received = 0
            raise BlobError(422, "content does not match its SHA-256; upload discarded", 0)
        blob.complete = True
    return BlobState(sha256, blob.size, blob.received, blob.complete)


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


def may_read(session: Session, account: Account, sha256: str) -> bool:
    """Whether an attachment record the account can see names this blob.

    Managers see the attachment records of their grids' customers only (a record without a
    customer, which the server no longer accepts from them, does not count). Every blob
    route asks this first and answers a blob the account may not see exactly as one that
    does not exist: the server is no oracle for which contents it holds.
    """
    from keyacct_desktop.server.core import visible_customers

    statement = select(SyncRow.customer_id, SyncRow.data).where(
        SyncRow.table_name == "attachment",
        SyncRow.deleted.is_(False),
        cast(SyncRow.data, String).contains(sha256),
    )
    visible = visible_customers(account)
    if visible is not None:
        statement = statement.where(SyncRow.customer_id.in_(visible))
    return any(data.get("sha256") == sha256 for _customer, data in session.execute(statement))


def unknown_state(sha256: str) -> dict[str, object]:
    """The state of a blob the server does not have (or the account may not see)."""
    return {"sha256": sha256, "size": None, "received": 0, "complete": False}
