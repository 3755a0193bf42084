"""Another user signs in where a user's data is: what happens before that data is wiped.

A data folder holds one user's data (docs/SECURITY.md, "Another user in the same data
folder"). Switching wipes it, so first either the present user's work is synced — and the
switch goes on only if nothing is left that exists only here — or the user accepted losing it.
Either way the new user's password is proved right (a device token is obtained) *before*
anything is wiped: a typo never costs the previous user's data. The wipe itself needs the
store closed and is done by the caller (``security.device.wipe_device``), which then keeps
the token returned here (``SyncAccount.keep``).
"""

from __future__ import annotations

from typing import Any

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.progress import TaskState
from keyacct_desktop.security.files import AttachmentFiles
from keyacct_desktop.store.db import Store
from keyacct_desktop.sync.account import SyncAccount, default_device_name
from keyacct_desktop.sync.client import sync_once
from keyacct_desktop.sync.review import LocalOnly, local_only


class StillUnsyncedError(UserError):
    """Syncing first left work that exists only on this computer: nothing was switched."""

    def __init__(self, previous: str, left: LocalOnly) -> None:
        self.left = left
        super().__init__(
            f"已同步,但仍有内容只存在于这台电脑上({';'.join(left.lines())}),"
            f"因此没有切换用户。请以 {previous} 处理后再切换,或选择“清除并切换”。",
            f"synced, but some work still exists only on this computer "
            f"({'; '.join(left.lines('en'))}), so the user was not switched. Handle it as "
            f"{previous} first, or choose 'Wipe and switch'.",
        )


def prepare_switch(
    store: Store,
    files: AttachmentFiles | None,
    account: SyncAccount,
    previous: str,
    credentials: tuple[str, str, str],
    *,
    sync_first: bool,
    state: TaskState | None = None,
) -> dict[str, Any]:
    """Everything a switch to another user needs before the wipe; returns the new user's
    sign-in answer (token, user id). ``credentials``: server URL, user name, password.

    ``sync_first``: sync as the present user (with the token this folder has) and refuse with
    :class:`StillUnsyncedError` if work that exists only here remains. Runs on a worker.
    """
    server_url, username, password = credentials
    if sync_first:
        api = account.api()
        try:
            sync_once(store, api, state, files)
        finally:
            api.close()
        left = local_only(store)
        if left.total:
            raise StillUnsyncedError(previous, left)
    if state is not None:
        state.check()
    return account.exchange(server_url, username, password, default_device_name())
