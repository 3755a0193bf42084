"""``keyacct backup`` and ``keyacct restore``: rotating backups of the local store."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser("backup", help="back up the local store now (or list backups)")
    backup.add_argument("--list", action="store_true", help="list the backups, newest first")
    backup.set_defaults(handler=run_backup)
    restore = subparsers.add_parser(
        "restore", help="restore the local store from a backup (default: the last good one)"
    )
    restore.add_argument("file", nargs="?", help="backup file to restore (default: newest good)")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(handler=run_restore)


def _size(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 1024:.0f} KB"


def run_backup(args: argparse.Namespace) -> int:
    from keyacct_desktop.backup import backups_dir, create_backup, list_backups
    from keyacct_desktop.paths import data_dir

    directory = data_dir(args.data_dir)
    if args.list:
        backups = list_backups(backups_dir(directory))
        if not backups:
            print("还没有备份 / no backups yet")
        for info in backups:
            print(f"{info.created_at:%Y-%m-%d %H:%M:%S}  {_size(info.size):>9}  {info.path}")
        return 0

    from keyacct_desktop.context import AppContext

    ctx = AppContext.open_headless(directory)
    try:
        info = create_backup(
            ctx.store, backups_dir(directory), keep=int(ctx.settings.get("backup.keep"))
        )
    finally:
        ctx.close()
    print(f"已备份 / backed up: {info.path} ({_size(info.size)})")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from keyacct_desktop.backup import BackupInfo, restore_backup, restore_last_good_backup
    from keyacct_desktop.domain.errors import UserError
    from keyacct_desktop.paths import data_dir, store_path
    from keyacct_desktop.security.device import headless_store_key

    directory = data_dir(args.data_dir)
    if args.file and not Path(args.file).is_file():
        raise UserError(f"找不到备份文件 {args.file}", f"backup file {args.file} not found")
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(
                "恢复会替换当前数据:请加 --yes 确认",
                "restoring replaces the current data: add --yes",
            )
        answer = input("恢复会替换当前数据(当前文件会移入 backups 文件夹)。继续? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("已取消 / cancelled")
            return 1
    key = headless_store_key(directory)
    target = store_path(directory)
    if args.file:
        restore_backup(Path(args.file), target, key)
        print(f"已恢复 / restored {args.file} → {target}")
    else:

        def skipped(info: BackupInfo, problems: list[str]) -> None:
            print(f"跳过损坏的备份 / skipping damaged backup {info.path.name}: {problems[0]}")

        info = restore_last_good_backup(target, key, on_skip=skipped)
        print(f"已恢复 / restored {info.path.name} ({info.created_at:%Y-%m-%d %H:%M}) → {target}")
    return 0
