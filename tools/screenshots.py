"""Screenshots of the main screens for the user guide (docs/USER_GUIDE.md).

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py [OUT_DIR]

Opens the main window on a fresh demo store (fixed seed), shows each page and saves
``<page>.png`` into OUT_DIR (default ``docs/images``). Run it again after changing a screen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from PySide6.QtWidgets import QApplication

from keyacct_desktop.context import AppContext
from keyacct_desktop.demo import generate_demo
from keyacct_desktop.gui.app import create_application
from keyacct_desktop.gui.main_window import MainWindow


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    app = create_application("zh_CN")
    with tempfile.TemporaryDirectory() as folder:
        ctx = AppContext.open(Path(folder))
        generate_demo(ctx.store, customers=300, seed=20261122, today=date(2026, 11, 20))
        window = MainWindow(ctx)
        window.resize(1400, 860)
        window.show()
        for key in window.pages:
            window.show_page(key)
            for _ in range(20):
                app.processEvents()
            window.grab().save(str(out_dir / f"{key}.png"))
            print(out_dir / f"{key}.png")
        window.sync_controller.stop()
        window.close()
        QApplication.processEvents()
        ctx.close()


if __name__ == "__main__":
    main(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parent.parent / "docs" / "images"
    )
