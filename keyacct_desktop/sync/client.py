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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import httpx
from sqlalchemy import Table, and_, bindparam, delete, func, insert, select, text, update

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.progress import TaskState
from keyacct_desktop.store.changelog import APPLYING_REMOTE
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import PendingChange, SyncBase, SyncInbox, SyncState
from keyacct_desktop.store.models import MODEL_BY_TABLE, SYNCED_MODELS, Customer
from keyacct_desktop.sync.codec import PROTOCOL_VERSION, columns, decoders, encoders

if TYPE_CHECKING:
    from keyacct_desktop.security.files import AttachmentFiles

#: Operations per push request: the server's limit (``server.app.MAX_BATCH``).
PUSH_BATCH = 1000
#: Changes per pull page: the server's limit (``server.app.MAX_PAGE``); fewer round trips.
PULL_PAGE = 5000
#: Parameters per ``IN (…)`` list in local queries.
IN_CHUNK = 500
TABLE_ORDER = {model.__tablename__: index for index, model in enumerate(SYNCED_MODELS)}  # type: ignore[attr-defined]


def _table(model: Any) -> Table:
    """The Core table of a mapped class, for executemany statements."""
    return cast(Table, model.__table__)


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
        """Exchange a password for a device token.

        A refused sign-in says "wrong user name or password" whichever was wrong: the server
        does not tell them apart, and neither does the message.
        """
        response = self._send(
            "POST",
            "/api/v1/login",
            json={
                "protocol": PROTOCOL_VERSION,
                "username": username,
                "password": password,
                "device_name": device_name,
            },
        )
        if response.status_code == 401:
            raise SyncError("用户名或密码错误", "wrong user name or password")
        self._check(response)
        answer = response.json()
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


def _load_bases(
    session: Any, keys: Iterable[tuple[str, uuid.UUID]]
) -> dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]]:
    """The merge bases of ``keys`` with one ``IN`` query per table and chunk."""
    by_table: dict[str, list[uuid.UUID]] = {}
    for table, row_id in keys:
        by_table.setdefault(table, []).append(row_id)
    found: dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]] = {}
    for table, ids in by_table.items():
        for start in range(0, len(ids), IN_CHUNK):
            for row_id, version, data in session.execute(
                select(SyncBase.row_id, SyncBase.version, SyncBase.data).where(
                    SyncBase.table_name == table, SyncBase.row_id.in_(ids[start : start + IN_CHUNK])
                )
            ):
                found[(table, row_id)] = (version, data)
    return found


def _batch_bases(
    session: Any, first: int, last: int
) -> dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]]:
    """The merge bases of the rows of pending changes ``first``..``last`` (one batch: later
    edits get higher numbers), joined in SQL instead of binding thousands of ids."""
    found: dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]] = {}
    for table, row_id, version, data in session.execute(
        select(SyncBase.table_name, SyncBase.row_id, SyncBase.version, SyncBase.data)
        .join(
            PendingChange,
            and_(
                PendingChange.table_name == SyncBase.table_name,
                PendingChange.row_id == SyncBase.row_id,
            ),
        )
        .where(PendingChange.seq.between(first, last))
    ):
        found[(table, row_id)] = (version, data)
    return found


def _load_values(
    session: Any,
    table: str,
    ids: list[uuid.UUID],
    *,
    wire: bool = False,
    batch: tuple[int, int] | None = None,
) -> dict[uuid.UUID, dict[str, Any]]:
    """The synced fields (and ``version``) of rows of one table by id: plain column values,
    no ORM objects; with ``wire``, the synced fields already in wire format (for a push).
    With ``batch`` (first and last pending change), the rows those changes name, by a join."""
    model = MODEL_BY_TABLE[table]
    known = columns(table)
    names = list(known)
    encode = encoders(table)
    convert = [(name, encode[name]) for name in names if wire and encode[name] is not None]
    query = select(*known.values(), model.version)
    if batch is not None:
        statements = [
            query.join(PendingChange, PendingChange.row_id == model.id).where(
                PendingChange.table_name == table, PendingChange.seq.between(*batch)
            )
        ]
    else:
        statements = [
            query.where(model.id.in_(ids[start : start + IN_CHUNK]))
            for start in range(0, len(ids), IN_CHUNK)
        ]
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for statement in statements:
        for row in session.execute(statement):
            values = dict(zip(names, row, strict=False))
            row_id = values["id"]
            for name, to in convert:
                if (value := values[name]) is not None:
                    values[name] = to(value)  # type: ignore[misc]
            values["version"] = row[-1]
            found[row_id] = values
    return found


def _build_batch(store: Store) -> tuple[list[int], list[dict[str, Any]]]:
    """The next batch of operations, in edit order, with per-row working bases.

    Bases and row values are read by joining the batch's pending changes (one query per
    table), not two lookups per change: a first sync pushes tens of thousands of rows.
    """
    with store.read() as session:
        pending = session.execute(
            select(
                PendingChange.seq,
                PendingChange.op_id,
                PendingChange.table_name,
                PendingChange.row_id,
                PendingChange.op,
                PendingChange.fields,
            )
            .order_by(PendingChange.seq)
            .limit(PUSH_BATCH)
        ).all()
        if not pending:
            return [], []
        batch = (pending[0].seq, pending[-1].seq)
        loaded = _batch_bases(session, *batch)
        bases = {key: (version, dict(data)) for key, (version, data) in loaded.items()}
        wanted = {
            change.table_name
            for change in pending
            if change.op != "delete" and change.table_name in MODEL_BY_TABLE
        }
        rows = {table: _load_values(session, table, [], wire=True, batch=batch) for table in wanted}
    seqs: list[int] = []
    ops: list[dict[str, Any]] = []
    for change in pending:
        seqs.append(change.seq)
        key = (change.table_name, change.row_id)
        base_version, base_data = bases.setdefault(key, (0, {}))
        if change.table_name not in MODEL_BY_TABLE:
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
        values = rows[change.table_name].get(change.row_id)
        if values is None:
            continue  # deleted since; its delete op follows in the log
        known = columns(change.table_name)  # bookkeeping columns never travel
        fields = {name: values[name] for name in change.fields if name in known}
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


def _write_bases(
    session: Any,
    bases: dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]],
    stored: Iterable[tuple[str, uuid.UUID]],
) -> None:
    """Insert or update merge bases with one executemany each (``stored`` already exist)."""
    stored = set(stored)
    new = [
        {"table_name": t, "row_id": r, "version": v, "data": d}
        for (t, r), (v, d) in bases.items()
        if (t, r) not in stored
    ]
    old = [
        {"key_table": t, "key_row": r, "new_version": v, "new_data": d}
        for (t, r), (v, d) in bases.items()
        if (t, r) in stored
    ]
    table = _table(SyncBase)
    if new:
        session.execute(insert(table), new)
    if old:
        session.execute(
            update(table)
            .where(
                table.c.table_name == bindparam("key_table", type_=table.c.table_name.type),
                table.c.row_id == bindparam("key_row", type_=table.c.row_id.type),
            )
            .values(
                version=bindparam("new_version", type_=table.c.version.type),
                data=bindparam("new_data", type_=table.c.data.type),
            ),
            old,
        )


def _set_versions(session: Any, versions: dict[tuple[str, uuid.UUID], int]) -> None:
    """Record the server's version of pushed rows on the rows themselves (bookkeeping, never
    logged), so that when they come back in the pull they are already up to date."""
    by_table: dict[str, list[dict[str, Any]]] = {}
    for (table, row_id), version in versions.items():
        if table in MODEL_BY_TABLE:
            by_table.setdefault(table, []).append({"key_id": row_id, "new_version": version})
    for table, rows in by_table.items():
        target = _table(MODEL_BY_TABLE[table])
        session.execute(
            update(target)
            .where(target.c.id == bindparam("key_id", type_=target.c.id.type))
            .values(version=bindparam("new_version", type_=target.c.version.type)),
            rows,
        )


def push(store: Store, api: ServerApi, state: TaskState, report: SyncReport) -> None:
    total = pending_count(store)
    while True:
        seqs, ops = _build_batch(store)
        if not seqs:
            return
        results = api.push(ops) if ops else []
        by_op = {r["op_id"]: r for r in results}
        with store.begin() as session:
            agreed: list[tuple[dict[str, Any], dict[str, Any]]] = []
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
                    agreed.append((op, result))
            stored = _batch_bases(session, seqs[0], seqs[-1])  # still pending: one join
            bases = {key: (version, dict(data)) for key, (version, data) in stored.items()}
            changed: dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]] = {}
            for op, result in agreed:  # in edit order: later ops build on earlier ones
                key = (op["table"], uuid.UUID(op["id"]))
                data = bases.get(key, (0, {}))[1]
                if result["status"] == "applied":
                    data.update(op["fields"])
                bases[key] = changed[key] = (result["version"], data)
            _write_bases(session, changed, stored)
            _set_versions(session, {key: version for key, (version, _data) in changed.items()})
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
    with store.read() as session:
        resumed = bool(session.scalar(select(func.count()).select_from(SyncInbox)))
    stored: set[tuple[str, uuid.UUID]] = set()  # keys put in the inbox by this fetch
    while True:
        page = api.pull(cursor, PULL_PAGE, customer_ids)
        epoch = int(page.get("access_epoch", 0))
        server_time = datetime.fromisoformat(page["server_time"])
        if server_time.tzinfo is None:  # a server before 0.1 sent naive UTC-less local time
            server_time = server_time.astimezone()
        report.server_time = server_time
        report.clock_skew_seconds = (datetime.now(UTC) - server_time).total_seconds()
        with store.begin() as session:
            entries = [
                _Entry(
                    change["table"],
                    uuid.UUID(change["id"]),
                    change["version"],
                    change["deleted"],
                    change["data"],
                )
                for change in page["changes"]
            ]
            if not resumed:  # (after a crash, older copies may wait in the inbox: keep all)
                held = _already_held(session, entries, stored)
                entries = [e for e in entries if (e.table_name, e.row_id) not in held]
            stored.update((e.table_name, e.row_id) for e in entries)
            if entries:  # one executemany per page, not one ORM object per change
                session.execute(insert(_table(SyncInbox)), [e._asdict() for e in entries])
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


class _Entry(NamedTuple):
    """One pulled change from the inbox."""

    table_name: str
    row_id: uuid.UUID
    version: int
    deleted: bool
    data: dict[str, Any]


def _already_held(
    session: Any, entries: list[_Entry], stored: set[tuple[str, uuid.UUID]]
) -> set[tuple[str, uuid.UUID]]:
    """Pulled rows this device holds exactly already: applying them would change nothing.

    That is the device's own pushes coming back (a first sync returns every record it
    pushed): same version on the row, merge base equal to the pulled version and data, no
    pending edit, and no older copy of it put in the inbox by this fetch. They skip the
    inbox, which is then applied without them.
    """
    by_table: dict[str, list[_Entry]] = {}
    for entry in entries:
        if (
            not entry.deleted
            and entry.table_name in MODEL_BY_TABLE
            and (entry.table_name, entry.row_id) not in stored
        ):
            by_table.setdefault(entry.table_name, []).append(entry)
    held: set[tuple[str, uuid.UUID]] = set()
    for table, candidates in by_table.items():
        model = MODEL_BY_TABLE[table]
        ids = [e.row_id for e in candidates]
        versions: dict[uuid.UUID, int] = {}
        pending: set[uuid.UUID] = set()
        for start in range(0, len(ids), IN_CHUNK):
            part = ids[start : start + IN_CHUNK]
            versions.update(
                session.execute(select(model.id, model.version).where(model.id.in_(part))).all()
            )
            pending.update(
                session.scalars(
                    select(PendingChange.row_id).where(
                        PendingChange.table_name == table, PendingChange.row_id.in_(part)
                    )
                )
            )
        candidates = [
            e for e in candidates if versions.get(e.row_id) == e.version and e.row_id not in pending
        ]
        bases = _load_bases(session, [(table, e.row_id) for e in candidates])
        held.update(
            (table, e.row_id)
            for e in candidates
            if bases.get((table, e.row_id)) == (e.version, e.data)
        )
    return held


def _apply_inbox(store: Store) -> None:
    """Apply every stored page in one transaction, parents before children."""
    with store.begin() as session:
        session.info[APPLYING_REMOTE] = True
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        latest: dict[tuple[str, uuid.UUID], _Entry] = {}
        for row in session.execute(
            select(
                SyncInbox.table_name,
                SyncInbox.row_id,
                SyncInbox.version,
                SyncInbox.deleted,
                SyncInbox.data,
            ).order_by(SyncInbox.seq)
        ):
            entry = _Entry(*row)
            key = (entry.table_name, entry.row_id)
            if key not in latest or entry.version >= latest[key].version:
                latest[key] = entry
        pending_fields: dict[tuple[str, uuid.UUID], set[str]] = {}
        for table_name, row_id, fields in session.execute(
            select(PendingChange.table_name, PendingChange.row_id, PendingChange.fields)
        ):
            pending_fields.setdefault((table_name, row_id), set()).update(fields)
        ordered = sorted(
            latest.values(), key=lambda e: (TABLE_ORDER.get(e.table_name, 99), e.version)
        )
        by_table: dict[str, list[_Entry]] = {}
        for entry in ordered:
            if not entry.deleted:
                by_table.setdefault(entry.table_name, []).append(entry)
        for table, entries in by_table.items():  # parents before children
            if table in MODEL_BY_TABLE:  # a table from a newer server version: ignored
                _apply_upserts(session, table, entries, pending_fields)
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


def _apply_upserts(
    session: Any,
    table: str,
    entries: list[_Entry],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
) -> None:
    """Apply one table's pulled rows with Core executemany (a first sync brings 50k rows).

    New rows are inserted; existing rows get only the fields that differ and are not being
    edited locally (their pending edit is pushed next time and merged on the server), plus
    the new version. Core statements bypass the session's flush hooks, so nothing lands in
    the outgoing change log, and the frozen-document guard (the server already enforced it
    when it accepted these rows) does not refuse the server's own state.
    """
    model = MODEL_BY_TABLE[table]
    decode = decoders(table)
    ids = [e.row_id for e in entries]
    stored_bases = _load_bases(session, [(table, row_id) for row_id in ids])
    versions: dict[uuid.UUID, int] = {}
    for start in range(0, len(ids), IN_CHUNK):
        versions.update(
            session.execute(
                select(model.id, model.version).where(model.id.in_(ids[start : start + IN_CHUNK]))
            ).all()
        )
    # Rows this device already agrees on (its own pushes coming back: same version and data as
    # the merge base, nothing pending) hold exactly that state: at most their version moves,
    # so they are neither decoded nor read in full.
    agreed = {
        e.row_id
        for e in entries
        if e.row_id in versions
        and (table, e.row_id) not in pending_fields
        and stored_bases.get((table, e.row_id)) == (e.version, e.data)
    }
    current = _load_values(session, table, [i for i in ids if i in versions and i not in agreed])
    inserts: dict[frozenset[str], list[dict[str, Any]]] = {}
    updates: dict[frozenset[str], list[dict[str, Any]]] = {}
    bases: dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]] = {}
    for entry in entries:
        if entry.row_id in agreed:
            if versions[entry.row_id] != entry.version:
                updates.setdefault(frozenset(("id", "version")), []).append(
                    {"id": entry.row_id, "version": entry.version}
                )
            continue
        values = {k: decode[k](v) for k, v in entry.data.items() if k in decode}
        existing = current.get(entry.row_id)
        if existing is None:
            values["id"] = entry.row_id
            values["version"] = entry.version
            inserts.setdefault(frozenset(values), []).append(values)
        else:
            locally_pending = pending_fields.get((table, entry.row_id), ())
            changes = {
                k: v
                for k, v in values.items()
                if k != "id" and k not in locally_pending and existing[k] != v
            }
            if existing["version"] != entry.version:
                changes["version"] = entry.version
            if changes:
                changes["id"] = entry.row_id
                updates.setdefault(frozenset(changes), []).append(changes)
        if stored_bases.get((table, entry.row_id)) != (entry.version, entry.data):
            bases[(table, entry.row_id)] = (entry.version, entry.data)  # else: already agreed
    target = _table(model)  # attribute keys are the column names in every synced model
    for rows in inserts.values():
        session.execute(insert(target), rows)
    for names, rows in updates.items():
        statement = (
            update(target)
            .where(target.c.id == bindparam("key_id", type_=target.c.id.type))
            .values(
                {
                    name: bindparam(f"new_{name}", type_=target.c[name].type)
                    for name in names
                    if name != "id"
                }
            )
        )
        session.execute(
            statement,
            [
                {"key_id": r["id"], **{f"new_{k}": v for k, v in r.items() if k != "id"}}
                for r in rows
            ],
        )
    _write_bases(session, bases, stored_bases)


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
