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
from datetime import datetime
from typing import TYPE_CHECKING

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.progress import Cancelled, TaskState
from keyacct_desktop.store.db import Store
from keyacct_desktop.sync import first_pull
from keyacct_desktop.sync.api import ServerApi
from keyacct_desktop.sync.first_pull import collector_paused
from keyacct_desktop.sync.pull import _apply_inbox, _fetch_into_inbox, _reconcile_access, _refetch
from keyacct_desktop.sync.push import push
from keyacct_desktop.sync.state import SyncReport, get_state, set_state
from keyacct_desktop.sync.transport import (
    OfflineError as OfflineError,  # re-exported: callers catch it from here
)
from keyacct_desktop.sync.transport import (
    SyncError,
)

if TYPE_CHECKING:
    from keyacct_desktop.security.files import AttachmentFiles

log = logging.getLogger(__name__)


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
            with collector_paused():  # thousands of rows decoded and written
                epoch = _fetch_into_inbox(store, api, state, report, first=first_pull.start(store))
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
            if not isinstance(error, Cancelled):  # the manager stopped it: not an error
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
