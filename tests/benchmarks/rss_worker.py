"""Child process of the memory figure: main window on a big store, customer list scrolled.

python -m tests.benchmarks.rss_worker DATA_DIR  →  prints ``maxrss_kb N rows M`` (peak RSS in KiB)
"""

from __future__ import annotations

import sys
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
    page = window.show_page("customers")
    QApplication.processEvents()
    table = page.table  # type: ignore[attr-defined]
    bar = table.verticalScrollBar()
    rows = page.model.rowCount()  # type: ignore[attr-defined]
    # Scroll the whole list in screen-sized steps, letting the view paint each screen.
    steps = 400
    for step in range(steps + 1):
        bar.setValue(bar.maximum() * step // steps)
        table.viewport().repaint()
        QApplication.processEvents()
    print(f"maxrss_kb {peak_rss_kb()} rows {rows}", flush=True)
    window.close()
    ctx.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
