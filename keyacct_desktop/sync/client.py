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

import logging
import math
import ssl
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import httpx
from sqlalchemy import (
    Boolean,
    Float,
    Integer,
    Table,
    UniqueConstraint,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, StatementError

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.progress import TaskState
from keyacct_desktop.protocol.codec import (
    FieldError,
    columns,
    decoders,
    encoders,
    required_fields,
)
from keyacct_desktop.protocol.wire import PROTOCOL_VERSION
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.store.changelog import APPLYING_REMOTE
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import (
    PendingChange,
    SyncBase,
    SyncInbox,
    SyncRefused,
    SyncSetAside,
    SyncState,
)
from keyacct_desktop.store.models import MODEL_BY_TABLE, SYNCED_MODELS, Customer
from keyacct_desktop.sync import backlog
from keyacct_desktop.sync.bulk import insert_rows
from keyacct_desktop.sync.transport import (
    OfflineError as OfflineError,  # re-exported: callers catch it from here
)
from keyacct_desktop.sync.transport import (
    SyncError,
    check_server_url,
    classify,
    refusal_error,
    tls_context,
)

if TYPE_CHECKING:
    from keyacct_desktop.security.files import AttachmentFiles

log = logging.getLogger(__name__)

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
    set_aside: int = 0  # pulled rows this device could not apply yet (sync_set_aside)
    refused: int = 0  # local changes the server refused, kept as needing attention
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


class BlobNotNamed(SyncError):
    """The server takes an attachment's content only once an attachment record the account
    sees names it (e.g. not while the record waits, refused, on this laptop)."""


class ServerApi:
    """The HTTP calls, with errors turned into messages a manager understands.

    The address and TLS set-up are checked first (``sync.transport``). ``on_token`` hears
    each new token (sign-in, rotation) so the caller keeps it; with ``rotate_due`` the
    token is exchanged for a fresh one before the first request (``server.accounts``).
    """

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        verify: bool | str | ssl.SSLContext = True,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        allow_http: bool = False,
        on_token: Callable[[dict[str, Any]], None] | None = None,
        rotate_due: bool = False,
        user_id: str | None = None,
    ) -> None:
        check_server_url(base_url, allow_http=allow_http)
        if isinstance(verify, str):  # a CA file to trust (a company CA or a self-signed server)
            verify = tls_context(verify)
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=timeout, verify=verify, transport=transport
        )
        self.token = token
        self.on_token = on_token
        self.rotate_due = rotate_due and token is not None
        #: The server user this client acts for (from the sign-in): see :func:`check_owner`.
        self.user_id = user_id or None

    def close(self) -> None:
        self.client.close()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self._send(method, path, json=body)
        self._check(response)
        return response.json()

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if self.rotate_due:
            self.rotate_due = False
            self.rotate_token()
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(kwargs.pop("headers", {}))
        try:
            return self.client.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as error:
            raise classify(error) from error

    def rotate_token(self) -> None:
        """Exchange this device's token for a fresh one; ``on_token`` keeps it."""
        answer = self._call("POST", "/api/v1/token", {"protocol": PROTOCOL_VERSION})
        self.token = answer["token"]
        if self.on_token is not None:
            self.on_token(answer)

    @staticmethod
    def _check(response: httpx.Response) -> None:
        if response.status_code in (401, 429):
            raise refusal_error(response)
        if response.status_code == 426:
            raise SyncError(
                "服务器的同步协议版本不同,请更新 KeyAcct",
                "the server speaks another sync protocol: update KeyAcct",
            )
        if response.status_code >= 400:
            # The body may echo what was sent (customer data): it goes to the log, and the
            # message names only the status and the server's machine-readable code.
            log.warning("server refused %s: %s", response.status_code, response.text[:500])
            try:
                body = response.json()
            except ValueError:
                body = None
            code = body.get("code") if isinstance(body, dict) else None
            what = (
                f"{response.status_code}, {code}"
                if isinstance(code, str)
                else str(response.status_code)
            )
            raise SyncError(
                f"服务器拒绝了请求({what}),本机的修改都还保留;请稍后重试,如一再出现请联系管理员",
                f"the server refused the request ({what}); nothing on this computer was lost. "
                "Try again later; if it keeps happening, tell the administrator",
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
        if response.status_code in (401, 429):  # wrong credentials, locked, disabled…
            raise refusal_error(response, signing_in=True)
        self._check(response)
        answer = response.json()
        self.token = answer["token"]
        self.user_id = str(answer["user_id"])
        if self.on_token is not None:
            self.on_token(answer)
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
        if response.status_code == 404:  # no record of this account names it (yet): refused
            raise BlobNotNamed(
                "服务器上没有可见的附件记录引用该附件,稍后再上传",
                "no attachment record this account sees names the content; upload it later",
            )
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
        insert_rows(session, table, new)
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


#: Refusal codes by a fragment of an older server's English answer (it sent no code).
_LEGACY_CODES = (
    ("unknown table", "unknown_table"),
    ("only supervisors", "forbidden_table"),
    ("own grids", "grid_required"),
    ("out of their grids", "forbidden_reach"),
    ("another grid", "forbidden_reach"),
    ("issued document", "frozen"),
    ("missing required fields", "required"),
    ("wrong type", "invalid_value"),
    ("longer than", "invalid_value"),
    ("may not be empty", "required"),
)


def refusal_code(result: dict[str, Any]) -> str:
    """The machine-readable reason of a refusal (inferred from the text for older servers)."""
    if result.get("code"):
        return str(result["code"])
    error = str(result.get("error") or "")
    for fragment, code in _LEGACY_CODES:
        if fragment in error:
            return code
    return "refused"


def _refusal_fields(result: dict[str, Any]) -> list[str]:
    """The fields a refusal names; older servers named them only in the English text."""
    if result.get("fields"):
        return [str(name) for name in result["fields"]]
    error = str(result.get("error") or "")
    if "missing required fields:" in error:
        return [name.strip() for name in error.split(":", 1)[1].split(",") if name.strip()]
    head = error.split(" ", 1)[0]
    if "." in head:
        return [head.split(".", 1)[1]]
    return []


def _settle_answers(
    session: Any,
    order: dict[str, int],
    ops: list[dict[str, Any]],
    by_op: dict[str, dict[str, Any]],
    bases: dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]],
    report: SyncReport,
) -> None:
    """What the server's answers mean for this laptop, beyond "applied".

    * ``rejected``: the change is kept as needing attention (``sync_refused``), never dropped.
      A refused create stays on this laptop only; a refused edit or delete of a record the
      server has is undone here (the laptop shows the server's record) and the user's own
      values stay with the refusal, to be resent or discarded.
    * ``merged``: the record duplicated one the server already had (same business key): local
      references move to the kept record and the duplicate goes, without queuing a delete.
    * a conflict on a record the server keeps deleted (an older server): the row goes here too;
      the edit is kept in the server's conflict record.
    """
    refetch: set[str] = set()
    session.execute(text("PRAGMA defer_foreign_keys = ON"))  # references move in steps
    for op in ops:
        result = by_op.get(op["op_id"], {})
        status = result.get("status")
        table, row_id = op["table"], uuid.UUID(op["id"])
        if status == "rejected":
            _keep_refused(
                session, op, result, bases.get((table, row_id)), order.get(op["op_id"], 0)
            )
            report.refused += 1
            if op["op"] == "delete":
                customer = _customer_id(session, table, row_id, bases.get((table, row_id)))
                if customer is not None:  # rows deleted with it by cascade come back too
                    refetch.add(str(customer))
        elif status == "merged" and result.get("into"):
            into = uuid.UUID(str(result["into"]))
            if into != row_id:
                _merge_into(session, table, row_id, into)
            customer = _customer_id(session, table, into, None)
            if customer is not None:
                refetch.add(str(customer))
        elif status == "conflict" and op["op"] == "delete":
            # delete_edited: someone edited it meanwhile, so the server keeps it. It comes back
            # in the pull; rows deleted here with it by cascade come back with its customer.
            customer = _customer_id(session, table, row_id, bases.get((table, row_id)))
            if customer is not None:
                refetch.add(str(customer))
        elif (
            status == "conflict"
            and op["op"] == "upsert"
            and not result.get("code")
            and result.get("error") == "record was deleted"
        ):
            target = _table(MODEL_BY_TABLE[table])
            session.execute(delete(target).where(target.c.id == row_id))
    if refetch:
        known = get_state_in(session, "refetch_customers") or []
        set_state(session, "refetch_customers", sorted(set(known) | refetch))


def get_state_in(session: Any, key: str, default: Any = None) -> Any:
    row = session.get(SyncState, key)
    return default if row is None else row.value


def _customer_id(
    session: Any,
    table: str,
    row_id: uuid.UUID,
    base: tuple[int, dict[str, Any]] | None,
) -> uuid.UUID | None:
    """The customer a record belongs to (itself for a customer), from the row or its base."""
    if table == "customer":
        return row_id
    if "customer_id" not in columns(table):
        return None
    target = _table(MODEL_BY_TABLE[table])
    found = session.scalar(select(target.c.customer_id).where(target.c.id == row_id))
    if found is None and base is not None and base[1].get("customer_id"):
        try:
            found = uuid.UUID(str(base[1]["customer_id"]))
        except ValueError:
            return None
    return found


def _keep_refused(
    session: Any,
    op: dict[str, Any],
    result: dict[str, Any],
    base: tuple[int, dict[str, Any]] | None,
    seq: int,
) -> None:
    """Record a refused operation as needing attention (merging with an earlier refusal of
    the same record) and undo a refused edit or delete of a record the server has."""
    table, row_id = op["table"], uuid.UUID(op["id"])
    created = op["op"] == "upsert" and not op["base_version"]
    cause = result.get("cause") or {}
    cause_table = cause.get("table")
    cause_id = _uuid_or_none(cause.get("id"))
    entry = session.get(SyncRefused, (table, row_id))
    if entry is None:
        entry = SyncRefused(table_name=table, row_id=row_id, seq=seq, fields=[], values={})
        session.add(entry)
    else:
        entry.seq = min(entry.seq, seq)
    entry.op = op["op"]
    entry.created = created or bool(entry.created)
    entry.fields = sorted(set(entry.fields or []) | set(op["fields"]))
    entry.values = {**(entry.values or {}), **op["fields"]}
    entry.code = refusal_code(result)
    entry.error_fields = _refusal_fields(result)
    entry.message_zh = result.get("message_zh")
    entry.error = str(result.get("error") or "")
    entry.cause_table = cause_table if cause_id else None
    entry.cause_id = cause_id
    entry.refused_at = utcnow()
    if entry.created and entry.cause_id is None:
        entry.cause_table, entry.cause_id = _refused_parent(session, table, row_id)
    session.flush()
    if entry.created or table not in MODEL_BY_TABLE or base is None:
        return
    model_table = _table(MODEL_BY_TABLE[table])
    decode = decoders(table)
    if op["op"] == "delete":
        # The server keeps the record: put it back as the server has it.
        values: dict[str, Any] = {}
        try:
            values = {k: decode[k](v) for k, v in base[1].items() if k in decode}
        except (FieldError, ValueError):
            return
        values["id"], values["version"] = row_id, base[0]
        savepoint = session.begin_nested()
        try:
            session.execute(insert(model_table), [values])
        except (DBAPIError, StatementError):
            savepoint.rollback()  # its parent went too: the refetch brings both back
        else:
            savepoint.commit()
        return
    restore = {}
    for name in op["fields"]:
        if name in base[1] and name in decode:
            try:
                restore[name] = decode[name](base[1][name])
            except (FieldError, ValueError):
                continue
    if restore:
        savepoint = session.begin_nested()
        try:
            session.execute(update(model_table).where(model_table.c.id == row_id).values(restore))
        except (DBAPIError, StatementError):
            savepoint.rollback()
        else:
            savepoint.commit()


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _refused_parent(
    session: Any, table: str, row_id: uuid.UUID
) -> tuple[str | None, uuid.UUID | None]:
    """The refused record (never stored by the server) that this record refers to, if any."""
    if table not in MODEL_BY_TABLE:
        return None, None
    target = _table(MODEL_BY_TABLE[table])
    references = [(column, parent) for column, parent, _c in _foreign_keys(table)]
    names = [column for column, _parent in references]
    if "owner_table" in target.c:
        names += ["owner_table", "owner_id"]
    if not names:
        return None, None
    row = session.execute(
        select(*(target.c[name] for name in names)).where(target.c.id == row_id)
    ).first()
    if row is None:
        return None, None
    values = dict(zip(names, row, strict=True))
    candidates = [(parent, values[column]) for column, parent in references]
    if values.get("owner_table") and values.get("owner_id"):
        candidates.insert(0, (values["owner_table"], values["owner_id"]))
    for parent, parent_id in candidates:
        if parent_id is None:
            continue
        held = session.get(SyncRefused, (parent, parent_id))
        if held is not None and held.created:
            return parent, parent_id
    return None, None


def _hold_dependants(store: Store) -> None:
    """Keep back local changes of refused new records, and of records that depend on one:
    the server would refuse them too. They join the refusal (needing attention) and are
    resent with it once fixed."""
    with store.read() as session:
        if not session.scalar(
            select(func.count()).select_from(SyncRefused).where(SyncRefused.created.is_(True))
        ):
            return
    with store.begin() as session:
        entries = {(e.table_name, e.row_id): e for e in session.scalars(select(SyncRefused))}
        held = {key for key, entry in entries.items() if entry.created}
        changes = session.scalars(select(PendingChange).order_by(PendingChange.seq)).all()
        parents = _parents_of(session, changes)  # one query per table, not per change
        gone: set[int] = set()
        moved = True
        while moved:
            moved = False
            for change in changes:
                if change.seq in gone or change.table_name not in MODEL_BY_TABLE:
                    continue
                key = (change.table_name, change.row_id)
                entry = entries.get(key)
                if entry is not None:
                    if not entry.created:
                        continue  # an edit of a record the server has: it goes as usual
                    if change.op == "delete":
                        session.delete(entry)  # a record that never reached the server: gone
                        del entries[key]
                        held.discard(key)
                    else:
                        entry.fields = sorted(set(entry.fields or []) | set(change.fields))
                    session.delete(change)
                    gone.add(change.seq)
                    moved = True
                    continue
                if change.op == "delete":
                    continue
                cause = next((p for p in parents.get(key, ()) if p in held), None)
                if cause is None:
                    continue
                entry = SyncRefused(
                    table_name=change.table_name,
                    row_id=change.row_id,
                    op="upsert",
                    created=session.get(SyncBase, key) is None,
                    fields=list(change.fields),
                    values={},
                    code="parent_refused",
                    error_fields=[],
                    message_zh=None,
                    error="depends on a refused record",
                    cause_table=cause[0],
                    cause_id=cause[1],
                    seq=change.seq,
                    refused_at=utcnow(),
                )
                session.add(entry)
                entries[key] = entry
                held.add(key)
                session.delete(change)
                gone.add(change.seq)
                moved = True
        _forget_vanished(session)


def _parents_of(
    session: Any, changes: Sequence[PendingChange]
) -> dict[tuple[str, uuid.UUID], list[tuple[str, uuid.UUID]]]:
    """The records each pending row refers to (foreign keys and an attachment's owner)."""
    by_table: dict[str, list[uuid.UUID]] = {}
    for change in changes:
        if change.op != "delete" and change.table_name in MODEL_BY_TABLE:
            by_table.setdefault(change.table_name, []).append(change.row_id)
    found: dict[tuple[str, uuid.UUID], list[tuple[str, uuid.UUID]]] = {}
    for table, ids in by_table.items():
        target = _table(MODEL_BY_TABLE[table])
        references = [(column, parent) for column, parent, _c in _foreign_keys(table)]
        owner = "owner_table" in target.c
        if not references and not owner:
            continue
        names = [column for column, _parent in references]
        if owner:
            names += ["owner_table", "owner_id"]
        for start in range(0, len(ids), IN_CHUNK):
            for row in session.execute(
                select(target.c.id, *(target.c[name] for name in names)).where(
                    target.c.id.in_(ids[start : start + IN_CHUNK])
                )
            ):
                values = dict(zip(names, row[1:], strict=True))
                refs = [(parent, values[column]) for column, parent in references]
                if owner and values.get("owner_table") and values.get("owner_id"):
                    refs.insert(0, (values["owner_table"], values["owner_id"]))
                found[(table, row[0])] = [(t, i) for t, i in refs if i is not None]
    return found


def _forget_vanished(session: Any) -> None:
    """Refused new records that no longer exist here (deleted, or gone with their parent)
    have nothing left to send: their refusals go."""
    for entry in session.scalars(select(SyncRefused).where(SyncRefused.created.is_(True))).all():
        model = MODEL_BY_TABLE.get(entry.table_name)
        if model is None:
            continue
        target = _table(model)
        if session.scalar(select(target.c.id).where(target.c.id == entry.row_id)) is None:
            session.delete(entry)


def _merge_into(session: Any, table: str, old_id: uuid.UUID, into: uuid.UUID) -> None:
    """The server merged this laptop's record into an existing one with the same business
    key: references move to the kept id; the local duplicate goes without queuing a delete
    (or becomes the kept record when this laptop does not have it yet). Records that referred
    to it are queued again with their new reference."""
    target = _table(MODEL_BY_TABLE[table])
    have_kept = session.scalar(select(target.c.id).where(target.c.id == into)) is not None
    requeue: list[dict[str, Any]] = []
    for child, column, _cascades in _children(table):
        child_table = _table(MODEL_BY_TABLE[child])
        ids = session.scalars(select(child_table.c.id).where(child_table.c[column] == old_id)).all()
        if ids:
            session.execute(
                update(child_table).where(child_table.c[column] == old_id).values({column: into})
            )
            requeue += [
                {
                    "op_id": uuid.uuid4(),
                    "table_name": child,
                    "row_id": child_id,
                    "op": "upsert",
                    "fields": [column],
                    "attempts": 0,
                    "created_at": utcnow(),
                }
                for child_id in ids
                if child_id != old_id
            ]
    attachments = _table(MODEL_BY_TABLE["attachment"])
    moved = session.scalars(
        select(attachments.c.id).where(
            attachments.c.owner_table == table, attachments.c.owner_id == old_id
        )
    ).all()
    if moved:
        session.execute(
            update(attachments).where(attachments.c.id.in_(moved)).values(owner_id=into)
        )
        requeue += [
            {
                "op_id": uuid.uuid4(),
                "table_name": "attachment",
                "row_id": attachment_id,
                "op": "upsert",
                "fields": ["owner_id"],
                "attempts": 0,
                "created_at": utcnow(),
            }
            for attachment_id in moved
        ]
    conflicts = _table(MODEL_BY_TABLE["sync_conflict"])
    session.execute(update(conflicts).where(conflicts.c.row_id == old_id).values(row_id=into))
    if table == "customer":
        session.execute(
            update(conflicts).where(conflicts.c.customer_id == old_id).values(customer_id=into)
        )
    if have_kept:
        session.execute(delete(target).where(target.c.id == old_id))
    else:
        session.execute(update(target).where(target.c.id == old_id).values(id=into, version=0))
    session.execute(
        update(PendingChange)
        .where(PendingChange.table_name == table, PendingChange.row_id == old_id)
        .values(row_id=into)
    )
    session.execute(delete(SyncBase).where(SyncBase.table_name == table, SyncBase.row_id == old_id))
    session.execute(
        update(SyncRefused)
        .where(SyncRefused.cause_table == table, SyncRefused.cause_id == old_id)
        .values(cause_id=into)
    )
    if requeue:
        session.execute(insert(_table(PendingChange)), requeue)


def push(store: Store, api: ServerApi, state: TaskState, report: SyncReport) -> None:
    _hold_dependants(store)
    total = pending_count(store)
    while True:
        seqs, ops = _build_batch(store)
        if not seqs:
            return
        results = api.push(ops) if ops else []
        by_op = {r["op_id"]: r for r in results}
        if any(op["op_id"] not in by_op for op in ops):  # nothing is dropped unanswered
            raise SyncError(
                "服务器的回答不完整,本机的修改保留待下次上传",
                "the server's answer was incomplete; the changes stay queued",
            )
        with store.begin() as session:
            agreed: list[tuple[dict[str, Any], dict[str, Any]]] = []
            for op in ops:
                result = by_op.get(op["op_id"], {})
                status = result.get("status")
                if status == "rejected":
                    report.rejected.append(
                        {
                            "table": op["table"],
                            "id": op["id"],
                            "error": result.get("error"),
                            "code": result.get("code"),
                            "fields": list(result.get("fields") or []),
                            "message_zh": result.get("message_zh"),
                        }
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
            order = {
                str(op_id): seq
                for op_id, seq in session.execute(
                    select(PendingChange.op_id, PendingChange.seq).where(
                        PendingChange.seq.between(seqs[0], seqs[-1])
                    )
                )
            }
            session.execute(delete(PendingChange).where(PendingChange.seq.in_(seqs)))
            _settle_answers(session, order, ops, by_op, stored, report)
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
        # A row is held already only if it has a merge base: a new store skips the check.
        has_bases = session.scalar(select(SyncBase.row_id).limit(1)) is not None
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
            entries = _moves_as_deletes(session, entries)
            if not resumed and has_bases:  # (after a crash, older copies may wait: keep all)
                held = _already_held(session, entries, stored)
                entries = [e for e in entries if (e.table_name, e.row_id) not in held]
            stored.update((e.table_name, e.row_id) for e in entries)
            if entries:  # one executemany per page, not one ORM object per change
                insert_rows(session, _table(SyncInbox), [e._asdict() for e in entries])
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


#: ``table`` of the server's move markers (``server.moves``): a row left a customer.
MOVED_TABLE = "__moved__"


def _moves_as_deletes(session: Any, entries: list[_Entry]) -> list[_Entry]:
    """Move markers become deletes of the rows that moved to a customer this device may not
    see, at the marker's version: when the device sees the new customer too, the row's newer
    version comes in the same pull and wins; a device that holds that newer version already
    (it made the move) drops the marker."""
    markers = [e for e in entries if e.table_name == MOVED_TABLE]
    if not markers:
        return entries
    deletes: list[_Entry] = []
    for marker in markers:
        table = str((marker.data or {}).get("table"))
        row_id = _uuid_or_none((marker.data or {}).get("id"))
        if table not in MODEL_BY_TABLE or row_id is None:
            continue
        target = _table(MODEL_BY_TABLE[table])
        local = session.scalar(select(target.c.version).where(target.c.id == row_id))
        if local is not None and local >= marker.version:
            continue
        deletes.append(_Entry(table, row_id, marker.version, True, {"id": str(row_id)}))
    return [e for e in entries if e.table_name != MOVED_TABLE] + deletes


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


def _apply_inbox(store: Store, report: SyncReport | None = None) -> None:
    """Apply the stored pages (and the rows set aside earlier) in one transaction.

    A row this device cannot apply — its parent has not arrived, its business key is held by
    another local record, a value does not fit — is set aside with its reason
    (``sync_set_aside``) and the rest applies: one bad row never stops the device syncing.
    A set-aside row is tried again when this sync brings what it waits for or a newer version
    of it, and every row on a periodic safety net (:mod:`keyacct_desktop.sync.backlog`).
    A tombstone of a row with a pending local edit (or whose delete would cascade onto one)
    is not applied: the edit is pushed and the server keeps the row alive.
    """
    with store.read() as session:  # a no-op sync writes nothing here
        arriving = session.scalar(select(SyncInbox.seq).limit(1)) is not None
        everything = session.scalar(
            select(SyncSetAside.version).limit(1)
        ) is not None and backlog.safety_net_due(session)
    if not arriving and not everything:
        return
    with store.begin() as session:
        session.info[APPLYING_REMOTE] = True
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        # Set-aside rows are retried when what they wait for arrives (or a newer version of
        # them), and all of them on the safety net: a large backlog does not cost every sync.
        retried = backlog.rows_to_retry(session, backlog.inbox_keys(session), everything)
        if everything:
            backlog.mark_safety_net(session)
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
        attempts: dict[tuple[str, uuid.UUID], int] = {}
        for held in retried:
            key = (held.table_name, held.row_id)
            attempts[key] = held.attempts
            if key not in latest or held.version > latest[key].version:
                latest[key] = _Entry(
                    held.table_name, held.row_id, held.version, held.deleted, held.data
                )
        if not latest:
            return
        for held in retried:
            session.delete(held)
        session.flush()
        session.execute(delete(SyncInbox))
        pending_fields: dict[tuple[str, uuid.UUID], set[str]] = {}
        for table_name, row_id, op, fields in session.execute(
            select(
                PendingChange.table_name,
                PendingChange.row_id,
                PendingChange.op,
                PendingChange.fields,
            )
        ):
            if op != "delete":
                pending_fields.setdefault((table_name, row_id), set()).update(fields)
        entries = [e for e in latest.values() if e.table_name in MODEL_BY_TABLE]
        entries = _without_overruled_deletes(session, entries, pending_fields)
        aside: dict[tuple[str, uuid.UUID], _Aside] = {}
        decoded = _check_entries(session, entries, pending_fields, aside)
        _check_referenced(session, entries, decoded, aside)
        ready = [e for e in entries if (e.table_name, e.row_id) not in aside]
        if not _apply_together(session, ready, pending_fields, decoded):
            _apply_one_by_one(session, ready, pending_fields, aside, decoded)
        by_key = {(e.table_name, e.row_id): e for e in entries}
        rows = [
            {
                "table_name": table,
                "row_id": row_id,
                "version": by_key[(table, row_id)].version,
                "deleted": by_key[(table, row_id)].deleted,
                "data": by_key[(table, row_id)].data,
                "code": reason.code,
                "field_name": reason.field,
                "detail": reason.detail,
                "attempts": attempts.get((table, row_id), 0) + 1,
                "set_aside_at": utcnow(),
                "waits_for": reason.waits_for,
            }
            for (table, row_id), reason in aside.items()
        ]
        if rows:
            session.execute(insert(_table(SyncSetAside)), rows)
            if session.get(SyncState, backlog.SAFETY_NET_KEY) is None:
                backlog.mark_safety_net(session)  # just tried: the safety net starts now
            log.warning(
                "sync: %d pulled row(s) set aside: %s",
                len(rows),
                ", ".join(f"{r['table_name']}:{r['code']}" for r in rows[:20]),
            )
        if report is not None:
            report.set_aside = len(rows)


class _Aside(NamedTuple):
    """Why a pulled row was set aside: a code, the field concerned, a detail for the log."""

    code: str
    field: str | None = None
    detail: str | None = None
    waits_for: str | None = None  # the record it waits for, "table:id" (sync.backlog)


@cache
def _foreign_keys(table: str) -> tuple[tuple[str, str, bool], ...]:
    """``(column, parent table, cascades)`` of each foreign key of a synced table."""
    model = MODEL_BY_TABLE[table]
    return tuple(
        sorted(
            (fk.parent.name, fk.column.table.name, (fk.ondelete or "").upper() == "CASCADE")
            for fk in _table(model).foreign_keys
        )
    )


@cache
def _children(table: str) -> tuple[tuple[str, str, bool], ...]:
    """``(child table, column, cascades)`` of every synced table referring to ``table``."""
    return tuple(
        (child, column, cascades)
        for child in MODEL_BY_TABLE
        for column, parent, cascades in _foreign_keys(child)
        if parent == table
    )


@cache
def _unique_keys(table: str) -> tuple[tuple[str, ...], ...]:
    """The column tuples that must be unique in a synced table (business keys)."""
    return tuple(
        tuple(column.name for column in constraint.columns)
        for constraint in _table(MODEL_BY_TABLE[table]).constraints
        if isinstance(constraint, UniqueConstraint)
    )


def _without_overruled_deletes(
    session: Any, entries: list[_Entry], pending_fields: dict[tuple[str, uuid.UUID], set[str]]
) -> list[_Entry]:
    """Drop tombstones of rows edited locally meanwhile, or whose delete would cascade onto a
    locally edited row: edit beats silent delete. The edit is pushed next and the server
    revives the row (with a conflict record), so nothing the manager typed vanishes."""
    tombstones: dict[str, set[uuid.UUID]] = {}
    for entry in entries:
        if entry.deleted:
            tombstones.setdefault(entry.table_name, set()).add(entry.row_id)
    if not tombstones or not pending_fields:
        return entries
    kept: set[tuple[str, uuid.UUID]] = set()
    for table, ids in tombstones.items():
        kept.update(
            (table, row_id) for row_id in _edited_below(session, table, ids, pending_fields)
        )
    return [e for e in entries if (e.table_name, e.row_id) not in kept]


def _edited_below(
    session: Any,
    table: str,
    ids: set[uuid.UUID],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    depth: int = 0,
) -> set[uuid.UUID]:
    """Those of ``ids`` that have a pending edit themselves or in a row that cascades with them."""
    edited = {row_id for row_id in ids if (table, row_id) in pending_fields}
    if depth > 4:
        return edited
    for child, column, cascades in _children(table):
        if not cascades or child == table:
            continue
        target = _table(MODEL_BY_TABLE[child])
        parent_of: dict[uuid.UUID, uuid.UUID] = {}
        id_list = list(ids - edited)
        for start in range(0, len(id_list), IN_CHUNK):
            parent_of.update(
                session.execute(
                    select(target.c.id, target.c[column]).where(
                        target.c[column].in_(id_list[start : start + IN_CHUNK])
                    )
                ).all()
            )
        if parent_of:
            below = _edited_below(session, child, set(parent_of), pending_fields, depth + 1)
            edited.update(parent_of[row_id] for row_id in below)
    return edited


def _check_entries(
    session: Any,
    entries: list[_Entry],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    aside: dict[tuple[str, uuid.UUID], _Aside],
) -> dict[tuple[str, uuid.UUID], dict[str, Any]]:
    """Set aside the pulled rows that cannot be applied: values that do not fit, references to
    rows this device does not have, business keys another local record holds. Returns the
    decoded values of the rows (so they are decoded once)."""
    upserts = [e for e in entries if not e.deleted]
    deleted = {(e.table_name, e.row_id) for e in entries if e.deleted}
    by_table: dict[str, list[_Entry]] = {}
    for entry in upserts:
        by_table.setdefault(entry.table_name, []).append(entry)
    local: dict[str, set[uuid.UUID]] = {}  # ids present locally, per table

    def existing(table: str, ids: set[uuid.UUID]) -> set[uuid.UUID]:
        known = local.setdefault(table, set())
        missing = [i for i in ids if i not in known]
        target = _table(MODEL_BY_TABLE[table])
        for start in range(0, len(missing), IN_CHUNK):
            known.update(
                session.scalars(
                    select(target.c.id).where(target.c.id.in_(missing[start : start + IN_CHUNK]))
                )
            )
        return known & ids

    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    for table, group in by_table.items():
        decode = decoders(table)
        numeric = _numeric_columns(table)
        required = required_fields(table)
        present = existing(table, {e.row_id for e in group})
        for entry in group:
            key = (table, entry.row_id)
            try:
                values = {k: decode[k](v) for k, v in entry.data.items() if k in decode}
                for name in numeric:
                    if (value := values.get(name)) is not None:
                        _check_range(table, name, value)
            except (FieldError, ValueError, TypeError) as error:
                aside[key] = _Aside("invalid_value", _field_of(str(error)), str(error))
                continue
            if entry.row_id not in present:
                missing = sorted(n for n in required if values.get(n) is None)
                if missing:
                    aside[key] = _Aside("required", missing[0], "missing " + ", ".join(missing))
                    continue
            decoded[key] = values
    wanted: dict[str, set[uuid.UUID]] = {}
    for (table, _row_id), values in decoded.items():
        for column, parent, _cascades in _foreign_keys(table):
            if (target := values.get(column)) is not None:
                wanted.setdefault(parent, set()).add(target)
    for parent, targets in wanted.items():
        existing(parent, targets)  # one query per table and chunk, cached in ``local``
    # References and business keys: a row set aside frees what it held and breaks what
    # referred to it, so check again until nothing changes.
    for _round in range(10):
        changed = False
        arriving = {k for k in decoded if k not in aside}
        for (table, row_id), values in decoded.items():
            key = (table, row_id)
            if key in aside:
                continue
            for column, parent, _cascades in _foreign_keys(table):
                if (table, row_id) in pending_fields and column in pending_fields[key]:
                    continue  # the local value stays
                target = values.get(column)
                if target is None:
                    continue
                parent_key = (parent, target)
                if parent_key in arriving:
                    continue
                if parent_key in deleted or target not in local.get(parent, ()):
                    aside[key] = _Aside(
                        "missing_reference",
                        column,
                        f"{parent} {target}",
                        backlog.waits_key(parent, target),
                    )
                    changed = True
                    break
        changed |= _check_unique(session, decoded, deleted, pending_fields, aside)
        if not changed:
            break
    return decoded


def _check_referenced(
    session: Any,
    entries: list[_Entry],
    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]],
    aside: dict[tuple[str, uuid.UUID], _Aside],
) -> None:
    """Set aside tombstones of rows a local record still names through a foreign key without
    ``ON DELETE CASCADE`` (a local-only referral naming a visit deleted on the server): the
    store would refuse the delete. The server never deletes a row its records name (it
    refuses ``referenced``), so the naming record exists only here; the tombstone applies
    once that record is resent without the reference, or discarded."""
    tombstones: dict[str, set[uuid.UUID]] = {}
    for entry in entries:
        if entry.deleted and (entry.table_name, entry.row_id) not in aside:
            tombstones.setdefault(entry.table_name, set()).add(entry.row_id)
    if not tombstones:
        return
    leaving = {(e.table_name, e.row_id) for e in entries if e.deleted}
    for table, ids in tombstones.items():
        for child, column, cascades in _children(table):
            if cascades:
                continue
            target = _table(MODEL_BY_TABLE[child])
            id_list = sorted(ids)
            for start in range(0, len(id_list), IN_CHUNK):
                for child_id, parent_id in session.execute(
                    select(target.c.id, target.c[column]).where(
                        target.c[column].in_(id_list[start : start + IN_CHUNK])
                    )
                ).all():
                    key = (child, child_id)
                    if key in leaving:
                        continue  # deleted by this pull too
                    arriving = decoded.get(key)
                    if (
                        arriving is not None
                        and key not in aside
                        and arriving.get(column) != parent_id
                    ):
                        continue  # this pull points it elsewhere
                    aside[(table, parent_id)] = _Aside(
                        "referenced",
                        column,
                        f"{child} {child_id}",
                        backlog.waits_key(child, child_id),
                    )


def _check_unique(
    session: Any,
    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]],
    deleted: set[tuple[str, uuid.UUID]],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    aside: dict[tuple[str, uuid.UUID], _Aside],
) -> bool:
    """Set aside pulled rows whose business key (户号, document number) another record on
    this device holds; returns whether any was set aside."""
    changed = False
    tables = {table for table, _row_id in decoded}
    for table in tables:
        keys = _unique_keys(table)
        if not keys:
            continue
        target = _table(MODEL_BY_TABLE[table])
        mine = {
            row_id: values
            for (t, row_id), values in decoded.items()
            if t == table and (t, row_id) not in aside
        }
        # Rows of this table that this pull changes or removes do not hold their old keys.
        moving = set(mine) | {r for t, r in deleted if t == table}
        moving |= {r for (t, r) in aside if t == table} - _present(session, table, aside)
        for names in keys:
            claimed: dict[tuple[Any, ...], uuid.UUID] = {}
            for row_id, values in mine.items():
                pending = pending_fields.get((table, row_id), set())
                if any(name in pending for name in names):
                    continue  # the local value stays and is pushed; the server decides
                value = tuple(values.get(name) for name in names)
                if any(v is None for v in value):
                    continue
                if value in claimed:
                    aside[(table, row_id)] = _Aside(
                        "duplicate_key", names[0], table, backlog.waits_key(table, claimed[value])
                    )
                    changed = True
                    continue
                claimed[value] = row_id
            if not claimed:
                continue
            first = [value[0] for value in claimed]
            holders: list[Any] = []
            for start in range(0, len(first), IN_CHUNK):
                holders += session.execute(
                    select(target.c.id, *(target.c[name] for name in names)).where(
                        target.c[names[0]].in_(first[start : start + IN_CHUNK])
                    )
                ).all()
            for holder in holders:
                holder_id, value = holder[0], tuple(holder[1:])
                wanted_by = claimed.get(value)
                if wanted_by is None or wanted_by == holder_id or holder_id in moving:
                    continue
                aside[(table, wanted_by)] = _Aside(
                    "duplicate_key", names[0], table, backlog.waits_key(table, holder_id)
                )
                changed = True
    return changed


def _present(
    session: Any, table: str, aside: dict[tuple[str, uuid.UUID], _Aside]
) -> set[uuid.UUID]:
    """Set-aside rows of ``table`` that exist locally: they keep their old keys."""
    ids = [r for t, r in aside if t == table]
    target = _table(MODEL_BY_TABLE[table])
    found: set[uuid.UUID] = set()
    for start in range(0, len(ids), IN_CHUNK):
        found.update(
            session.scalars(
                select(target.c.id).where(target.c.id.in_(ids[start : start + IN_CHUNK]))
            )
        )
    return found


@cache
def _numeric_columns(table: str) -> tuple[str, ...]:
    """The integer and float columns of a synced table (the ones with a range to check)."""
    return tuple(
        name
        for name, column in columns(table).items()
        if isinstance(column.type, Integer | Float) and not isinstance(column.type, Boolean)
    )


#: The range of a 64-bit signed integer: SQLite stores nothing larger.
_INT64 = (-(2**63), 2**63 - 1)


def _check_range(table: str, name: str, value: Any) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int) and not _INT64[0] <= value <= _INT64[1]:
        raise FieldError(f"{table}.{name} is out of range")
    if isinstance(value, float) and not math.isfinite(value):
        raise FieldError(f"{table}.{name} is not a finite number")


def _field_of(message: str) -> str | None:
    """The field named in a codec error ("customer.name has …")."""
    head = message.split(" ", 1)[0]
    return head.split(".", 1)[1] if "." in head else None


def _apply_entries(
    session: Any,
    entries: list[_Entry],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]],
) -> None:
    """Write pulled rows: upserts parents first, then deletions children first."""
    ordered = sorted(entries, key=lambda e: (TABLE_ORDER.get(e.table_name, 99), e.version))
    by_table: dict[str, list[_Entry]] = {}
    for entry in ordered:
        if not entry.deleted:
            by_table.setdefault(entry.table_name, []).append(entry)
    for table, group in by_table.items():
        _apply_upserts(session, table, group, pending_fields, decoded)
    for entry in reversed([e for e in ordered if e.deleted]):
        target = _table(MODEL_BY_TABLE[entry.table_name])
        session.execute(delete(target).where(target.c.id == entry.row_id))
        session.execute(
            delete(SyncBase).where(
                SyncBase.table_name == entry.table_name, SyncBase.row_id == entry.row_id
            )
        )


def _foreign_key_violations(session: Any, entries: list[_Entry]) -> bool:
    """Whether any row of a table this pull wrote (or referring to one it deleted from)
    breaks a foreign key: the check SQLite would make at commit, made before it."""
    tables: set[str] = set()
    for entry in entries:
        if entry.deleted:
            tables.update(child for child, _column, _cascades in _children(entry.table_name))
        elif _foreign_keys(entry.table_name):
            tables.add(entry.table_name)
    for table in sorted(tables):
        if session.execute(text(f'PRAGMA foreign_key_check("{table}")')).first() is not None:
            return True
    return False


def _apply_together(
    session: Any,
    entries: list[_Entry],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]],
) -> bool:
    """The fast path: every checked row with one executemany per table, in a savepoint.
    Returns ``False`` (and writes nothing) when the store still refuses something."""
    if not entries:
        return True
    savepoint = session.begin_nested()
    try:
        _apply_entries(session, entries, pending_fields, decoded)
        if _foreign_key_violations(session, entries):
            savepoint.rollback()
            return False
    except (DBAPIError, StatementError, OverflowError, ValueError) as error:
        log.warning("sync: pulled rows applied one by one after %s", type(error).__name__)
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def _apply_one_by_one(
    session: Any,
    entries: list[_Entry],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    aside: dict[tuple[str, uuid.UUID], _Aside],
    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]],
) -> None:
    """The slow path: each row in its own savepoint with immediate foreign-key checks; a row
    the store refuses is set aside with the store's reason. Rows that failed only because
    of order (a parent later in the list) are retried until nothing more applies."""
    session.execute(text("PRAGMA defer_foreign_keys = OFF"))
    waiting = sorted(entries, key=lambda e: (e.deleted, TABLE_ORDER.get(e.table_name, 99)))
    failures: dict[tuple[str, uuid.UUID], _Aside] = {}
    progress = True
    while waiting and progress:
        progress = False
        still: list[_Entry] = []
        for entry in waiting:
            savepoint = session.begin_nested()
            try:
                _apply_entries(session, [entry], pending_fields, decoded)
            except (DBAPIError, StatementError, OverflowError, ValueError) as error:
                savepoint.rollback()
                failures[(entry.table_name, entry.row_id)] = _store_refusal(error)
                still.append(entry)
                continue
            savepoint.commit()
            failures.pop((entry.table_name, entry.row_id), None)
            progress = True
        waiting = still
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    for entry in waiting:
        aside[(entry.table_name, entry.row_id)] = failures[(entry.table_name, entry.row_id)]


def _store_refusal(error: BaseException) -> _Aside:
    """A set-aside reason from the store's error (the SQL itself only goes to the log)."""
    message = str(getattr(error, "orig", error) or error)
    if "FOREIGN KEY" in message:
        return _Aside("missing_reference", None, message[:200])
    if "UNIQUE" in message:
        column = message.rsplit(".", 1)[-1].strip() if "." in message else None
        return _Aside("duplicate_key", column, message[:200])
    return _Aside("invalid_value", None, f"{type(error).__name__}: {message[:200]}")


def _apply_upserts(
    session: Any,
    table: str,
    entries: list[_Entry],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]] | None = None,
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
    # A table with no rows and no merge bases here (a first sync): nothing to look up.
    fresh = (
        session.scalar(select(model.id).limit(1)) is None
        and session.scalar(select(SyncBase.row_id).where(SyncBase.table_name == table).limit(1))
        is None
    )
    stored_bases = {} if fresh else _load_bases(session, [(table, row_id) for row_id in ids])
    versions: dict[uuid.UUID, int] = {}
    for start in range(0, 0 if fresh else len(ids), IN_CHUNK):
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
        values = dict(decoded.get((table, entry.row_id), {})) if decoded else {}
        if not values:
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
        insert_rows(session, target, rows)
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
            _apply_inbox(store, report)
    if answer.get("grids") is not None:  # a manager pulls only the grids they manage
        _drop_other_grids(store, {uuid.UUID(grid) for grid in answer["grids"]})
    with store.begin() as session:
        set_state(session, "access_epoch", int(answer["access_epoch"]))
        set_state(session, "visible_customers", sorted(visible))


def _drop_other_grids(store: Store, mine: set[uuid.UUID]) -> None:
    """Remove the grids this manager no longer manages (the server stops sending their
    changes), unless a customer here is still in one or one has an edit to push."""
    grid = _table(MODEL_BY_TABLE["grid"])
    customer = _table(Customer)
    with store.begin() as session:
        session.info[APPLYING_REMOTE] = True
        stale = [
            grid_id
            for grid_id in session.scalars(
                select(grid.c.id).where(
                    ~select(customer.c.id).where(customer.c.grid_id == grid.c.id).exists(),
                    ~select(PendingChange.seq)
                    .where(PendingChange.table_name == "grid", PendingChange.row_id == grid.c.id)
                    .exists(),
                )
            )
            if grid_id not in mine
        ]
        for start in range(0, len(stale), IN_CHUNK):
            part = stale[start : start + IN_CHUNK]
            session.execute(delete(grid).where(grid.c.id.in_(part)))
            session.execute(
                delete(SyncBase).where(SyncBase.table_name == "grid", SyncBase.row_id.in_(part))
            )


def _refetch(store: Store, api: ServerApi, state: TaskState, report: SyncReport) -> None:
    """Fetch again the full history of customers whose records this laptop must re-read: one
    of its records was merged into the server's copy, or a refused delete had removed rows
    here that the server keeps."""
    wanted = get_state(store, "refetch_customers") or []
    if not wanted:
        return
    if wanted:  # (the server answers only for customers this account may see)
        _fetch_into_inbox(store, api, state, report, customer_ids=sorted(wanted))
        _apply_inbox(store, report)
    with store.begin() as session:
        set_state(session, "refetch_customers", [])


class SyncFailed(SyncError):
    """Sync stopped on something unexpected on this laptop; the details are in the log only
    (they may hold SQL and customer data, which never reach the status bar)."""

    def __init__(self, error: BaseException) -> None:
        kind = type(error).__name__
        super().__init__(
            f"同步未完成:本机处理同步数据时出错({kind})。已上传的修改不受影响,"
            "下次同步会自动重试;如一再出现,请把日志发给管理员",
            f"sync did not finish: this laptop failed while handling sync data ({kind}). "
            "Changes already uploaded are safe; the next sync retries. If it keeps "
            "happening, send the log to the administrator",
        )


class OtherUserError(SyncError):
    """The store holds another user's data: syncing would push it under this user's name."""

    def __init__(self) -> None:
        super().__init__(
            "此数据文件夹中是另一位用户的数据,已停止同步(否则其未上传的修改会以当前用户的名义上传)。"
            "请用原账号登录;要换用户,先在“安全”菜单中“退出登录并清除本机数据”"
            "(命令行:keyacct sync login --switch-user),再以新用户登录。",
            "this data folder holds another user's data; sync stopped (their unsynced edits would "
            "be pushed under the current user's name). Sign in as that user; to switch users, "
            "first use Security > Sign out and remove data from this computer (command line: "
            "keyacct sync login --switch-user), then sign in as the new user.",
        )


def check_owner(store: Store, api: ServerApi) -> None:
    """Stamp the store with the user it syncs for on its first sync; refuse another user."""
    if api.user_id is None:
        return
    owner = get_state(store, "owner_user_id")
    if owner is None:
        with store.begin() as session:
            set_state(session, "owner_user_id", api.user_id)
    elif owner != api.user_id:
        raise OtherUserError()


def sync_once(
    store: Store,
    api: ServerApi,
    state: TaskState | None = None,
    files: AttachmentFiles | None = None,
) -> SyncReport:
    """Push, then pull; records the time of the attempt and of success. Raises
    :class:`SyncError` (with a plain Chinese message, never SQL) on failure.

    With ``files`` (the device's attachment folder) attachment contents move too: uploads
    after the push, downloads after the pull (see ``sync.attachments``).
    """
    # Imported here: sync.attachments builds on this module's ServerApi and state helpers.
    from keyacct_desktop.sync.attachments import download_missing, upload_missing

    state = state or TaskState()
    report = SyncReport()
    check_owner(store, api)
    attempt = datetime.now().isoformat(timespec="seconds")  # recorded with the outcome
    # Rows whose version is above this cursor arrived with this sync ("new since last sync").
    pulled_from = int(get_state(store, "cursor", 0) or 0)
    try:
        try:
            push(store, api, state, report)
            if files is not None:
                upload_missing(store, api, files, state, report.blobs)
            epoch = _fetch_into_inbox(store, api, state, report)
            _apply_inbox(store, report)
            _reconcile_access(store, api, state, report, epoch)
            _refetch(store, api, state, report)
            if files is not None:
                download_missing(store, api, files, state, report.blobs)
        except UserError:
            raise
        except Exception as error:
            log.exception("sync failed")
            raise SyncFailed(error) from error
    except UserError as error:
        with store.begin() as session:
            set_state(session, "last_attempt", attempt)
            set_state(session, "last_error", error.message_en)
            set_state(session, "last_error_zh", error.message_zh)
        raise
    with store.begin() as session:
        set_state(session, "last_attempt", attempt)
        set_state(session, "last_success", datetime.now().isoformat(timespec="seconds"))
        set_state(session, "last_error", None)
        set_state(session, "last_error_zh", None)
        set_state(session, "clock_skew_seconds", report.clock_skew_seconds)
        set_state(session, "last_pulled_from", pulled_from)
    return report
