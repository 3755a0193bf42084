"""Group commit: jobs submitted at about the same time are committed together by one writer.

Used for pushes (see ``server.app``): while one group's transaction runs, the pushes that
arrive queue up, and the next group takes them all in one transaction — one ``BEGIN``/
``COMMIT`` (one fsync on PostgreSQL) and one lock of the version counter for the group
instead of one each. A job's awaiting request is answered only after its group committed,
so nothing is acknowledged before it is durable. Pulls use it too, as read groups: one
transaction and one authentication query for the pulls that arrived together.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

J = TypeVar("J")
R = TypeVar("R")


class GroupNotCommitted(RuntimeError):
    """The transaction of a job's group failed: none of the group's jobs was applied."""


class GroupCommit(Generic[J, R]):
    """Queue jobs for ``commit``, which runs a group in one transaction and returns, per job,
    its result or the exception that failed it (one job's failure is its own)."""

    def __init__(
        self,
        commit: Callable[[list[J]], Awaitable[list[R | BaseException]]],
        *,
        max_weight: int,
        weight: Callable[[J], int] = lambda _job: 1,
    ) -> None:
        self._commit = commit
        self._max_weight = max_weight  # a group stops growing here (at least one job)
        self._weight = weight
        self._pending: list[tuple[J, asyncio.Future[R]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def submit(self, job: J) -> R:
        """``job``'s result once its group committed (or its exception)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._pending.append((job, future))
        if self._writer is None:
            self._writer = loop.create_task(self._write())
        return await future

    def _next_group(self) -> list[tuple[J, asyncio.Future[R]]]:
        """The oldest jobs up to the group weight (arrival order is commit order)."""
        total, taken = 0, 0
        for job, _future in self._pending:
            total += self._weight(job)
            if taken and total > self._max_weight:
                break
            taken += 1
        group, self._pending = self._pending[:taken], self._pending[taken:]
        return group

    async def _write(self) -> None:
        """The one writer: commits groups until nothing is pending."""
        try:
            while self._pending:
                # Requests that arrived together with the first one join its group.
                await asyncio.sleep(0)
                group = self._next_group()
                try:
                    outcomes = await self._commit([job for job, _future in group])
                except BaseException as error:  # cancelled too: never leave a request hanging
                    for _job, future in group:
                        if not future.done():
                            failed = GroupNotCommitted("the transaction of this group failed")
                            failed.__cause__ = error
                            future.set_exception(failed)
                    if not isinstance(error, Exception):
                        raise
                    continue
                for (_job, future), outcome in zip(group, outcomes, strict=True):
                    if future.done():  # its request was cancelled meanwhile
                        continue
                    if isinstance(outcome, BaseException):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
        finally:
            self._writer = None
            for _job, future in self._pending:  # only when the writer itself was cancelled
                if not future.done():
                    future.cancel()
            self._pending = []
