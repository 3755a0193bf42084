"""The README's launch command and the headless demo command."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from keyacct_desktop import cli
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.services.customers import CustomerDirectory
from keyacct_desktop.store.db import open_store


def test_keyacct_demo_launches_the_main_window_on_a_filled_store(keyacct_qapp, tmp_path) -> None:
    """``keyacct --demo``: no subcommand means the GUI; a new demo store gets demo data."""
    seen: list[MainWindow] = []

    def close_when_shown() -> None:
        seen.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        for window in seen:
            window.close()
        keyacct_qapp.quit()

    QTimer.singleShot(0, close_when_shown)
    assert cli.main(["--data-dir", str(tmp_path), "--demo", "--demo-customers", "25"]) == 0
    assert len(seen) == 1
    store = open_store(tmp_path / "keyacct.sqlite3")
    assert CustomerDirectory(store).count() == 25
    store.close()


def test_demo_command_fills_a_store_headless(tmp_path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "keyacct_desktop",
            "--data-dir",
            str(tmp_path),
            "demo",
            "--customers",
            "15",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "15 客户" in result.stdout
    store = open_store(tmp_path / "keyacct.sqlite3")
    assert CustomerDirectory(store).count() == 15
    store.close()


def test_user_errors_are_reported_in_both_languages_with_exit_code_2(tmp_path) -> None:
    command = [
        sys.executable,
        "-m",
        "keyacct_desktop",
        "--data-dir",
        str(tmp_path),
        "demo",
        "--customers",
        "3",
    ]
    subprocess.run(command, capture_output=True, check=True)
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 2
    assert "演示数据只能写入空的数据库" in again.stderr
    assert "demo data goes into an empty store" in again.stderr
    assert "Traceback" not in again.stderr
