"""What ``build.spec`` stamps on the executable: the package version, for Windows' file details.

Kept out of the spec so that a test can check it on Linux (``tests/test_build_info.py``
loads it with PyInstaller's own reader): a broken version resource would only show up on
the Windows build machine.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCT = "KeyAcct Desktop"
DESCRIPTION = "KeyAcct 大客户经理工作台"
COMPANY = "KeyAcct"
EXE_NAME = "KeyAcct"
#: Simplified Chinese (0x0804) in Unicode (1200): Explorer's "Details" tab reads this table.
LANGUAGE, CODEPAGE = 0x0804, 1200


def package_version(root: Path = ROOT) -> str:
    """``__version__`` of ``keyacct_desktop/__init__.py``, read without importing the app."""
    text = (root / "keyacct_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not match:
        raise SystemExit("keyacct_desktop/__init__.py has no __version__")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """Windows wants four numbers: ``0.1.0`` -> (0, 1, 0, 0); ``1.2.0rc1`` -> (1, 2, 0, 0)."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3]]
    numbers += [0] * (4 - len(numbers))
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def windows_version_info(version: str) -> str:
    """The version resource in PyInstaller's text form (``EXE(version=FILE)``)."""
    numbers = version_tuple(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": version,
        "InternalName": EXE_NAME,
        "LegalCopyright": "Apache-2.0",
        "OriginalFilename": f"{EXE_NAME}.exe",
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    table = ",\n".join(
        f"          StringStruct({key!r}, {value!r})" for key, value in strings.items()
    )
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers!r},
    prodvers={numbers!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '{LANGUAGE:04X}{CODEPAGE:04X}',
        [
{table}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [{LANGUAGE}, {CODEPAGE}])])
  ]
)
"""


def write_windows_version_info(folder: Path, version: str) -> Path:
    """Write the resource file into ``folder`` (the build's work folder); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "version_info.txt"
    path.write_text(windows_version_info(version), encoding="utf-8")
    return path
