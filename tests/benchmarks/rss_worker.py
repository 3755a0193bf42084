"""Child process of the memory figure: main window on a big store, customer list scrolled.

python -m tests.benchmarks.rss_worker DATA_DIR  →  prints ``maxrss_kb N rows M`` (peak RSS in KiB)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path


def peak_rss_kb() -> int:
    """Peak RSS of this process image (VmHWM).

    Not ``ru_maxrss``: Linux carries that over fork+exec, so a child of a big parent
    would report the parent's size.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(data_dir: str) -> int:
    from PySide6.QtWidgets import QApplication

    from keyacct_desktop.context import AppContext
    from keyacct_desktop.gui.app import create_application
    from keyacct_desktop.gui.main_window import MainWindow

    app = create_application("zh_CN")
    ctx = AppContext.open(data_dir)
    window = MainWindow(ctx)
    window.show()
    from keyacct_desktop.gui.customer_table import LOADING

    page = window.show_page("customers")
    model = page.model  # type: ignore[attr-defined]
    table = page.table  # type: ignore[attr-defined]

    def settle(done: Callable[[], bool], seconds: float = 30.0) -> None:
        """Let the database worker answer (the list reads there) until ``done()``."""
        end = time.monotonic() + seconds
        QApplication.processEvents()
        while not done() and time.monotonic() < end:
            time.sleep(0.002)
            QApplication.processEvents()

    def screen_read() -> bool:
        first = max(table.rowAt(0), 0)
        last = table.rowAt(table.viewport().height() - 1)
        last = model.rowCount() - 1 if last < 0 else last
        return all(model.index(row, 1).data() != LOADING for row in range(first, last + 1))

    settle(lambda: model.total is not None and model.rowCount() > 0)
    bar = table.verticalScrollBar()
    rows = model.rowCount()
    # Scroll the whole list in screen-sized steps, letting the view paint each screen once
    # its rows have arrived.
    steps = 400
    for step in range(steps + 1):
        bar.setValue(bar.maximum() * step // steps)
        table.viewport().repaint()
        settle(screen_read)
    print(f"maxrss_kb {peak_rss_kb()} rows {rows}", flush=True)
    window.close()
    ctx.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
