"""``keyacct import-months FILE``: monthly figures from the marketing system's exports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    importer = subparsers.add_parser(
        "import-months",
        help="import monthly kWh/bill/demand/arrears per customer from .xlsx/.csv",
    )
    importer.add_argument("file")
    importer.add_argument("--month", help="YYYY-MM, when the file has no 电费年月 column")
    importer.add_argument(
        "--valid-only",
        action="store_true",
        help="import the valid rows and skip the others (default: nothing if any row is bad)",
    )
    importer.add_argument("--dry-run", action="store_true", help="only check and report")
    importer.add_argument(
        "--update-profiles",
        action="store_true",
        help="also update the customers' recovery/on-time rates, overdue figures, growth and "
        "annual kWh from the last 12 months",
    )
    importer.set_defaults(handler=run_import_months)


def run_import_months(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.services.monthly_history import (
        apply_monthly_import,
        plan_monthly_import,
        report_lines,
    )

    ctx = AppContext.open_headless(args.data_dir, encrypt_plain=True)
    try:
        plan = plan_monthly_import(ctx.store, Path(args.file), args.month)
        months = sorted(plan.months)
        span = f"{months[0]}…{months[-1]}" if months else "-"
        print(
            f"{plan.source}: 表头在第 {plan.header_row} 行 / header row {plan.header_row}; "
            f"月份 / months {span}; {len(plan.rows)} 行 / rows: 新增 / new {plan.new}, "
            f"变化 / changed {plan.changed}, 未变 / unchanged {plan.unchanged}; "
            f"{len(plan.bad_rows)} 行有误 / with problems"
        )
        for line in report_lines(plan):
            print(f"  {line}", file=sys.stderr)
        if args.dry_run:
            return 1 if plan.problems else 0
        result = apply_monthly_import(ctx.store, plan, valid_only=args.valid_only)
        if args.update_profiles:
            from datetime import date

            from keyacct_desktop.services.economics import update_indicators

            updated = update_indicators(
                ctx.store, date.today(), {row.customer_id for row in plan.valid}
            )
            print(
                f"客户档案指标 / profile indicators: {updated.changed} 户更新 / updated "
                f"(截至 / to {updated.last_month})"
            )
    finally:
        ctx.close()
    print(
        f"新增 / inserted {result.inserted}, 更新 / updated {result.updated}, "
        f"未变 / unchanged {result.unchanged}, 跳过 / skipped {result.skipped}"
    )
    return 0
