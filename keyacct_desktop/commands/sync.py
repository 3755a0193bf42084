"""``keyacct sync``: sign in to the central server, sync once, show state, sign out.

    keyacct sync login https://sync.example.cn wang   # asks for the password, keeps a token
    keyacct sync                                      # push, then pull; prints what moved
    keyacct sync status                               # pending changes, conflicts, last sync
    keyacct sync logout                               # forget the token on this computer

The password is read from the terminal (or ``--password-stdin`` for scripts) and never stored.
"""

from __future__ import annotations

import argparse
import getpass
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sync", help="sync with the central server (login/status/logout)"
    )
    parser.set_defaults(handler=run_sync)
    actions = parser.add_subparsers(dest="sync_action", metavar="ACTION")
    login = actions.add_parser("login", help="sign in and keep a device token in the OS keyring")
    login.add_argument("server_url", help="e.g. https://sync.example.cn")
    login.add_argument("username")
    login.add_argument("--device-name", help="how the server lists this computer")
    login.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    login.set_defaults(handler=run_login)
    status = actions.add_parser("status", help="pending changes, open conflicts, last sync")
    status.set_defaults(handler=run_status)
    logout = actions.add_parser("logout", help="forget this computer's token")
    logout.set_defaults(handler=run_logout)


def _account(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from keyacct_desktop.paths import data_dir
    from keyacct_desktop.settings import Settings
    from keyacct_desktop.sync.account import SyncAccount

    directory = data_dir(args.data_dir)
    return SyncAccount(directory, Settings.in_dir(directory))


def run_login(args: argparse.Namespace) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"{args.username} 的密码 / password: ")
    answer = _account(args).sign_in(args.server_url, args.username, password, args.device_name)
    print(
        f"已登录 / signed in: {args.username} @ {args.server_url} (设备 / device {answer['device_id']})"
    )
    return 0


def run_logout(args: argparse.Namespace) -> int:
    _account(args).forget()
    print("已退出登录 / signed out")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.sync.review import (
        overview,
        rejected_changes,
        rejection_reason,
        table_label,
    )

    account = _account(args)
    ctx = AppContext.open(account.data_dir)
    try:
        state = overview(ctx.store)
        refused = rejected_changes(ctx.store)
    finally:
        ctx.close()
    who = (
        f"{account.username} @ {account.server_url}"
        if account.signed_in
        else "未登录 / not signed in"
    )
    last = f"{state.last_success:%Y-%m-%d %H:%M:%S}" if state.last_success else "从未 / never"
    print(f"账号 / account: {who}")
    print(f"待上传 / pending changes: {state.pending}")
    print(f"待处理冲突 / open conflicts: {state.open_conflicts}")
    print(f"上次成功同步 / last successful sync: {last}")
    if state.last_error:
        print(f"上次错误 / last error: {state.last_error}")
    if state.clock_is_off:
        print(f"警告:本机时钟与服务器相差 {state.clock_skew_seconds:.0f} 秒 / clock is off")
    if refused:
        print(f"被服务器拒绝的修改 / changes refused by the server: {len(refused)}")
        for change in refused:
            print(
                f"  {table_label(change.table)} {change.label}:{rejection_reason(change.error)}"
                f" / {rejection_reason(change.error, 'en')}"
            )
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.progress import TaskState
    from keyacct_desktop.sync.client import sync_once

    account = _account(args)
    api = account.api()
    ctx = AppContext.open(account.data_dir)

    def show(progress) -> None:  # type: ignore[no-untyped-def]
        if progress.message:
            print(f"  {progress.message}", file=sys.stderr)

    try:
        report = sync_once(ctx.store, api, TaskState(on_progress=show), ctx.attachment_files)
    finally:
        api.close()
        ctx.close()
    print(
        f"已同步 / synced: 上传 pushed {report.pushed}, 下载 pulled {report.pulled}, "
        f"冲突 conflicts {report.conflicts}, 移出 removed {report.removed_customers}; "
        f"附件 attachments ↑{report.blobs.uploaded} ↓{report.blobs.downloaded}"
    )
    if report.blobs.waiting:
        print(
            f"  {report.blobs.waiting} 个附件尚未上传到服务器 / attachments not on the server yet"
        )
    from keyacct_desktop.sync.review import rejection_reason, table_label

    for rejected in report.rejected:
        print(
            f"  被拒绝 / refused: {table_label(str(rejected.get('table')))} {rejected.get('id')}:"
            f"{rejection_reason(rejected.get('error'))} / "
            f"{rejection_reason(rejected.get('error'), 'en')}",
            file=sys.stderr,
        )
    return 1 if report.rejected else 0
