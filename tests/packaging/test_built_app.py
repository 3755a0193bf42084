"""Smoke test of the frozen app in ``dist/KeyAcct`` (run after ``scripts/build.sh``).

Not collected by the default suite (``norecursedirs`` lists ``packaging``): run it with
``python3 -m pytest tests/packaging``. It starts the real executable on a fresh demo store,
offscreen, and expects it to show the main window and quit cleanly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXECUTABLE = ROOT / "dist" / "KeyAcct" / ("KeyAcct.exe" if sys.platform == "win32" else "KeyAcct")


@pytest.fixture(scope="module")
def executable() -> Path:
    if not EXECUTABLE.exists():
        pytest.fail(f"{EXECUTABLE} not built: run scripts/build.sh first")
    return EXECUTABLE


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "KEYACCT_"))}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_RUNTIME_DIR=str(tmp_path),
        HOME=str(tmp_path / "home"),  # no user settings or keyring of the builder
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return env


def test_demo_start_shows_the_main_window(executable: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = subprocess.run(
        [
            str(executable),
            "--data-dir",
            str(data),
            "--demo",
            "--demo-customers",
            "20",
            "--quit-after",
            "500",
        ],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "main window shown" in result.stdout, result.stdout + result.stderr
    assert "大客户经理工作台" in result.stdout, "bundled translations were not loaded"
    assert (data / "keyacct.sqlite3").exists(), "the store was created and migrated"
    assert "Traceback" not in result.stderr, result.stderr


def test_version_and_headless_command(executable: Path, tmp_path: Path) -> None:
    from keyacct_desktop import __version__

    result = subprocess.run(
        [str(executable), "--version"],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and __version__ in result.stdout
