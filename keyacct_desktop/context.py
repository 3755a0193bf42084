"""The application context: data directory, settings and the open local store.

Created once by the command line (GUI or headless command) and handed down explicitly;
there is no global "main window" or service locator.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from keyacct_desktop.paths import data_dir, store_path
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.db import Store, open_store


@dataclass
class AppContext:
    """What every service and window needs; closed with :meth:`close`."""

    data_dir: Path
    settings: Settings
    store: Store

    @classmethod
    def open(cls, data_dir_override: str | Path | None = None) -> AppContext:
        directory = data_dir(data_dir_override)
        settings = Settings.in_dir(directory)
        store = open_store(store_path(directory))
        return cls(data_dir=directory, settings=settings, store=store)

    @property
    def attachments_dir(self) -> Path:
        path = self.data_dir / "attachments"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def language(self) -> str:
        return str(self.settings.get("ui.language"))

    def close(self) -> None:
        self.store.close()
