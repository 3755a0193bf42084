"""Constants of the sync wire format (docs/SYNC_PROTOCOL.md)."""

from __future__ import annotations

#: Sent by the client in every token, push and pull request; the server refuses another one.
PROTOCOL_VERSION = 1
