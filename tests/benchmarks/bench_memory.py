"""Peak resident memory of the app with 100k customers in the list (scrolled top to bottom)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.benchmarks.common import REPO_ROOT, Figure, bench_env, python

TARGET_MB = 300.0
BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
from tests.benchmarks.rss_worker import peak_rss_kb
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.show()
app.processEvents()
print(peak_rss_kb())
"""


def run(data_dir: Path) -> list[Figure]:
    result = subprocess.run(
        [python(), "-m", "tests.benchmarks.rss_worker", str(data_dir)],
        capture_output=True,
        text=True,
        env=bench_env(),
        cwd=REPO_ROOT,
        timeout=600,
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("maxrss_kb")), None)
    if line is None:
        raise RuntimeError(f"memory worker failed: {result.stderr[-800:]}")
    _key, kb, _rows_key, rows = line.split()
    bare = subprocess.run(
        [python(), "-c", BARE_WINDOW],
        capture_output=True,
        text=True,
        env=bench_env(),
        cwd=REPO_ROOT,
        check=True,
    )
    mb = int(kb) / 1024
    return [
        Figure(
            "app memory, 100k customers loaded",
            mb,
            "MB",
            f"RSS ≤ {TARGET_MB:.0f} MB",
            mb <= TARGET_MB,
            baseline=int(bare.stdout.strip()) / 1024,
            baseline_label="bare PySide6 window",
            detail=f"peak RSS (VmHWM) after scrolling all {rows} rows",
        )
    ]
