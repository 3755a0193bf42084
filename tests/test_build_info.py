"""What ``build.spec`` gives the Windows exe: icon and version resource, checked on Linux.

The version resource is loaded and serialised by PyInstaller's own code (as the Windows
build does); the icon by Pillow.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PIL import Image

import keyacct_desktop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_info  # noqa: E402


def test_version_numbers_for_windows() -> None:
    assert build_info.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert build_info.version_tuple("1.2") == (1, 2, 0, 0)
    assert build_info.version_tuple("2.10.3rc1") == (2, 10, 3, 0)
    assert build_info.version_tuple("3.0.1+local.7") == (3, 0, 1, 0)
    assert build_info.package_version() == keyacct_desktop.__version__


def test_version_resource_loads_in_pyinstaller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compat = pytest.importorskip("PyInstaller.compat")
    pytest.importorskip("pefile")
    # versioninfo imports pywin32's win32api, which it needs only to write into an exe (on
    # Windows); reading the text and building the resource bytes are plain Python.
    monkeypatch.setattr(compat, "win32api", None, raising=False)
    monkeypatch.delitem(sys.modules, "PyInstaller.utils.win32.versioninfo", raising=False)
    import PyInstaller.utils.win32.versioninfo as versioninfo

    path = build_info.write_windows_version_info(tmp_path, "1.2.3")
    info = versioninfo.load_version_info_from_text_file(str(path))
    assert (info.ffi.fileVersionMS, info.ffi.fileVersionLS) == (1 << 16 | 2, 3 << 16)
    assert (info.ffi.productVersionMS, info.ffi.productVersionLS) == (1 << 16 | 2, 3 << 16)
    table = info.kids[0].kids[0]
    assert table.name == "080404B0"  # Simplified Chinese, Unicode
    strings = {entry.name: entry.val for entry in table.kids}
    assert strings["FileVersion"] == strings["ProductVersion"] == "1.2.3"
    assert strings["FileDescription"] == "KeyAcct 大客户经理工作台"
    assert strings["OriginalFilename"] == "KeyAcct.exe"
    raw = info.toRaw()  # what PyInstaller writes into the exe
    assert "KeyAcct 大客户经理工作台".encode("utf-16-le") in raw
    assert "1.2.3".encode("utf-16-le") in raw


def test_icon_files_exist_in_every_size() -> None:
    icons = ROOT / "resources" / "icons"
    with Image.open(icons / "keyacct.png") as png:
        assert png.size == (256, 256) and png.mode == "RGBA"
        assert png.getpixel((128, 128))[3] == 255  # opaque middle
        assert png.getpixel((0, 0))[3] == 0  # rounded, transparent corner
    with Image.open(icons / "keyacct.ico") as ico:
        assert {16, 32, 48, 256} <= {width for width, _ in ico.info["sizes"]}


def test_build_spec_leaves_the_server_out() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    for package in ("keyacct_desktop.server", "fastapi", "uvicorn", "psycopg", "pydantic"):
        assert f'"{package}",' in spec
    assert "+ SERVER_ONLY" in spec
    assert 'console=sys.platform != "win32"' in spec
    assert 'server" / "migrations' not in spec
