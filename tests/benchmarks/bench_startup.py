"""Cold start to a usable main window on a 20k-customer store, vs a bare PySide6 window.

What "main window shown" means: ``keyacct gui --quit-after 0`` prints the line from a 0 ms
timer started right after ``window.show()``, so it fires on the first pass of the event loop
with the window built, shown and taking input, as the bare baseline's line does. By then
the store is open and at the newest schema, and the navigation, menus and 首页 are built;
the 首页 says "Loading figures…": its figures are computed on a worker and fill in after
the line, as in real apps (a few hundred ms later at 20k customers on the 2-core VM).
Other pages are built when first shown. Qt-free modules are imported before PySide6
(``commands/gui.py``: PySide6's import hook reads the source of every module imported
after it). After a clean shutdown the store's ``quick_check`` runs in the background, with
writes held back until it passes; the warm-up run leaves such a shutdown, so the measured
runs are normal starts. After a crash the check runs before the window, as before.
"""

from __future__ import annotations

from pathlib import Path

from keyacct_desktop.paths import STORE_FILENAME
from tests.benchmarks.common import (
    Figure,
    make_dataset,
    make_store,
    median,
    python,
    time_until_line,
)

RUNS = 5
CUSTOMERS = 20_000

#: The same "quit right after the window is up" as ``--quit-after 0``, with nothing else.
BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1280, 800)
window.show()
def done():
    print("main window shown: bare", flush=True)
    window.close()
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def prepare(folder: Path) -> Path:
    data_dir = folder / "start20k"
    data_dir.mkdir(parents=True, exist_ok=True)
    make_store(data_dir / STORE_FILENAME, make_dataset(CUSTOMERS, seed=20)).close()
    return data_dir


def run(folder: Path) -> list[Figure]:
    data_dir = prepare(folder)
    app_cmd = [
        python(),
        "-m",
        "keyacct_desktop",
        "--data-dir",
        str(data_dir),
        "--demo",
        "--quit-after",
        "0",
    ]
    bare_cmd = [python(), "-c", BARE_WINDOW]
    # Warm the OS file cache once (both), then alternate so drift hits both sides alike.
    time_until_line(bare_cmd, "main window shown")
    time_until_line(app_cmd, "main window shown")
    app_times, bare_times = [], []
    for _ in range(RUNS):
        bare_times.append(time_until_line(bare_cmd, "main window shown"))
        app_times.append(time_until_line(app_cmd, "main window shown"))
    app_s, bare_s = median(app_times), median(bare_times)
    return [
        Figure(
            "cold start, 20k customers",
            app_s * 1000,
            "ms",
            "≤ 2× bare",
            app_s <= 2 * bare_s,
            baseline=bare_s * 1000,
            baseline_label="bare PySide6 window",
            detail=f"median of {RUNS}; app runs {', '.join(f'{t * 1000:.0f}' for t in app_times)} ms; "
            "首页 figures fill in after the line (worker)",
        )
    ]
