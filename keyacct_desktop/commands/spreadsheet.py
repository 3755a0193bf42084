"""``keyacct import FILE`` and ``keyacct export -o FILE``: customer lists in Excel/CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    importer = subparsers.add_parser(
        "import",
        help="import customers from .xlsx/.xls/.csv (checks every row first)",
        description="Prints the preview first: column → field mapping, ignored columns, parks/"
        "grids/managers that would be created, valid rows, every problem with its Excel row, "
        "and the per-field changes of customers already in the store (same 户号).",
    )
    importer.add_argument("file")
    importer.add_argument(
        "--valid-only",
        action="store_true",
        help="import the valid rows and skip the others (default: import nothing if any row is bad)",
    )
    importer.add_argument(
        "--dry-run", action="store_true", help="only show the preview; write nothing"
    )
    importer.add_argument(
        "--create-parks",
        action="store_true",
        help="create the parks, grids and managers the preview lists as new "
        "(without it an import that needs them writes nothing)",
    )
    importer.add_argument(
        "--pool-status",
        choices=["pooled", "evaluating", "prospect"],
        default="pooled",
        help="pool status of rows without a 入池状态 column (default pooled); recorded with "
        "the evaluation note '批量导入 <file> <date>'",
    )
    importer.set_defaults(handler=run_import)
    exporter = subparsers.add_parser(
        "export", help="export customers (optionally filtered) to .xlsx"
    )
    exporter.add_argument("-o", "--output", required=True)
    exporter.add_argument("--search", default="", help="only customers matching this text")
    exporter.add_argument("--class", dest="classes", default="", help="e.g. AB: only these classes")
    exporter.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.services.roster.apply import apply_import
    from keyacct_desktop.services.roster.plan import plan_import
    from keyacct_desktop.services.roster.report import report_lines, summary_lines

    ctx = AppContext.open_headless(args.data_dir, encrypt_plain=True)
    try:
        username = str(ctx.settings.get("sync.username") or "")
        plan = plan_import(ctx.store, Path(args.file), username=username)
        for line in summary_lines(plan):
            print(line)
        if plan.problems:
            print(f"有误的行 / problems ({len(plan.problems)}):", file=sys.stderr)
        for line in report_lines(plan):
            print(f"  {line}", file=sys.stderr)
        if args.dry_run:
            print("预览,未写入任何数据 / dry run: nothing written")
            return 1 if plan.problems else 0
        count = apply_import(
            ctx.store,
            plan,
            valid_only=args.valid_only,
            create_refs=args.create_parks,
            pool_status=args.pool_status,
        )
    finally:
        ctx.close()
    print(f"已导入 / imported: {count}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.services.customers import CustomerQuery
    from keyacct_desktop.services.roster.export import export_customers

    ctx = AppContext.open_headless(args.data_dir)
    try:
        query = CustomerQuery(text=args.search, pyramid_classes=tuple(args.classes.upper()))
        count = export_customers(ctx.store, query, Path(args.output))
    finally:
        ctx.close()
    print(f"已导出 / exported {count} → {args.output}(文件未加密 / the file is not encrypted)")
    return 0
