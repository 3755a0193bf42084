"""``keyacct import FILE`` and ``keyacct export -o FILE``: customer lists in Excel/CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    importer = subparsers.add_parser(
        "import", help="import customers from .xlsx/.csv (checks every row first)"
    )
    importer.add_argument("file")
    importer.add_argument(
        "--valid-only",
        action="store_true",
        help="import the valid rows and skip the others (default: import nothing if any row is bad)",
    )
    importer.add_argument("--dry-run", action="store_true", help="only check and report")
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
    from keyacct_desktop.services.spreadsheets import apply_import, plan_import, report_lines

    ctx = AppContext.open(args.data_dir)
    try:
        plan = plan_import(ctx.store, Path(args.file))
        print(
            f"{plan.source}: 表头在第 {plan.header_row} 行 / header row {plan.header_row}; "
            f"{len(plan.rows)} 行数据 / data rows, {len(plan.bad_rows)} 行有误 / with problems"
        )
        for line in report_lines(plan):
            print(f"  {line}", file=sys.stderr)
        if args.dry_run:
            return 1 if plan.problems else 0
        count = apply_import(ctx.store, plan, valid_only=args.valid_only)
    finally:
        ctx.close()
    print(f"已导入 / imported: {count}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.services.customers import CustomerQuery
    from keyacct_desktop.services.spreadsheets import export_customers

    ctx = AppContext.open(args.data_dir)
    try:
        query = CustomerQuery(text=args.search, pyramid_classes=tuple(args.classes.upper()))
        count = export_customers(ctx.store, query, Path(args.output))
    finally:
        ctx.close()
    print(f"已导出 / exported {count} → {args.output}(文件未加密 / the file is not encrypted)")
    return 0
