"""Every module imports; the command line answers."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import keyacct_desktop


def all_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(keyacct_desktop.__path__, "keyacct_desktop."):
        if ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return names


def test_every_module_imports() -> None:
    for name in all_modules():
        importlib.import_module(name)


def test_cli_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "keyacct_desktop", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert keyacct_desktop.__version__ in result.stdout
