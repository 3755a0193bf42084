"""Where the app keeps its files and finds its bundled resources.

The data directory is, in order of precedence: the ``--data-dir`` option, the
``KEYACCT_DATA_DIR`` environment variable, then the platform's user data directory.
Resources live in the top-level ``resources/`` folder of a checkout, inside the package
of an installed wheel, or beside the executable of a PyInstaller build.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

import platformdirs

APP_NAME = "KeyAcctDesktop"
DATA_DIR_ENV = "KEYACCT_DATA_DIR"
STORE_FILENAME = "keyacct.sqlite3"
#: Folders of the data directory: backups of the store, attachment files.
BACKUP_DIRNAME = "backups"
ATTACHMENTS_DIRNAME = "attachments"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return (and create) the directory that holds the local store and attachments."""
    if override:
        path = Path(override)
    elif os.environ.get(DATA_DIR_ENV):
        path = Path(os.environ[DATA_DIR_ENV])
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path = path.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_path(directory: Path) -> Path:
    """The SQLite file of the local store inside a data directory."""
    return directory / STORE_FILENAME


@cache
def resources_dir() -> Path:
    """Locate the bundled ``resources`` folder for a checkout, a wheel or a frozen build."""
    here = Path(__file__).resolve().parent
    candidates = [
        here / "resources",  # installed wheel (force-included)
        here.parent / "resources",  # source checkout / editable install
    ]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.insert(0, Path(frozen_root) / "resources")
    for candidate in candidates:
        if (candidate / "fonts").is_dir():
            return candidate
    raise FileNotFoundError(
        "KeyAcct resources folder not found; looked in: " + ", ".join(map(str, candidates))
    )


#: WenQuanYi Micro Hei covers Latin, digits and CJK in one TrueType-outline face, so Qt and
#: ReportLab render mixed text ("户号 3100000001") with one font. Apache-2.0 (see its licence).
FONT_FILENAME = "wqy-microhei.ttc"
FONT_SUBFONT_INDEX = 0  # the proportional face of the collection (1 is the mono face)


def font_path() -> Path:
    """The bundled CJK TrueType font (a .ttc collection) used by both Qt and ReportLab."""
    return resources_dir() / "fonts" / FONT_FILENAME
