"""The layer contracts of docs/ARCHITECTURE.md (pyproject.toml [tool.importlinter]) hold,
and the desktop app works without the server extra."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from importlinter import cli as importlinter_cli

ROOT = Path(__file__).resolve().parent.parent


def test_the_layer_contracts_hold(capsys: pytest.CaptureFixture[str]) -> None:
    """``lint-imports``: layers, no SQL in the GUI, printing without a database, Qt only in
    the GUI, the server extra only in the server, no import cycles. Its report names every
    import that breaks a contract."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        code = importlinter_cli.lint_imports(no_cache=True, no_logo=True)
    finally:
        os.chdir(cwd)
    report = capsys.readouterr().out
    assert code == 0, report
    assert "0 broken" in report


#: The packages of the ``server`` extra (and theirs): a desktop install has none of them.
SERVER_ONLY = (
    *("fastapi", "starlette", "pydantic", "uvicorn", "httptools", "uvloop", "psycopg"),
    "prometheus_client",
)

BLOCK_SERVER_AND_IMPORT_DESKTOP = """
import importlib, pkgutil, sys

class BlockServer:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {blocked} or name.startswith('keyacct_desktop.server'):
            raise ImportError('server package imported by the desktop app: ' + name)
        return None

sys.meta_path.insert(0, BlockServer())
import keyacct_desktop
imported = 0
for info in pkgutil.walk_packages(keyacct_desktop.__path__, 'keyacct_desktop.'):
    name = info.name
    if name.startswith('keyacct_desktop.server') or '.migrations' in name:
        continue
    if name.endswith('__main__'):
        continue
    importlib.import_module(name)
    imported += 1
from keyacct_desktop.cli import build_parser
build_parser()  # every subcommand module
print(imported)
"""


def test_desktop_app_imports_without_the_server_extra() -> None:
    """Every module of the desktop app (GUI included) loads with the server packages gone,
    as on a laptop with ``pip install keyacct-desktop`` (no ``[server]``)."""
    script = BLOCK_SERVER_AND_IMPORT_DESKTOP.format(blocked=set(SERVER_ONLY))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=240
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 100  # the GUI modules too, not only a few


def test_keyacct_server_without_the_extra_says_what_to_install(tmp_path: Path) -> None:
    """``keyacct-server`` of a desktop install: a clear message, exit code 2, no traceback."""
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {set(SERVER_ONLY)!r}:\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from keyacct_desktop.server.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    database = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    for command in (["serve"], ["migrate"]):
        result = subprocess.run(
            [sys.executable, "-c", script, "--database", database, *command],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert "错误:未安装服务器组件(fastapi, pydantic, uvicorn" in result.stderr
        assert "prometheus_client" in result.stderr  # every missing one is named
        assert 'pip install "keyacct-desktop[server]"' in result.stderr
    assert not (tmp_path / "server.sqlite3").exists()  # stopped before touching the database


#: docs/ARCHITECTURE.md: a module that outgrows this holds more than one room (migrations,
#: a schema's history written once, are exempt).
MAX_MODULE_LINES = 900


def test_no_module_is_over_900_lines() -> None:
    package = ROOT / "keyacct_desktop"
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in package.rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, f"split these by concern: {too_long}"
