"""Moving attachment contents (photos, signatures, scans) between devices and the server.

Attachment *records* sync like any other row; their *contents* travel separately, addressed
by SHA-256, after the records: uploads after the push, downloads after the pull. Both resume
after an interruption — an upload from the offset the server reports, a download from the
partial file kept (sealed like every attachment) beside the attachment folder — so a weak link
in an industrial park wastes no bytes already sent.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from keyacct_desktop.progress import TaskState
from keyacct_desktop.security.files import AttachmentFiles
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Attachment
from keyacct_desktop.sync.api import BlobNotNamed, ServerApi
from keyacct_desktop.sync.state import BlobReport, get_state, set_state

#: Bytes per upload request: small enough to finish on a weak mobile link.
CHUNK_BYTES = 512 * 1024
_UPLOADED = "blobs_uploaded"


def _attachment_hashes(store: Store) -> set[str]:
    """Contents of attachment records the server has accepted (version > 0): the server takes
    a blob only for a record it knows, so a record it refused (kept on this laptop as needing
    attention) uploads its content after it is resent and accepted."""
    with store.read() as session:
        return set(
            session.scalars(select(Attachment.sha256).where(Attachment.version > 0).distinct())
        )


def upload_missing(
    store: Store, api: ServerApi, files: AttachmentFiles, state: TaskState, report: BlobReport
) -> None:
    """Send every local attachment content the server does not have yet."""
    done = set(get_state(store, _UPLOADED, []) or [])
    todo = sorted(sha for sha in _attachment_hashes(store) - done if files.path_for(sha).exists())
    for number, sha in enumerate(todo, start=1):
        data = files.get(sha)
        offset = int(api.blob_state(sha).get("received") or 0)
        try:
            while offset < len(data):
                state.check()
                offset = api.upload_chunk(
                    sha, len(data), offset, data[offset : offset + CHUNK_BYTES]
                )
        except BlobNotNamed:
            report.waiting += 1  # its record was refused: sent once the record is accepted
            continue
        done.add(sha)
        with store.begin() as session:
            set_state(session, _UPLOADED, sorted(done))
        report.uploaded += 1
        state.report(number, len(todo), "上传附件 / uploading attachments")


def download_missing(
    store: Store, api: ServerApi, files: AttachmentFiles, state: TaskState, report: BlobReport
) -> None:
    """Fetch, chunk by chunk, the contents of attachment records that arrived without files."""
    with store.read() as session:
        sizes = dict(session.execute(select(Attachment.sha256, Attachment.size)).tuples().all())
    todo = sorted(sha for sha in sizes if not files.path_for(sha).exists())
    fetched: set[str] = set()
    for number, sha in enumerate(todo, start=1):
        partial_path = files.directory / "partial" / sha
        data = files.files.read(partial_path) if partial_path.exists() else b""
        while len(data) < sizes[sha]:
            state.check()
            piece = api.download(sha, len(data), CHUNK_BYTES)
            if not piece:
                break  # nobody has uploaded it yet: try again at the next sync
            data += piece
            files.files.write(partial_path, data)  # sealed, so a break loses nothing
        if len(data) < sizes[sha]:
            report.waiting += 1
            continue
        partial_path.unlink(missing_ok=True)
        if hashlib.sha256(data).hexdigest() != sha:
            report.waiting += 1  # damaged on the way: start over next time
            continue
        files.files.write(files.path_for(sha), data)
        fetched.add(sha)
        report.downloaded += 1
        state.report(number, len(todo), "下载附件 / downloading attachments")
    if fetched:  # the server has these: never upload them back
        done = set(get_state(store, _UPLOADED, []) or [])
        with store.begin() as session:
            set_state(session, _UPLOADED, sorted(done | fetched))
