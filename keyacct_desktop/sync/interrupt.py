"""Stopping a request in flight: a sync the manager cancels, or the app closing.

Closing an ``httpx.Client`` from another thread does not wake a request blocked on a silent
server (it waits out the read timeout, 30 s). Shutting the connection's socket down does,
at once; so the client's connections are made through :class:`AbortableBackend`, which
keeps their sockets and shuts them all down on :meth:`~AbortableBackend.abort`.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from typing import Any

import httpcore
import httpx


class AbortableBackend(httpcore.SyncBackend):
    """httpcore's network backend that can shut down every connection it opened."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: list[httpcore.NetworkStream] = []
        self.aborted = threading.Event()

    def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        stream = super().connect_tcp(*args, **kwargs)
        with self._lock:
            self._streams.append(stream)
            aborted = self.aborted.is_set()
        if aborted:  # aborted while connecting
            self._shut(stream)
        return stream

    def abort(self) -> None:
        """Make every request in flight fail now, and every later one too (thread-safe)."""
        with self._lock:
            self.aborted.set()
            streams, self._streams = self._streams, []
        for stream in streams:
            self._shut(stream)

    @staticmethod
    def _shut(stream: httpcore.NetworkStream) -> None:
        sock = stream.get_extra_info("socket")
        if isinstance(sock, socket.socket | ssl.SSLSocket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def abortable_transport(
    verify: bool | ssl.SSLContext,
) -> tuple[httpx.HTTPTransport, AbortableBackend]:
    """An httpx transport whose connections :meth:`AbortableBackend.abort` can stop."""
    transport = httpx.HTTPTransport(verify=verify)
    backend = AbortableBackend()
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = backend  # httpx offers no public way to choose it
    return transport, backend
