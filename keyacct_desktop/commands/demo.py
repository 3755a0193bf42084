"""``keyacct demo``: fill the local store with realistic, deterministic demo data."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="fill the store with demo data")
    parser.add_argument(
        "--customers", type=int, default=300, help="number of customers (default 300)"
    )
    parser.add_argument(
        "--seed", type=int, default=20261122, help="random seed (same seed, same data)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.demo import generate_demo, generate_demo_documents

    ctx = AppContext.open(args.data_dir)
    try:
        summary = generate_demo(ctx.store, customers=args.customers, seed=args.seed)
        documents = generate_demo_documents(ctx.store, ctx.settings)
    finally:
        ctx.close()
    print(
        f"演示数据已生成 / demo data written: {summary.customers} 客户 customers, "
        f"{summary.contacts} 联系人 contacts, {summary.visits} 走访 visits, "
        f"{summary.referrals} 转办 referrals, {documents} 文书 documents → {ctx.store.path}"
    )
    return 0
