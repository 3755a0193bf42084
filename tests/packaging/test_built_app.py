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
    log = (data / "logs" / "keyacct.log").read_text(encoding="utf-8")
    assert "started: Python" in log, "the frozen app writes its log into the data folder"


def test_the_server_is_not_bundled(executable: Path) -> None:
    """The desktop bundle leaves out keyacct-server and its packages (the server extra)."""
    internal = executable.parent / "_internal"
    assert (internal / "PySide6").is_dir() and (internal / "sqlcipher3").is_dir()
    for package in ("fastapi", "starlette", "uvicorn", "pydantic", "psycopg", "uvloop"):
        assert not list(internal.glob(f"{package}*")), package
    assert not (internal / "keyacct_desktop" / "server").exists()
    readers = pytest.importorskip("PyInstaller.archive.readers")
    modules = set(readers.CArchiveReader(str(executable)).open_embedded_archive("PYZ.pyz").toc)
    assert "keyacct_desktop.sync.client" in modules and "httpx" in modules
    server = {"keyacct_desktop.server", "fastapi", "starlette", "uvicorn", "pydantic", "psycopg"}
    assert not {name for name in modules if name.split(".")[0] in server}
    assert not {name for name in modules if name.startswith("keyacct_desktop.server")}


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


def test_bundled_templates_and_font_are_complete() -> None:
    from keyacct_desktop.domain.checklist_templates import load_templates
    from keyacct_desktop.domain.enums import BusinessType
    from keyacct_desktop.services.documents import customer_terms
    from keyacct_desktop.settings import Settings

    resources = EXECUTABLE.parent / "_internal" / "resources"
    settings = Settings()
    library = load_templates(
        resources / "templates" / "checklists",
        set(settings.get("limits.working_days")),
        frozenset(customer_terms(settings)),
    )
    assert library.problems == () and set(library.templates) == set(BusinessType)
    assert (resources / "fonts" / "wqy-microhei.ttc").stat().st_size > 1_000_000
    assert (resources / "fonts" / "LICENSE-WenQuanYiMicroHei.txt").exists()


def test_the_frozen_app_prints_documents_headless(executable: Path, tmp_path: Path) -> None:
    """``KeyAcct print`` in the bundle: ReportLab, the embedded CJK font, QR codes, templates."""
    from datetime import date

    from keyacct_desktop.context import AppContext
    from keyacct_desktop.services.checklists import ChecklistService
    from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery

    data = tmp_path / "data"
    env = _environment(tmp_path)

    def frozen(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(executable), "--data-dir", str(data), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )

    made = frozen("demo", "--customers", "5")
    assert made.returncode == 0, made.stdout + made.stderr
    ctx = AppContext.open(data)  # the source tree issues a checklist in the frozen app's store
    try:
        customer = CustomerDirectory(ctx.store).find_ids(CustomerQuery())[0]
        service = ChecklistService(ctx.store, ctx.settings)
        issued = service.issue(service.draft(customer, "hv_new", date(2026, 11, 20)))
    finally:
        ctx.close()
    target = tmp_path / "checklist.pdf"
    printed = frozen("print", "checklist", str(issued.id), "-o", str(target))
    assert printed.returncode == 0, printed.stdout + printed.stderr
    assert "Traceback" not in printed.stderr
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "高压新装业务一次性告知书" in text.replace(" ", "") and issued.number in text
    fonts = subprocess.run(
        ["pdffonts", str(target)], capture_output=True, text=True, check=True
    ).stdout
    assert "WenQuanYiMicroHei" in fonts
    for line in fonts.splitlines()[2:]:
        assert line.split()[-5:-3] == ["yes", "yes"], line  # embedded, subset
