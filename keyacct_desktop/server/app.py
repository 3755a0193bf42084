"""The HTTP API of the central server (FastAPI). OpenAPI is published at ``/openapi.json``.

(No ``from __future__ import annotations`` here: FastAPI must see the real dependency types.)

Every call carries the protocol version; a device speaking another version gets 426 and a
message to update, instead of a half-understood exchange.
"""

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

import anyio
import anyio.to_thread
from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from keyacct_desktop import __version__
from keyacct_desktop.server import blobs, core
from keyacct_desktop.server.db import (
    REQUEST_THREADS,
    migrate_server,
    server_engine,
    session_factory,
)
from keyacct_desktop.server.models import Account, Device
from keyacct_desktop.sync.codec import PROTOCOL_VERSION

MAX_BATCH = 1000
MAX_PAGE = 5000


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


class OperationIn(BaseModel):
    op_id: uuid.UUID
    table: str = Field(min_length=1, max_length=32)
    id: uuid.UUID
    op: Literal["upsert", "delete"]
    base_version: int = Field(ge=0)
    fields: dict[str, Any] = Field(default_factory=dict)
    base: dict[str, Any] = Field(default_factory=dict)


class PushRequest(BaseModel):
    protocol: int
    ops: list[OperationIn] = Field(max_length=MAX_BATCH)


class PullRequest(BaseModel):
    protocol: int
    cursor: int = Field(ge=0)
    limit: int = Field(default=1000, ge=1, le=MAX_PAGE)
    customer_ids: list[uuid.UUID] | None = Field(default=None, max_length=10_000)


class AccountRequest(BaseModel):
    protocol: int
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=8, max_length=200)
    role: Literal["manager", "supervisor", "admin"]
    display_name: str | None = Field(default=None, max_length=64)


def _check_protocol(protocol: int) -> None:
    if protocol != PROTOCOL_VERSION:
        raise HTTPException(
            426,
            f"sync protocol {protocol} is not supported; this server speaks {PROTOCOL_VERSION}: update KeyAcct",
        )


class ConcurrencyLimit:
    """Let at most ``limit`` requests run at once; the rest wait, holding neither thread nor
    database connection.

    Without it, many simultaneous clients each grab a pooled connection during
    authentication and then wait for a worker thread that is itself blocked waiting for a
    connection: a deadlock broken only by the pool timeout (fastapi/fastapi#3205).
    """

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._semaphore: anyio.Semaphore | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._semaphore is None:
            self._semaphore = anyio.Semaphore(self.limit)
        async with self._semaphore:
            await self.app(scope, receive, send)


def create_app(database_url: str, *, migrate: bool = True) -> FastAPI:
    engine = server_engine(database_url)
    if migrate:
        migrate_server(engine)
    sessions: sessionmaker[Session] = session_factory(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # As many request threads as pooled connections (see server.db.REQUEST_THREADS).
        anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
        yield
        engine.dispose()

    app = FastAPI(title="KeyAcct central server", version=__version__, lifespan=lifespan)
    # Fewer requests in flight than threads and pooled connections (each needs one of each).
    app.add_middleware(ConcurrencyLimit, limit=REQUEST_THREADS // 2)
    app.state.engine = engine

    def transaction() -> Iterator[Session]:
        with sessions.begin() as session:
            yield session

    # scope="function": the transaction commits BEFORE the answer leaves, so a client never
    # hears "applied" about a change that a failed commit then lost.
    SessionDep = Annotated[Session, Depends(transaction, scope="function")]

    def current_device(
        session: SessionDep, authorization: Annotated[str | None, Header()] = None
    ) -> tuple[Account, Device]:
        token = authorization.removeprefix("Bearer ").strip() if authorization else None
        try:
            return core.authenticate(session, token)
        except core.AuthError as error:
            raise HTTPException(401, str(error), headers={"WWW-Authenticate": "Bearer"}) from None

    AuthDep = Annotated[tuple[Account, Device], Depends(current_device)]

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "protocol": PROTOCOL_VERSION, "version": __version__}

    @app.post("/api/v1/login", response_model=LoginResponse)
    def login(body: LoginRequest, session: SessionDep) -> LoginResponse:
        _check_protocol(body.protocol)
        try:
            token, device, account = core.login(
                session, body.username, body.password, body.device_name
            )
        except core.AuthError as error:
            raise HTTPException(401, str(error)) from None
        return LoginResponse(
            token=token,
            device_id=device.id,
            user_id=account.user_id,
            role=account.role,
            display_name=account.display_name,
        )

    @app.post("/api/v1/push")
    def push(body: PushRequest, session: SessionDep, auth: AuthDep) -> dict[str, Any]:
        _check_protocol(body.protocol)
        account, device = auth
        operations = [
            core.Operation(op.op_id, op.table, op.id, op.op, op.base_version, op.fields, op.base)
            for op in body.ops
        ]
        return {"results": core.push(session, account, device, operations)}

    @app.post("/api/v1/pull")
    def pull(body: PullRequest, session: SessionDep, auth: AuthDep) -> dict[str, Any]:
        _check_protocol(body.protocol)
        return core.pull(session, auth[0], body.cursor, body.limit, body.customer_ids)

    @app.get("/api/v1/access")
    def access(session: SessionDep, auth: AuthDep) -> dict[str, Any]:
        return {
            "access_epoch": core.current_value(session, "access"),
            "customers": core.visible_customer_list(session, auth[0]),
        }

    @app.get("/api/v1/blobs/{sha256}/state")
    def blob_state(sha256: str, session: SessionDep, auth: AuthDep) -> dict[str, Any]:
        """How much of a blob the server has: an upload resumes from ``received``."""
        try:
            found = blobs.state(session, sha256)
        except blobs.BlobError as error:
            raise HTTPException(error.status, str(error)) from None
        if found is None:
            return {"sha256": sha256, "size": None, "received": 0, "complete": False}
        return found.as_json()

    @app.put("/api/v1/blobs/{sha256}")
    async def blob_upload(
        sha256: str, size: int, offset: int, request: Request, auth: AuthDep
    ) -> JSONResponse:
        """Append one chunk at ``offset``; 409 with the right offset when out of step."""
        data = await request.body()
        account, device = auth

        def store() -> JSONResponse:
            with sessions.begin() as session:
                try:
                    result = blobs.append(session, sha256, size, offset, data)
                except blobs.BlobError as error:
                    return JSONResponse(
                        {"detail": str(error), "received": error.received},
                        status_code=error.status,
                    )
                if result.complete and result.received == offset + len(data):
                    core.audit(session, account, device, "blob_uploaded", sha256=sha256)
            return JSONResponse(result.as_json())

        return await run_in_threadpool(store)

    @app.get("/api/v1/blobs/{sha256}")
    def blob_download(
        sha256: str,
        session: SessionDep,
        auth: AuthDep,
        offset: int = 0,
        length: int = blobs.MAX_BLOB_BYTES,
    ) -> Response:
        """Up to ``length`` bytes from ``offset``: a broken download resumes where it stopped."""
        try:
            found = blobs.state(session, sha256)
        except blobs.BlobError as error:
            raise HTTPException(error.status, str(error)) from None
        if found is None or not found.complete or not blobs.may_read(session, auth[0], sha256):
            raise HTTPException(404, "no such attachment, or not yours to read")
        if not 0 <= offset <= found.size:
            raise HTTPException(416, "offset outside the attachment")
        return Response(
            b"".join(blobs.read_chunks(session, sha256, offset, max(length, 0))),
            media_type="application/octet-stream",
            headers={"X-Blob-Size": str(found.size)},
        )

    @app.post("/api/v1/admin/accounts", status_code=201)
    def create_account(body: AccountRequest, session: SessionDep, auth: AuthDep) -> dict[str, Any]:
        _check_protocol(body.protocol)
        if auth[0].role != "admin":
            raise HTTPException(403, "only administrators create accounts")
        try:
            account = core.create_account(
                session, body.username, body.password, body.role, body.display_name
            )
        except ValueError as error:
            raise HTTPException(409, str(error)) from None
        return {"account_id": str(account.id), "user_id": str(account.user_id)}

    @app.post("/api/v1/admin/devices/{device_id}/revoke")
    def revoke(device_id: uuid.UUID, session: SessionDep, auth: AuthDep) -> dict[str, Any]:
        if auth[0].role != "admin":
            raise HTTPException(403, "only administrators revoke devices")
        try:
            core.revoke_device(session, device_id)
        except ValueError as error:
            raise HTTPException(404, str(error)) from None
        return {"revoked": str(device_id)}

    return app
