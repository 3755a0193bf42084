"""Run the benchmark suite: ``python -m tests.benchmarks [--only NAME ...] [--markdown FILE]``.

Prints every figure next to the baseline measured in this run and its target, and exits
with status 1 when a target is missed (2 when a benchmark itself broke).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

from tests.benchmarks.common import Figure

NAMES = ["startup", "search", "memory", "economics", "sync", "pdf", "load", "import"]
#: Run only when named: ``--only scale`` seeds a million customers (issue 22), ``--only
#: console`` and ``--only desk`` 100,000 customers and 200,000 referrals on PostgreSQL (issue 18).
ON_REQUEST = ["scale", "console", "desk"]
HEADER = ["figure", "measured", "baseline (same run)", "ratio", "target", "result", "notes"]


def _search_and_memory(folder: Path, which: set[str]) -> list[Figure]:
    """Search, memory and economics share one 100k-customer store (generating it is the slow
    part). Economics runs first: it needs a QApplication, search makes do with whatever app
    exists."""
    from keyacct_desktop.paths import STORE_FILENAME
    from tests.benchmarks import bench_memory, bench_search
    from tests.benchmarks.common import make_dataset, make_store

    data_dir = folder / "store100k"
    data_dir.mkdir(parents=True)
    data = make_dataset(100_000)
    store = make_store(data_dir / STORE_FILENAME, data)
    figures: list[Figure] = []
    try:
        if "economics" in which:
            from tests.benchmarks import bench_economics

            figures += guarded("economics", lambda: bench_economics.run(store, data))
        if "search" in which:
            figures += guarded("search", lambda: bench_search.run(store, data))
    finally:
        store.close()
    if "memory" in which:
        figures += guarded("memory", lambda: bench_memory.run(data_dir))
    return figures


def guarded(name: str, bench: Callable[[], list[Figure]]) -> list[Figure]:
    start = time.perf_counter()
    print(f"… {name}", flush=True)
    try:
        figures = bench()
    except Exception as error:  # a broken benchmark is reported, the others still run
        traceback.print_exc()
        figures = [Figure(name, 0, "", "—", False, error=f"{type(error).__name__}: {error}")]
    print(f"  {name} took {time.perf_counter() - start:.0f} s", flush=True)
    for figure in figures:
        print("  " + " | ".join(figure.cells()), flush=True)
    return figures


def markdown(figures: list[Figure], seconds: float) -> str:
    lines = [
        f"Run {datetime.now():%Y-%m-%d %H:%M}, {platform.node()}: {os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}, {platform.platform(terse=True)}; "
        f"suite took {seconds / 60:.1f} min.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in f.cells()) + " |" for f in figures]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument(
        "--only", nargs="+", choices=NAMES + ON_REQUEST, help="run only these benchmarks"
    )
    parser.add_argument("--markdown", type=Path, help="also write the results table to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--sync-records",
        type=int,
        default=None,
        help="records of the first-sync figure (default 50000)",
    )
    args = parser.parse_args(argv)
    which = set(args.only or NAMES)
    folder = Path(tempfile.mkdtemp(prefix="keyacct-bench-"))
    start = time.perf_counter()
    figures: list[Figure] = []
    try:
        if "startup" in which:
            from tests.benchmarks import bench_startup

            figures += guarded("startup", lambda: bench_startup.run(folder / "startup"))
        if which & {"search", "memory", "economics"}:
            figures += _search_and_memory(folder, which)
        if "sync" in which:
            from tests.benchmarks import bench_sync

            records = args.sync_records or bench_sync.RECORDS
            figures += guarded("sync", lambda: bench_sync.run(folder / "sync", records))
        if "pdf" in which:
            from tests.benchmarks import bench_pdf

            figures += guarded("pdf", lambda: bench_pdf.run(folder / "pdf"))
        if "import" in which:
            from tests.benchmarks import bench_import

            figures += guarded("import", lambda: bench_import.run(folder / "import"))
        if "load" in which:
            from tests.benchmarks import bench_load

            figures += guarded("load", lambda: bench_load.run(folder / "load"))
        if "desk" in which:
            from tests.benchmarks import bench_desk

            figures += guarded("desk", lambda: bench_desk.run(folder / "desk"))
        if "scale" in which:
            from tests.benchmarks import bench_scale

            figures += guarded("scale", lambda: bench_scale.run(folder / "scale"))
        if "console" in which:
            from tests.benchmarks import bench_console

            figures += guarded("console", lambda: bench_console.run(folder / "console"))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    seconds = time.perf_counter() - start
    table = markdown(figures, seconds)
    print("\n" + table)
    if args.markdown:
        args.markdown.write_text(table, encoding="utf-8")
    if any(f.error for f in figures):
        return 2
    missed = [f.name for f in figures if not f.passed]
    if missed:
        print(f"targets missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
