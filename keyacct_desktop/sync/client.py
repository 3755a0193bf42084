"""The sync client: push the outgoing change log, then pull what changed on the server.

One run (:func:`sync_once`) is a plain function taking a :class:`TaskState`, so the GUI runs
it on a worker thread and ``keyacct sync`` runs it in the terminal. Every step is safe to
interrupt (network loss, kill -9):

* **push** — each local edit has a ``PendingChange`` with a stable ``op_id``; a batch is sent,
  and only when the server has answered are its entries removed. A retried batch gets the
  stored answers back (the server remembers op ids), so nothing is applied twice.
* **pull** — pages since the cursor are stored in the inbox together with the new cursor,
  and applied in one transaction once complete. Fields the user edited meanwhile (still
  pending) keep their local value: they are pushed next time and merged on the server.
* **access** — when the server's access epoch moves (a grid changed hands), the device asks
  for its visible customers, removes those it lost and fetches the full history of new ones.
"""

from __future__ import annotations

import ssl
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import delete, func, select, text

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.progress import TaskState
from keyacct_desktop.store.changelog import APPLYING_REMOTE
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import PendingChange, SyncBase, SyncInbox, SyncState
from keyacct_desktop.store.models import MODEL_BY_TABLE, SYNCED_MODELS, Customer
from keyacct_desktop.sync.codec import PROTOCOL_VERSION, columns, from_wire, to_wire

if TYPE_CHECKING:
    from keyacct_desktop.security.files import AttachmentFiles

PUSH_BATCH = 500
PULL_PAGE = 1000
TABLE_ORDER = {model.__tablename__: index for index, model in enumerate(SYNCED_MODELS)}  # type: ignore[attr-defined]


class SyncError(UserError):
    """Sync could not finish; the message says why and what to do."""


class OfflineError(SyncError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"无法连接同步服务器,稍后自动重试({detail})",
            f"cannot reach the sync server; will retry ({detail})",
        )


@dataclass
class BlobReport:
    """Attachment contents moved in one sync."""

    uploaded: int = 0
    downloaded: int = 0
    waiting: int = 0  # records whose content nobody has uploaded yet


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    removed_customers: int = 0
    server_time: datetime | None = None
    clock_skew_seconds: float = 0.0
    blobs: BlobReport = field(default_factory=lambda: BlobReport())


# ------------------------------------------------------------------ state helpers


def get_state(store: Store, key: str, default: Any = None) -> Any:
    with store.read() as session:
        row = session.get(SyncState, key)
        return default if row is None else row.value


def set_state(session: Any, key: str, value: Any) -> None:
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value))
    else:
        row.value = value


def pending_count(store: Store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(PendingChange)) or 0


class ServerApi:
    """The HTTP calls, with errors turned into messages a manager understands."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        verify: bool | str | ssl.SSLContext = True,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        if isinstance(verify, str):  # a CA file to trust (a company CA or a self-signed server)
            verify = ssl.create_default_context(cafile=verify)
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=timeout, verify=verify, transport=transport
        )
        self.token = token

    def close(self) -> None:
        self.client.close()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self._send(method, path, json=body)
        self._check(response)
        return response.json()

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(kwargs.pop("headers", {}))
        try:
            return self.client.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as error:
            raise OfflineError(type(error).__name__) from error

    @staticmethod
    def _check(response: httpx.Response) -> None:
        if response.status_code == 401:
            raise SyncError(
                "登录已失效或本设备已被停用,请重新登录",
                "signed out or this device was revoked: sign in again",
            )
        if response.status_code == 426:
            raise SyncError(
                "服务器的同步协议版本不同,请更新 KeyAcct",
                "the server speaks another sync protocol: update KeyAcct",
            )
        if response.status_code >= 400:
            raise SyncError(
                f"服务器拒绝了请求({response.status_code}):{response.text[:200]}",
                f"the server refused the request ({response.status_code}): {response.text[:200]}",
            )

    def login(self, username: str, password: str, device_name: str) -> dict[str, Any]:
        answer = self._call(
            "POST",
            "/api/v1/login",
            {
                "protocol": PROTOCOL_VERSION,
                "username": username,
                "password": password,
                "device_name": device_name,
            },
        )
        self.token = answer["token"]
        return answer

    def push(self, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self._call("POST", "/api/v1/push", {"protocol": PROTOCOL_VERSION, "ops": ops})[
            "results"
        ]

    def pull(
        self, cursor: int, limit: int = PULL_PAGE, customer_ids: list[str] | None = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"protocol": PROTOCOL_VERSION, "cursor": cursor, "limit": limit}
        if customer_ids is not None:
            body["customer_ids"] = customer_ids
        return self._call("POST", "/api/v1/pull", body)

    def access(self) -> dict[str, Any]:
        return self._call("GET", "/api/v1/access")

    def blob_state(self, sha256: str) -> dict[str, Any]:
        return self._call("GET", f"/api/v1/blobs/{sha256}/state")

    def upload_chunk(self, sha256: str, size: int, offset: int, data: bytes) -> int:
        """Send one chunk; returns how many bytes the server now has (its offset on 409)."""
        response = self._send(
            "PUT",
            f"/api/v1/blobs/{sha256}",
            params={"size": size, "offset": offset},
            content=data,
            headers={"Content-Type": "application/octet-stream"},
        )
        if response.status_code == 409 and response.json().get("received") is not None:
            return int(response.json()["received"])  # out of step: resume where the server is
        self._check(response)
        return int(response.json()["received"])

    def download(self, sha256: str, offset: int = 0, length: int | None = None) -> bytes | None:
        """Up to ``length`` bytes of the blob from ``offset``; ``None`` while not uploaded yet."""
        params = {"offset": offset} if length is None else {"offset": offset, "length": length}
        response = self._send("GET", f"/api/v1/blobs/{sha256}", params=params)
        if response.status_code == 404:
            return None
        self._check(response)
        return response.content


# ------------------------------------------------------------------ push


def _build_batch(store: Store) -> tuple[list[int], list[dict[str, Any]]]:
    """The next batch of operations, in edit order, with per-row working bases."""
    with store.read() as session:
        pending = session.scalars(
            select(PendingChange).order_by(PendingChange.seq).limit(PUSH_BATCH)
        ).all()
        seqs: list[int] = []
        ops: list[dict[str, Any]] = []
        bases: dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]] = {}
        for change in pending:
            seqs.append(change.seq)
            key = (change.table_name, change.row_id)
            if key not in bases:
                base_row = session.get(SyncBase, key)
                bases[key] = (base_row.version, dict(base_row.data)) if base_row else (0, {})
            base_version, base_data = bases[key]
            model = MODEL_BY_TABLE.get(change.table_name)
            if model is None:
                continue
            if change.op == "delete":
                ops.append(
                    {
                        "op_id": str(change.op_id),
                        "table": change.table_name,
                        "id": str(change.row_id),
                        "op": "delete",
                        "base_version": base_version,
                        "fields": {},
                        "base": {},
                    }
                )
                continue
            obj = session.get(model, change.row_id)
            if obj is None:
                continue  # deleted since; its delete op follows in the log
            known = columns(change.table_name)
            fields = {name: to_wire(getattr(obj, name)) for name in change.fields if name in known}
            ops.append(
                {
                    "op_id": str(change.op_id),
                    "table": change.table_name,
                    "id": str(change.row_id),
                    "op": "upsert",
                    "base_version": base_version,
                    "fields": fields,
                    "base": {name: base_data.get(name) for name in fields if name in base_data},
                }
            )
            base_data.update(fields)  # the next op on this row is based on this one
        return seqs, ops


def push(store: Store, api: ServerApi, state: TaskState, report: SyncReport) -> None:
    total = pending_count(store)
    while True:
        seqs, ops = _build_batch(store)
        if not seqs:
            return
        results = api.push(ops) if ops else []
        by_op = {r["op_id"]: r for r in results}
        with store.begin() as session:
            for op in ops:
                result = by_op.get(op["op_id"], {})
                status = result.get("status")
                if status == "rejected":
                    report.rejected.append(
                        {"table": op["table"], "id": op["id"], "error": result.get("error")}
                    )
                elif status == "conflict":
                    report.conflicts += 1
                if (
                    status in ("applied", "conflict")
                    and result.get("version")
                    and op["op"] == "upsert"
                ):
                    key = (op["table"], uuid.UUID(op["id"]))
                    base_row = session.get(SyncBase, key)
                    data = dict(base_row.data) if base_row else {}
                    if status == "applied":
                        data.update(op["fields"])
                    if base_row is None:
                        session.add(
                            SyncBase(
                                table_name=key[0],
                                row_id=key[1],
                                version=result["version"],
                                data=data,
                            )
                        )
                    else:
                        base_row.version, base_row.data = result["version"], data
            session.execute(delete(PendingChange).where(PendingChange.seq.in_(seqs)))
            if report.rejected:
                previous = session.get(SyncState, "rejected")
                set_state(
                    session,
                    "rejected",
                    ((previous.value if previous else []) + report.rejected)[-200:],
                )
        report.pushed += len(ops)
        state.report(report.pushed, max(total, report.pushed), "上传本地修改 / uploading changes")


# ------------------------------------------------------------------ pull


def _fetch_into_inbox(
    store: Store,
    api: ServerApi,
    state: TaskState,
    report: SyncReport,
    customer_ids: list[str] | None = None,
) -> int:
    """Fetch pages into the inbox; returns the server's access epoch."""
    cursor_key = "cursor" if customer_ids is None else "backfill_cursor"
    cursor = int(get_state(store, cursor_key, 0) or 0)
    epoch = 0
    while True:
        page = api.pull(cursor, PULL_PAGE, customer_ids)
        epoch = int(page.get("access_epoch", 0))
        server_time = datetime.fromisoformat(page["server_time"])
        if server_time.tzinfo is None:  # a server before 0.1 sent naive UTC-less local time
            server_time = server_time.astimezone()
        report.server_time = server_time
        report.clock_skew_seconds = (datetime.now(UTC) - server_time).total_seconds()
        with store.begin() as session:
            for change in page["changes"]:
                session.add(
                    SyncInbox(
                        table_name=change["table"],
                        row_id=uuid.UUID(change["id"]),
                        version=change["version"],
                        deleted=change["deleted"],
                        data=change["data"],
                    )
                )
            cursor = int(page["cursor"])
            if customer_ids is None:
                set_state(session, "cursor", cursor)
            else:
                set_state(session, "backfill_cursor", cursor)
        report.pulled += len(page["changes"])
        state.report(
            report.pulled,
            report.pulled + (PULL_PAGE if page["more"] else 0),
            "下载服务器修改 / downloading",
        )
        if not page["more"]:
            if customer_ids is not None:
                with store.begin() as session:
                    set_state(session, "backfill_cursor", 0)
            return epoch


def _apply_inbox(store: Store) -> None:
    """Apply every stored page in one transaction, parents before children."""
    with store.begin() as session:
        session.info[APPLYING_REMOTE] = True
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        entries = session.scalars(select(SyncInbox).order_by(SyncInbox.seq)).all()
        latest: dict[tuple[str, uuid.UUID], SyncInbox] = {}
        for entry in entries:
            key = (entry.table_name, entry.row_id)
            if key not in latest or entry.version >= latest[key].version:
                latest[key] = entry
        pending_fields: dict[tuple[str, uuid.UUID], set[str]] = {}
        for change in session.scalars(select(PendingChange)):
            pending_fields.setdefault((change.table_name, change.row_id), set()).update(
                change.fields
            )
        ordered = sorted(
            latest.values(), key=lambda e: (TABLE_ORDER.get(e.table_name, 99), e.version)
        )
        upserts = [e for e in ordered if not e.deleted]
        known_rows = _prefetch(session, upserts)
        # Each (table, id) occurs once, so nothing needs flushing between records: one flush
        # per table (parents before children, batched inserts) instead of one per record.
        with session.no_autoflush:
            for number, entry in enumerate(upserts):
                _apply_upsert(
                    session, entry, pending_fields.get((entry.table_name, entry.row_id), set())
                )
                following = upserts[number + 1] if number + 1 < len(upserts) else None
                if following is None or following.table_name != entry.table_name:
                    session.flush()
        del known_rows
        for entry in reversed([e for e in ordered if e.deleted]):
            model = MODEL_BY_TABLE.get(entry.table_name)
            obj = session.get(model, entry.row_id) if model else None
            if obj is not None:
                session.delete(obj)
            session.execute(
                delete(SyncBase).where(
                    SyncBase.table_name == entry.table_name, SyncBase.row_id == entry.row_id
                )
            )
        session.execute(delete(SyncInbox))


def _prefetch(session: Any, entries: list[SyncInbox], chunk: int = 500) -> list[Any]:
    """Load the rows and merge bases the entries touch with a few IN queries.

    Returns them: the session's identity map holds objects weakly, so the caller keeps this
    list alive while it applies the entries and ``session.get`` then needs no query.
    """
    loaded: list[Any] = []
    by_table: dict[str, list[uuid.UUID]] = {}
    for entry in entries:
        by_table.setdefault(entry.table_name, []).append(entry.row_id)
    for table, ids in by_table.items():
        model = MODEL_BY_TABLE.get(table)
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            if model is not None:
                loaded += session.scalars(select(model).where(model.id.in_(part))).all()
            loaded += session.scalars(
                select(SyncBase).where(SyncBase.table_name == table, SyncBase.row_id.in_(part))
            ).all()
    return loaded


def _apply_upsert(session: Any, entry: SyncInbox, locally_pending: set[str]) -> None:
    model = MODEL_BY_TABLE.get(entry.table_name)
    if model is None:
        return  # a table from a newer server version: ignored, never fatal
    known = columns(entry.table_name)
    values = {k: from_wire(entry.table_name, k, v) for k, v in entry.data.items() if k in known}
    obj = session.get(model, entry.row_id)
    if obj is None:
        values["id"] = entry.row_id
        obj = model(**values)
        session.add(obj)
    else:
        for key, value in values.items():
            if key not in locally_pending and key != "id":
                setattr(obj, key, value)
    obj.version = entry.version
    base = session.get(SyncBase, (entry.table_name, entry.row_id))
    if base is None:
        session.add(
            SyncBase(
                table_name=entry.table_name,
                row_id=entry.row_id,
                version=entry.version,
                data=entry.data,
            )
        )
    else:
        base.version, base.data = entry.version, entry.data


def _reconcile_access(
    store: Store, api: ServerApi, state: TaskState, report: SyncReport, epoch: int
) -> None:
    known_epoch = get_state(store, "access_epoch")
    if known_epoch == epoch:
        return
    answer = api.access()
    visible = set(answer["customers"])
    previous = get_state(store, "visible_customers")
    if previous is not None:
        removed = set(previous) - visible
        added = sorted(visible - set(previous))
        if removed:
            with store.begin() as session:
                session.info[APPLYING_REMOTE] = True
                for customer_id in removed:
                    obj = session.get(Customer, uuid.UUID(customer_id))
                    if obj is not None:
                        session.delete(obj)
                        report.removed_customers += 1
        if added:
            _fetch_into_inbox(store, api, state, report, customer_ids=added)
            _apply_inbox(store)
    with store.begin() as session:
        set_state(session, "access_epoch", int(answer["access_epoch"]))
        set_state(session, "visible_customers", sorted(visible))


def sync_once(
    store: Store,
    api: ServerApi,
    state: TaskState | None = None,
    files: AttachmentFiles | None = None,
) -> SyncReport:
    """Push, then pull; records the time of success. Raises :class:`SyncError` on failure.

    With ``files`` (the device's attachment folder) attachment contents move too: uploads
    after the push, downloads after the pull (see ``sync.attachments``).
    """
    # Imported here: sync.attachments builds on this module's ServerApi and state helpers.
    from keyacct_desktop.sync.attachments import download_missing, upload_missing

    state = state or TaskState()
    report = SyncReport()
    try:
        push(store, api, state, report)
        if files is not None:
            upload_missing(store, api, files, state, report.blobs)
        epoch = _fetch_into_inbox(store, api, state, report)
        _apply_inbox(store)
        _reconcile_access(store, api, state, report, epoch)
        if files is not None:
            download_missing(store, api, files, state, report.blobs)
    except SyncError as error:
        with store.begin() as session:
            set_state(session, "last_error", error.message_en)
        raise
    with store.begin() as session:
        set_state(session, "last_success", datetime.now().isoformat(timespec="seconds"))
        set_state(session, "last_error", None)
        set_state(session, "clock_skew_seconds", report.clock_skew_seconds)
    return report
