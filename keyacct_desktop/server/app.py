"""The HTTP API of the central server (FastAPI). OpenAPI is published at ``/openapi.json``.

(No ``from __future__ import annotations`` here: FastAPI must see the real parameter types.)

Every call carries the protocol version; a device speaking another version gets 426 and a
message to update, instead of a half-understood exchange.

Request plumbing, built for many devices syncing at once (docs/BENCHMARKS.md, hot spot 6):

* each request does its database work — authentication included — in **one** transaction,
  opened and committed inside :func:`create_app`'s ``run_db`` **before** the answer is sent (a
  device never hears "applied" about a change a failed commit lost);
* on SQLite that transaction runs inline on the event loop (see ``server.db``): requests are
  serialised without threads or lock waits; on PostgreSQL it runs in one worker thread with a
  pooled connection, as many threads as connections, so nothing can deadlock on the pool;
* pushes are **group-committed** (``server.groupcommit``): the pushes that arrive while a
  push transaction runs are applied together in the next one, as one batch with one commit
  and one lock of the version counter for all of them (:func:`server_push.push_group`; a push that
  fails is rolled back alone); each device still gets its own answers, after the commit;
* pulls are **grouped** the same way: the pulls that arrive while a group of pulls runs are
  served together in the next read transaction, with one authentication query, one read of
  the ``access`` counter and, for pulls that see the same rows, one versions query for all
  of them (:func:`server_pull.pull_group`);
* push and pull use :class:`LeanRoute`: documented like the other routes, run without
  FastAPI's per-request dependency solving;
* answers are JSON bytes built directly (a pull splices the stored JSON of each row), not
  passed through FastAPI's ``jsonable_encoder``.

Limits come before work (docs/SECURITY.md): :class:`BodyLimit` refuses a request body larger
than :data:`MAX_BODY_BYTES` from its ``Content-Length`` or, without one, while it is read —
before the token is even looked at; numbers in bodies and queries have ranges the databases
can hold; refusals carry a ``code`` besides the ``detail`` text.
"""

import json
import logging
import math
import os
import typing
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, TypeVar

import anyio
import anyio.to_thread
from fastapi import FastAPI, Header, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import request_response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from keyacct_desktop import __version__
from keyacct_desktop.protocol.wire import PROTOCOL_VERSION
from keyacct_desktop.server import access as server_access
from keyacct_desktop.server import accounts, blobs, ops, reach, verify, web
from keyacct_desktop.server import pull as server_pull
from keyacct_desktop.server import push as server_push
from keyacct_desktop.server import push_batch as server_push_batch
from keyacct_desktop.server import rows as server_rows
from keyacct_desktop.server.db import (
    REQUEST_THREADS,
    LoopConnection,
    is_sqlite,
    migrate_server,
    request_session_factory,
    server_engine,
    session_factory,
)
from keyacct_desktop.server.groupcommit import GroupCommit
from keyacct_desktop.server.models import Account, Device

MAX_BATCH = 1000
#: Operations a group commit of pushes takes at most (a group has at least one push).
MAX_GROUP_OPS = 2000
#: Pulls a group takes at most: the last of them waits for all the pages before it.
MAX_GROUP_PULLS = 100
MAX_PAGE = 5000
#: The largest request body read (a push of a full batch is a few MB; a blob chunk 4 MB).
MAX_BODY_BYTES = 16 * 2**20
#: The largest integer the databases store (BIGINT): cursors, versions and offsets stay below.
MAX_INT = 2**63 - 1
T = TypeVar("T")


class Refusal(HTTPException):
    """An HTTP refusal with a machine-readable ``code`` beside the ``detail`` text."""

    def __init__(
        self, status: int, code: str, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status, detail, headers=headers)
        self.code = code


def _refusal_response(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    code = getattr(error, "code", None) or {
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        409: "conflict",
        413: "too_large",
        416: "out_of_range",
        426: "protocol",
    }.get(error.status_code, "refused")
    return JSONResponse(
        {"detail": error.detail, "code": code},
        status_code=error.status_code,
        headers=getattr(error, "headers", None),
    )


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinities as text: JSON has no such numbers, and an error
    message that echoes one must not fail to encode (a 500 instead of the 422)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


async def _invalid_request(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = _finite(jsonable_encoder(error.errors()))
    return JSONResponse({"detail": problems, "code": "invalid_request"}, status_code=422)


class BodyTooLarge(Refusal):
    def __init__(self) -> None:
        super().__init__(
            413,
            "body_too_large",
            f"request bodies are limited to {MAX_BODY_BYTES // 2**20} MB",
            headers={"Connection": "close"},
        )


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``max_bytes`` before the app reads them
    whole — at once from ``Content-Length``, else as soon as the bytes read pass the limit
    (chunked uploads). Runs before routing, so before authentication."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.max_bytes
            except ValueError:
                too_large = False  # the server's HTTP parser answers a malformed length
            if too_large:
                await self._refuse(scope, receive, send)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge()
            return message

        started = False

        async def watched(message: MutableMapping[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = _refusal_response(Request(scope), BodyTooLarge())
        await response(scope, receive, send)


class LoginRequest(BaseModel):
    protocol: int
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)
    device_name: str = Field(min_length=1, max_length=120)


class LoginResponse(BaseModel):
    token: str
    device_id: uuid.UUID
    user_id: uuid.UUID
    role: str
    display_name: str
    #: When the token stops working, and after how many seconds the device should replace it.
    expires_at: datetime
    rotate_after_seconds: int


class TokenRequest(BaseModel):
    protocol: int


class TokenResponse(BaseModel):
    token: str
    expires_at: datetime
    rotate_after_seconds: int


class OperationIn(BaseModel):
    op_id: uuid.UUID
    table: str = Field(min_length=1, max_length=32)
    id: uuid.UUID
    op: Literal["upsert", "delete"]
    base_version: int = Field(ge=0, le=MAX_INT)
    fields: dict[str, Any] = Field(default_factory=dict)
    base: dict[str, Any] = Field(default_factory=dict)


class PushRequest(BaseModel):
    protocol: int
    ops: list[OperationIn] = Field(max_length=MAX_BATCH)


class PullRequest(BaseModel):
    protocol: int
    cursor: int = Field(ge=0, le=MAX_INT)
    limit: int = Field(default=1000, ge=1, le=MAX_PAGE)
    customer_ids: list[uuid.UUID] | None = Field(default=None, max_length=10_000)


class AccountRequest(BaseModel):
    protocol: int
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=8, max_length=200)
    role: Literal["manager", "supervisor", "admin", "team", "specialist"]
    display_name: str | None = Field(default=None, max_length=64)
    #: The back-office team of a ``team`` account (``BackOfficeTeam`` code).
    team: str | None = Field(default=None, max_length=32)


def _check_protocol(protocol: int) -> None:
    if protocol != PROTOCOL_VERSION:
        raise Refusal(
            426,
            "protocol",
            f"sync protocol {protocol} is not supported; this server speaks {PROTOCOL_VERSION}: update KeyAcct",
        )


def json_response(content: Any, status_code: int = 200) -> Response:
    """A JSON answer encoded once with the standard library (no ``jsonable_encoder`` walk)."""
    return Response(
        json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode(),
        status_code=status_code,
        media_type="application/json",
    )


AuthHeader = Annotated[str | None, Header()]


def _body_problem(problem: Any) -> dict[str, Any]:
    """A pydantic error about the request body, as FastAPI reports it (``loc`` from "body";
    a body that is not even UTF-8 is shown decoded with replacement characters)."""
    shown = {**problem, "loc": ("body", *problem["loc"])}
    if isinstance(shown.get("input"), bytes):
        shown["input"] = shown["input"].decode(errors="replace")
    return shown


class LeanRoute(APIRoute):
    """A route for the sync hot paths (push, pull): declared and documented like any other,
    run without FastAPI's per-request dependency solving.

    Its endpoint takes exactly ``body`` (a pydantic model, read from the JSON body) and
    ``authorization`` (the header). Validation errors are FastAPI's usual 422 answers. This
    costs ~0.04 ms a request instead of ~0.12 ms: at 200 devices syncing at once, a sixth of
    the server's CPU per request (docs/BENCHMARKS.md, hot spot 8).
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        body_model: type[BaseModel] = typing.get_type_hints(endpoint)["body"]
        answer: Callable[..., Awaitable[Response]] = endpoint

        async def handle(request: Request) -> Response:
            try:
                body = body_model.model_validate_json(await request.body())
            except ValidationError as error:
                raise RequestValidationError(
                    [_body_problem(problem) for problem in error.errors(include_url=False)]
                ) from None
            return await answer(body=body, authorization=request.headers.get("authorization"))

        self.app = request_response(handle)


def create_app(database_url: str, *, migrate: bool = True) -> FastAPI:
    engine = server_engine(database_url)
    if migrate:
        migrate_server(engine)
    inline = is_sqlite(engine)
    loop_connection = LoopConnection(engine)
    # Worker-thread transactions: PostgreSQL requests, and Argon2 logins (tens of ms of CPU)
    # on either database; on SQLite pysqlite's lazy BEGIN takes no lock before the first write.
    sessions = session_factory(engine)
    #: Sign-in bookkeeping: ``BEGIN IMMEDIATE`` on SQLite, so attempts are counted in turn.
    locked_sessions = request_session_factory(engine)
    threads = anyio.CapacityLimiter(REQUEST_THREADS)
    pulled = server_pull.PullCache()  # of this database: shared by every device's pulls

    async def in_thread(work: Callable[[], T]) -> T:
        """Run blocking work in one of the server's threads (never more than the pool)."""
        return await anyio.to_thread.run_sync(work, limiter=threads)

    async def run_db(work: Callable[[Session], T]) -> T:
        """``work`` in one request transaction, committed before this returns (see module doc)."""
        if inline:
            return loop_connection.run(work)

        def transaction() -> T:
            with sessions.begin() as session:
                return work(session)

        return await in_thread(transaction)

    async def run_authed(
        authorization: str | None, work: Callable[[Session, Account, Device], T]
    ) -> T:
        """``work`` for the device of the bearer token, checked in the same transaction."""
        return await run_db(lambda session: _authed(session, authorization, work))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if os.environ.get(accounts.INSECURE_FAST_HASH_ENV) == "1":
            logging.getLogger("keyacct.server").warning(
                "%s=1: passwords are hashed at Argon2's least cost. For tests only: "
                "never on a server people use",
                accounts.INSECURE_FAST_HASH_ENV,
            )
        yield
        loop_connection.close()
        engine.dispose()

    app = FastAPI(title="KeyAcct central server", version=__version__, lifespan=lifespan)
    app.state.engine = engine
    app.add_middleware(BodyLimit)
    app.add_middleware(ops.MetricsMiddleware, route_of=ops.route_template)
    app.add_exception_handler(StarletteHTTPException, _refusal_response)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    schema_heads, schema_known = ops.expected_heads(), ops.known_revisions()

    verify.register(app, run_db)  # /verify/<number>: the page a document's QR code opens
    web.register(app, run_db, in_thread, locked_sessions)  # /console/: teams and specialists

    @app.get("/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "protocol": PROTOCOL_VERSION, "version": __version__}

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        """Liveness: the process answers (no database work)."""
        return {"status": "ok", "version": __version__}

    @app.get("/readyz", response_model=dict[str, Any])
    async def readyz() -> Response:
        """Readiness: the database answers and its schema is the one this code expects."""
        ready, detail = await in_thread(lambda: ops.readiness(engine, schema_heads, schema_known))
        return json_response(detail, status_code=200 if ready else 503)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        body, content_type = ops.metrics_text()
        return Response(body, media_type=content_type)

    @app.post(
        "/api/v1/login",
        response_model=LoginResponse,
        responses={
            401: {"description": "wrong user name or password"},
            429: {"description": "locked"},
        },
    )
    async def login(body: LoginRequest, request: Request) -> LoginResponse:
        """Exchange a password for a device token; attempts are throttled (``server.accounts``)."""
        _check_protocol(body.protocol)
        address = request.client.host if request.client else None

        def sign_in() -> LoginResponse:
            # Three steps, so that no transaction holds a lock during the Argon2 check.
            with locked_sessions.begin() as session:
                attempt = accounts.begin_login(session, body.username, address)
            if attempt.refused is not None:
                ops.record_login("locked")
                raise Refusal(
                    429,
                    attempt.refused.code,
                    str(attempt.refused),
                    headers={"Retry-After": str(attempt.refused.retry_after)},
                )
            matched = attempt.password_matches(body.password)
            with locked_sessions.begin() as session:
                result = accounts.finish_login(session, attempt, matched, body.device_name)
                if isinstance(result, accounts.AuthError):
                    failed: accounts.AuthError | None = result
                else:
                    failed = None
                    token, device, account = result
                    answer = LoginResponse(
                        token=token,
                        device_id=device.id,
                        user_id=account.user_id,
                        role=account.role,
                        display_name=account.display_name,
                        expires_at=_expiry(device.token_expires_at),
                        rotate_after_seconds=int(accounts.ROTATE_AFTER.total_seconds()),
                    )
            if failed is not None:  # raised after the commit: the failure stays recorded
                ops.record_login("refused")
                raise Refusal(401, failed.code, str(failed))
            ops.record_login("ok")
            return answer

        return await in_thread(sign_in)

    @app.post("/api/v1/token", response_model=TokenResponse)
    async def rotate_token(body: TokenRequest, authorization: AuthHeader = None) -> Response:
        """A fresh token for the calling device; the one it used is retired (still accepted
        for a grace period, in case this answer is lost)."""
        _check_protocol(body.protocol)

        def rotate(session: Session, _account: Account, device: Device) -> dict[str, Any]:
            token, expires_at = accounts.rotate_token(session, device)
            return {
                "token": token,
                "expires_at": _expiry(expires_at).isoformat(),
                "rotate_after_seconds": int(accounts.ROTATE_AFTER.total_seconds()),
            }

        return json_response(await run_authed(authorization, rotate))

    async def commit_pushes(requests: list[server_push.PushRequest]) -> list[Any]:
        return await run_db(lambda session: server_push.push_group(session, requests))

    pushes = GroupCommit[server_push.PushRequest, list[dict[str, Any]]](
        commit_pushes,
        max_weight=MAX_GROUP_OPS,
        weight=lambda request: max(1, len(request.operations)),
    )

    def sync_route(path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """``@app.post(path)`` for a hot path of sync: a :class:`LeanRoute`."""

        def add(endpoint: Callable[..., Any]) -> Callable[..., Any]:
            app.router.add_api_route(
                path,
                endpoint,
                methods=["POST"],
                response_model=dict[str, Any],
                route_class_override=LeanRoute,
            )
            return endpoint

        return add

    @sync_route("/api/v1/push")
    async def push(body: PushRequest, authorization: AuthHeader = None) -> Response:
        """Applied in a group commit with the pushes of other devices (see module doc)."""
        _check_protocol(body.protocol)
        operations = [
            server_push_batch.Operation(
                op.op_id, op.table, op.id, op.op, op.base_version, op.fields, op.base
            )
            for op in body.ops
        ]
        try:
            results = await pushes.submit(
                server_push.PushRequest(_bearer(authorization), operations)
            )
        except accounts.AuthError as error:
            raise _unauthorized(error) from None
        ops.record_push(len(operations), results)
        return json_response({"results": results})

    async def serve_pulls(requests: list[server_pull.PullRequest]) -> list[Any]:
        return await run_db(lambda session: server_pull.pull_group(session, requests, pulled))

    pulls = GroupCommit[server_pull.PullRequest, server_pull.PullPage](
        serve_pulls, max_weight=MAX_GROUP_PULLS
    )

    @sync_route("/api/v1/pull")
    async def pull(body: PullRequest, authorization: AuthHeader = None) -> Response:
        """Served in a group with the pulls of other devices (see module doc)."""
        _check_protocol(body.protocol)
        request = server_pull.PullRequest(
            _bearer(authorization), body.cursor, body.limit, body.customer_ids
        )
        try:
            page = await pulls.submit(request)
        except accounts.AuthError as error:
            raise _unauthorized(error) from None
        ops.PULL_ROWS.observe(len(page.changes))
        return Response(page.to_json(), media_type="application/json")

    @app.get("/api/v1/access", response_model=dict[str, Any])
    async def access(authorization: AuthHeader = None) -> Response:
        def visible(session: Session, account: Account, _device: Device) -> dict[str, Any]:
            answer: dict[str, Any] = {
                "access_epoch": server_rows.current_value(session, "access"),
                "customers": server_access.visible_customer_list(session, account),
            }
            if server_access.restricted(account):  # a manager: the grids they pull
                answer["grids"] = reach.manager_grid_list(session.connection(), account)
            return answer

        return json_response(await run_authed(authorization, visible))

    @app.get("/api/v1/blobs/{sha256}/state", response_model=dict[str, Any])
    async def blob_state(sha256: str, authorization: AuthHeader = None) -> Response:
        """The blob when the account may read it, else the account's own upload progress:
        an upload resumes from ``received`` (no oracle: "not yours" = "not there")."""

        def look(session: Session, account: Account, _device: Device) -> dict[str, Any]:
            try:
                return blobs.view(session, account, sha256)
            except blobs.BlobError as error:
                raise HTTPException(error.status, str(error)) from None

        return json_response(await run_authed(authorization, look))

    @app.put("/api/v1/blobs/{sha256}", response_model=dict[str, Any])
    async def blob_upload(
        sha256: str,
        size: Annotated[int, Query(ge=0, le=MAX_INT)],
        offset: Annotated[int, Query(ge=0, le=MAX_INT)],
        request: Request,
        authorization: AuthHeader = None,
    ) -> Response:
        """Append one chunk at ``offset``; 409 with the right offset when out of step.

        Only for a blob an attachment record the account can see names (404 otherwise, the
        same for every hash): a push of that record comes first. Every account uploads on
        its own; the last byte makes it a holder (server/blobs.py, "proof of possession")."""
        data = await request.body()

        def store(session: Session, account: Account, device: Device) -> Response:
            try:
                blobs.check_digest(sha256)
            except blobs.BlobError as error:
                raise HTTPException(error.status, str(error)) from None
            if not blobs.may_upload(session, account, sha256):
                raise HTTPException(404, "no such attachment, or not yours to read")
            try:
                result = blobs.append(session, account, sha256, size, offset, data)
            except blobs.BlobError as error:
                return JSONResponse(
                    {"detail": str(error), "code": error.code, "received": error.received},
                    status_code=error.status,
                )
            if result.finished:
                accounts.audit(session, account, device, "blob_uploaded", sha256=sha256)
            return json_response(result.as_json())

        return await run_authed(authorization, store)

    @app.get("/api/v1/blobs/{sha256}")
    async def blob_download(
        sha256: str,
        authorization: AuthHeader = None,
        offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
        length: Annotated[int, Query(ge=0, le=MAX_INT)] = blobs.MAX_BLOB_BYTES,
    ) -> Response:
        """Up to ``length`` bytes from ``offset``: a broken download resumes where it stopped."""

        def read(session: Session, account: Account, _device: Device) -> Response:
            try:
                found = blobs.state(session, sha256)
            except blobs.BlobError as error:
                raise HTTPException(error.status, str(error)) from None
            if found is None or not blobs.may_read(session, account, sha256):
                raise HTTPException(404, "no such attachment, or not yours to read")
            if not 0 <= offset <= found.size:
                raise HTTPException(416, "offset outside the attachment")
            return Response(
                b"".join(
                    blobs.read_chunks(session, sha256, offset, min(length, blobs.MAX_BLOB_BYTES))
                ),
                media_type="application/octet-stream",
                headers={"X-Blob-Size": str(found.size)},
            )

        return await run_authed(authorization, read)

    @app.post("/api/v1/admin/accounts", status_code=201, response_model=dict[str, Any])
    async def create_account(body: AccountRequest, authorization: AuthHeader = None) -> Response:
        _check_protocol(body.protocol)

        def create(session: Session, account: Account, _device: Device) -> dict[str, Any]:
            if account.role != "admin":
                raise HTTPException(403, "only administrators create accounts")
            try:
                made = accounts.create_account(
                    session, body.username, body.password, body.role, body.display_name, body.team
                )
            except ValueError as error:
                raise HTTPException(409, str(error)) from None
            return {"account_id": str(made.id), "user_id": str(made.user_id)}

        # Argon2 hashing: off the event loop, in a transaction that takes no lock before it writes.
        created = await in_thread(lambda: _authed_in(sessions, authorization, create))
        return json_response(created, status_code=201)

    @app.post("/api/v1/admin/devices/{device_id}/revoke", response_model=dict[str, Any])
    async def revoke(device_id: uuid.UUID, authorization: AuthHeader = None) -> Response:
        def cut_off(session: Session, account: Account, _device: Device) -> dict[str, Any]:
            if account.role != "admin":
                raise HTTPException(403, "only administrators revoke devices")
            try:
                accounts.revoke_device(session, device_id)
            except ValueError as error:
                raise HTTPException(404, str(error)) from None
            return {"revoked": str(device_id)}

        return json_response(await run_authed(authorization, cut_off))

    return app


def _authed(
    session: Session, authorization: str | None, work: Callable[[Session, Account, Device], T]
) -> T:
    """``work`` for the device of the bearer token (401 when unknown, revoked or disabled)."""
    try:
        account, device = accounts.authenticate(session, _bearer(authorization))
    except accounts.AuthError as error:
        raise _unauthorized(error) from None
    return work(session, account, device)


def _bearer(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; anything else is no token."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _unauthorized(error: accounts.AuthError) -> HTTPException:
    return Refusal(401, error.code, str(error), headers={"WWW-Authenticate": "Bearer"})


def _expiry(moment: datetime | None) -> datetime:
    """A stored (naive UTC) expiry as an aware time, so the device reads it right."""
    assert moment is not None  # every issued token has one
    return moment.replace(tzinfo=UTC)


def _authed_in(
    sessions: sessionmaker[Session],
    authorization: str | None,
    work: Callable[[Session, Account, Device], T],
) -> T:
    """:func:`_authed` in a transaction of ``sessions`` (blocking: for worker threads)."""
    with sessions.begin() as session:
        return _authed(session, authorization, work)


def app_from_environment() -> FastAPI:
    """The app of a worker process (``keyacct-server serve --workers N``): the database URL
    comes from ``KEYACCT_SERVER_DATABASE``; the parent process migrated it already."""
    import os

    from keyacct_desktop.server import DATABASE_ENV

    return create_app(os.environ[DATABASE_ENV], migrate=False)
