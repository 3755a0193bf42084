"""``keyacct sync``: sign in to the central server, sync once, show state, sign out.

    keyacct sync login https://sync.example.cn wang   # asks for the password, keeps a token
    keyacct sync                                      # push, then pull; prints what moved
    keyacct sync status                               # pending, refused, set aside, last sync
    keyacct sync resend 3f2a9c1e                      # resend a refused change (after fixing it)
    keyacct sync discard 3f2a9c1e --yes               # give a refused change up
    keyacct sync logout                               # forget the token on this computer

The password is read from the terminal (or ``--password-stdin`` for scripts) and never stored.

Signing in as *another* user in a data folder that holds a user's data first says how much
of that data is not on the server yet, then wipes the folder (store, backups, attachments,
keys) with ``--switch-user`` or a typed confirmation — or refuses. The first user's
unsynced edits are never pushed under the second user's name (``sync.client.check_owner``).
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
    login.add_argument(
        "--switch-user",
        action="store_true",
        help="another user's data is in this folder: wipe it first (unsynced edits are lost)",
    )
    login.set_defaults(handler=run_login)
    status = actions.add_parser("status", help="pending changes, open conflicts, last sync")
    status.set_defaults(handler=run_status)
    resend = actions.add_parser(
        "resend", help="send a refused change again, with everything that depends on it"
    )
    resend.add_argument("record", help="the record id (or its first characters) from `status`")
    resend.set_defaults(handler=run_resend)
    discard = actions.add_parser(
        "discard", help="give up a refused change and everything that depends on it"
    )
    discard.add_argument("record", help="the record id (or its first characters) from `status`")
    discard.add_argument("--yes", action="store_true", help="confirm without asking")
    discard.set_defaults(handler=run_discard)
    for name, helptext in (
        ("keep", "a conflict: keep the value that won (close the conflict)"),
        ("restore", "a conflict: write the overwritten value back (a synced edit)"),
    ):
        action = actions.add_parser(name, help=helptext)
        action.add_argument(
            "conflict", help="the conflict id (or its first characters) from `status`"
        )
        action.set_defaults(handler=run_conflict)
    logout = actions.add_parser("logout", help="forget this computer's token")
    logout.set_defaults(handler=run_logout)


def _account(args: argparse.Namespace):
    from keyacct_desktop.paths import data_dir
    from keyacct_desktop.settings import Settings
    from keyacct_desktop.sync.account import SyncAccount

    directory = data_dir(args.data_dir)
    return SyncAccount(directory, Settings.in_dir(directory))


def _switching_from(args: argparse.Namespace, account) -> str | None:
    """The user whose data this folder holds, when it is not the one signing in now."""
    previous = str(account.data_owner())
    if not previous or previous == args.username.strip():
        return None
    return previous


def _confirm_switch(args: argparse.Namespace, account, previous: str) -> None:
    """Say truthfully what a switch loses; go on only with --switch-user or a typed yes."""
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.domain.errors import UserError
    from keyacct_desktop.sync.review import local_only

    ctx = AppContext.open_headless(account.data_dir)
    try:
        left = local_only(ctx.store)
    finally:
        ctx.close()
    print(
        f"此文件夹中是用户 {previous} 的数据;切换到 {args.username} 会先从本机清除这些数据"
        f"(数据库、备份、附件、密钥)。\nThis folder holds {previous}'s data; switching to "
        f"{args.username} first wipes it from this computer (store, backups, attachments, keys).",
        file=sys.stderr,
    )
    if left.total:  # pending, refused, set-aside and unresolved conflicts: all only here
        print(
            "警告:以下内容只存在于这台电脑上,清除后将永久丢失 / "
            "Warning: these exist only on this computer and will be lost for good:",
            file=sys.stderr,
        )
        for zh, en in zip(left.lines(), left.lines("en"), strict=True):
            print(f"  {zh} / {en}", file=sys.stderr)
    else:
        print("所有修改都已上传到服务器。/ All changes are on the server.", file=sys.stderr)
    if args.switch_user:
        return
    if sys.stdin is not None and sys.stdin.isatty() and not args.password_stdin:
        if input("输入 yes 清除并切换 / type yes to wipe and switch: ").strip().lower() == "yes":
            return
    raise UserError(
        f"未切换用户:此文件夹中仍是 {previous} 的数据。确认清除请加 --switch-user,"
        "或先用原账号同步完未上传的修改。",
        f"user not switched: this folder still holds {previous}'s data. Add --switch-user to "
        "wipe it, or first sync the unsynced changes as that user.",
    )


def run_login(args: argparse.Namespace) -> int:
    from keyacct_desktop.security.keys import DeviceKeys
    from keyacct_desktop.sync.account import wipe_device

    account = _account(args)
    previous = _switching_from(args, account)
    if previous is not None:
        _confirm_switch(args, account, previous)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"{args.username} 的密码 / password: ")
    if not args.username.strip() or not password:
        from keyacct_desktop.domain.errors import UserError

        raise UserError("请填写用户名和密码", "enter the user name and the password")
    answer = account.exchange(args.server_url, args.username, password, args.device_name)
    if previous is not None:  # the password is right: only now is the old data wiped
        wipe_device(account.data_dir, DeviceKeys(account.data_dir))
        print(f"已清除 {previous} 的数据 / {previous}'s data was wiped", file=sys.stderr)
    account.keep(args.server_url, args.username, answer)
    print(
        f"已登录 / signed in: {args.username} @ {args.server_url} (设备 / device {answer['device_id']})"
    )
    return 0


def run_logout(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.security.device import StoreState, store_state
    from keyacct_desktop.sync.review import LocalOnly, local_only

    account = _account(args)
    if store_state(account.data_dir) is StoreState.NEW:  # nothing to count: create no file
        left = LocalOnly(0, 0, 0, 0)
    else:
        ctx = AppContext.open_headless(account.data_dir)
        try:
            left = local_only(ctx.store)
        finally:
            ctx.close()
    account.forget()
    print("已退出登录 / signed out")
    if left.total:
        print("本机还有只存在于这台电脑上的内容 / still only on this computer:")
        for zh, en in zip(left.lines(), left.lines("en"), strict=True):
            print(f"  {zh} / {en}")
        print(
            "它们保留在本机,重新登录并同步后再处理 / they stay here; sign in and sync to handle them"
        )
    else:
        print("本机所有修改均已同步到服务器 / every change on this computer is on the server")
    return 0


def _find_refused(store, record: str):
    from keyacct_desktop.domain.errors import UserError
    from keyacct_desktop.sync.review import rejected_changes

    wanted = record.strip().lower()
    found = [r for r in rejected_changes(store) if str(r.row_id).startswith(wanted)]
    if not wanted or not found:
        raise UserError(
            f"没有编号以“{record}”开头的被拒绝修改;请用 keyacct sync status 查看",
            f"no refused change has an id starting with '{record}': see keyacct sync status",
        )
    if len(found) > 1:
        raise UserError(
            f"编号“{record}”对应多项被拒绝的修改,请多输入几位",
            f"'{record}' matches several refused changes: type more of the id",
        )
    return found[0]


def run_resend(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.protocol.labels import table_label
    from keyacct_desktop.sync.review import resend

    ctx = AppContext.open(_account(args).data_dir)
    try:
        refused = _find_refused(ctx.store, args.record)
        count = resend(ctx.store, refused.table, refused.row_id)
    finally:
        ctx.close()
    print(
        f"已重新排队 {count} 项修改({table_label(refused.table)} {refused.label} 及其附属记录),"
        f"下次同步时上传 / {count} change(s) queued again; they go with the next sync"
    )
    return 0


def run_discard(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.protocol.labels import table_label
    from keyacct_desktop.sync.review import discard, refusal_group

    ctx = AppContext.open(_account(args).data_dir)
    try:
        refused = _find_refused(ctx.store, args.record)
        group = refusal_group(ctx.store, refused.table, refused.row_id)
        print("将放弃以下被拒绝的修改 / these refused changes will be given up:")
        for change in group:
            what = "本机新建的记录将从本机删除" if change.created else "保留服务器上的版本"
            print(f"  {table_label(change.table)} {change.label}:{what}")
        if not args.yes:
            answer = input("确定放弃?输入 y 确认 / give them up? type y: ")
            if answer.strip().lower() not in ("y", "yes", "是"):
                print("未放弃 / nothing was discarded")
                return 1
        count = discard(ctx.store, refused.table, refused.row_id)
    finally:
        ctx.close()
    print(f"已放弃 {count} 项被拒绝的修改 / {count} refused change(s) given up")
    return 0


def _find_conflict(store, wanted: str):
    from keyacct_desktop.domain.errors import UserError
    from keyacct_desktop.sync.review import conflicts

    prefix = wanted.strip().lower()
    found = [c for c in conflicts(store) if prefix and str(c.id).startswith(prefix)]
    if len(found) != 1:
        raise UserError(
            f"没有编号以“{wanted}”开头的待处理冲突(或不止一项);请用 keyacct sync status 查看",
            f"no single open conflict has an id starting with '{wanted}': see keyacct sync status",
        )
    return found[0]


def conflict_lines(store) -> list[str]:
    """The open conflicts as ``sync status`` lists them: record, field, both values, who."""
    from keyacct_desktop.sync.review import conflicts, field_label, show_value, table_label

    lines = []
    for c in conflicts(store):
        record = f"{table_label(c.table)} {c.label}"
        if c.customer_name and c.customer_name != c.label:
            record += f"(客户:{c.customer_name})"
        lines.append(
            f"  [{str(c.id)[:8]}] {record} · {field_label(c.field)}:"
            f"现为“{show_value(c.kept_value)}”,未采用“{show_value(c.lost_value)}”"
            f"(来自 {c.lost_by or '—'})"
        )
    return lines


def run_conflict(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.sync.review import keep_current, restore_lost

    ctx = AppContext.open_headless(_account(args).data_dir)
    try:
        conflict = _find_conflict(ctx.store, args.conflict)
        (keep_current if args.sync_action == "keep" else restore_lost)(ctx.store, conflict.id)
    finally:
        ctx.close()
    if args.sync_action == "keep":
        print("已确认现有的值,冲突已处理 / the current value is kept; conflict closed")
    else:
        print(
            "已恢复未采用的值,下次同步时上传 / the overwritten value is back; it goes with the next sync"
        )
    return 0


def _when(value) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}" if value else "从未 / never"


def run_status(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.security.device import StoreState, store_state
    from keyacct_desktop.sync.review import (
        field_label,
        overview,
        rejected_changes,
        set_aside_rows,
        show_value,
        table_label,
    )

    account = _account(args)
    if store_state(account.data_dir) is StoreState.NEW:
        print(f"账号 / account: {account.username or '未登录 / not signed in'}")
        print("本机还没有数据 / no data on this computer yet")
        return 0
    ctx = AppContext.open_headless(account.data_dir)
    try:
        state = overview(ctx.store)
        refused = rejected_changes(ctx.store)
        aside = set_aside_rows(ctx.store)
        conflicted = conflict_lines(ctx.store) if state.open_conflicts else []
    finally:
        ctx.close()
    who = (
        f"{account.username} @ {account.server_url}"
        if account.signed_in
        else "未登录 / not signed in"
    )
    print(f"账号 / account: {who}")
    print(f"待上传 / pending changes: {state.pending}")
    print(f"待处理冲突 / open conflicts: {state.open_conflicts}")
    print(f"被拒绝待处理 / refused, needing attention: {state.rejected}")
    print(f"暂存未应用 / downloaded but set aside: {state.set_aside}")
    print(f"上次尝试同步 / last attempt: {_when(state.last_attempt)}")
    print(f"上次成功同步 / last successful sync: {_when(state.last_success)}")
    if state.last_error:
        print(f"上次错误 / last error: {state.error()} / {state.error('en')}")
    if state.clock_is_off:
        print(f"警告:本机时钟与服务器相差 {state.clock_skew_seconds:.0f} 秒 / clock is off")
    if refused:
        print("被服务器拒绝的修改 / changes refused by the server:")
        for change in refused:
            short = str(change.row_id)[:8] if change.row_id else "—"
            kind = "新建" if change.created else ("删除" if change.op == "delete" else "修改")
            print(
                f"  [{short}] {table_label(change.table)} {change.label}({kind}):"
                f"{change.reason()} / {change.reason('en')}"
            )
            if change.cause:
                print(
                    f"      依附于 / depends on: {table_label(change.cause[0])} {str(change.cause[1])[:8]}"
                )
            shown = [
                f"{field_label(name)}={show_value(value)}"
                for name, value in (change.values or {}).items()
                if name in change.fields or not change.created
            ]
            if shown:
                print(f"      您填写的内容 / your values: {'; '.join(shown)}")
        print(
            "  修正后用 keyacct sync resend <编号> 重新发送,或用 keyacct sync discard <编号> 放弃 /"
            " fix, then resend or discard"
        )
    if conflicted:
        print(
            "待处理的冲突(两台设备改了同一项,先到服务器者生效,另一值保存在此)/ open conflicts "
            "(the first change to reach the server won; the other value is kept here):"
        )
        for line in conflicted:
            print(line)
        print(
            "  用 keyacct sync keep <编号> 确认现有的值,或 keyacct sync restore <编号> 恢复未采用的值"
            "(程序“同步”页“冲突”中同样可以处理)/ keep or restore"
        )
    if aside:
        print("暂存未应用的下载记录 / downloaded records set aside:")
        for row in aside:
            print(
                f"  [{str(row.row_id)[:8]}] {table_label(row.table)}:{row.reason()} / "
                f"{row.reason('en')}"
            )
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.progress import TaskState
    from keyacct_desktop.sync.client import sync_once

    account = _account(args)
    api = account.api()
    try:
        ctx = AppContext.open_headless(account.data_dir, encrypt_plain=True)
    except BaseException:
        api.close()
        raise

    def show(progress) -> None:
        if progress.message:
            print(f"  {progress.message}", file=sys.stderr)

    from keyacct_desktop.sync.review import overview, rejected_changes

    try:
        report = sync_once(ctx.store, api, TaskState(on_progress=show), ctx.attachment_files)
        refused = rejected_changes(ctx.store)
        open_conflicts = overview(ctx.store).open_conflicts
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
    if open_conflicts:  # also those a duplicate 户号 or another device's sync recorded
        print(
            f"  有 {open_conflicts} 项冲突待处理,另一值已保存(keyacct sync status 查看)"
            f" / {open_conflicts} open conflict(s), the other values kept: see keyacct sync status"
        )
    if report.refused:
        print(
            f"  服务器拒绝了 {report.refused} 项修改,已保留在本机待处理(keyacct sync status 查看)"
            f" / {report.refused} change(s) refused and kept here: see keyacct sync status",
            file=sys.stderr,
        )
    elif refused:
        print(
            f"  还有 {len(refused)} 项被拒绝的修改待处理:修正后用 keyacct sync resend 重新发送"
            f" / {len(refused)} refused change(s) still need attention: see keyacct sync status",
            file=sys.stderr,
        )
    for change in refused if report.refused else []:
        print(f"  {change.label}:{change.reason()} / {change.reason('en')}", file=sys.stderr)
    if report.set_aside:
        print(
            f"  {report.set_aside} 条下载的记录暂未应用,下次同步自动重试 / "
            f"{report.set_aside} downloaded record(s) set aside; retried at the next sync"
        )
    return 1 if refused else 0
