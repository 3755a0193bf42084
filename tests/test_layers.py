"""Dependencies point one way: nothing outside ``keyacct_desktop.gui`` imports Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import keyacct_desktop

PACKAGE_DIR = Path(keyacct_desktop.__file__).parent
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")

BLOCK_QT_AND_IMPORT_ALL = """
import importlib, pkgutil, sys

class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {qt}:
            raise ImportError('Qt imported outside the gui package: ' + name)
        return None

sys.meta_path.insert(0, BlockQt())
import keyacct_desktop
imported = 0
for info in pkgutil.walk_packages(keyacct_desktop.__path__, 'keyacct_desktop.'):
    name = info.name
    if name.startswith('keyacct_desktop.gui') or '.migrations' in name or name.endswith('__main__'):
        continue
    importlib.import_module(name)
    imported += 1
print(imported)
"""


def non_gui_sources() -> list[Path]:
    return [p for p in PACKAGE_DIR.rglob("*.py") if "gui" not in p.relative_to(PACKAGE_DIR).parts]


def test_no_module_outside_gui_mentions_qt_in_an_import() -> None:
    offenders = []
    for path in non_gui_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0] in QT_MODULES for name in names):
                offenders.append(f"{path.relative_to(PACKAGE_DIR)}:{node.lineno}")
    assert offenders == []


def test_every_non_gui_module_imports_with_qt_unavailable() -> None:
    script = BLOCK_QT_AND_IMPORT_ALL.format(qt=set(QT_MODULES))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 10
