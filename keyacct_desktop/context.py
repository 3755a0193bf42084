"""The application context: data directory, settings and the open local store.

Created once by the command line (GUI or headless command) and handed down explicitly;
there is no global "main window" or service locator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from keyacct_desktop.paths import ATTACHMENTS_DIRNAME, data_dir, store_path
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.db import Store

if TYPE_CHECKING:  # imported where used: file sealing is not needed to start the app
    from keyacct_desktop.security.files import AttachmentFiles, ProtectedFiles


@dataclass
class AppContext:
    """What every service and window needs; closed with :meth:`close`."""

    data_dir: Path
    settings: Settings
    store: Store

    @classmethod
    def open(
        cls,
        data_dir_override: str | Path | None = None,
        *,
        key: bytes | None = None,
        on_phase: Callable[[str], None] | None = None,
    ) -> AppContext:
        """Open the data directory's store, checking its integrity.

        The check (``PRAGMA quick_check``, which reads the whole file) runs in the background
        when the last session closed the store cleanly and the file is unchanged since, with
        writes held back until it passes (``backup.BackgroundCheck``); after a crash or any
        outside change it runs here and a damaged store raises at once.
        ``key`` opens an encrypted store (the GUI's sign-in supplies it). Without one, an
        encrypted store is unlocked as headless commands do: OS keyring, then
        ``$KEYACCT_PASSPHRASE``, then a terminal prompt (see ``security.keys``).
        A damaged store raises ``backup.StoreDamagedError``. ``on_phase`` hears the slow
        phases ("upgrade", "check"; see ``backup.open_checked_store``).
        """
        from keyacct_desktop.backup import open_checked_store
        from keyacct_desktop.security.device import headless_store_key

        directory = data_dir(data_dir_override)
        settings = Settings.in_dir(directory)
        if key is None:
            key = headless_store_key(directory)
        store = open_checked_store(
            store_path(directory), key, trust_clean_shutdown=True, on_phase=on_phase
        )
        return cls(data_dir=directory, settings=settings, store=store)

    @classmethod
    def open_headless(
        cls, data_dir_override: str | Path | None = None, *, encrypt_plain: bool = False
    ) -> AppContext:
        """:meth:`open` for a command without a window: a new store is set up encrypted (or
        the command is refused), never left a plain file (``security.session.headless_key``).
        ``encrypt_plain`` also encrypts an existing plain (demo) store: for commands that
        bring customer data in."""
        from keyacct_desktop.security.session import headless_key

        directory = data_dir(data_dir_override)
        return cls.open(directory, key=headless_key(directory, encrypt_plain=encrypt_plain))

    @property
    def file_key(self) -> bytes | None:
        """The key sealing app-kept files; ``None`` for an unencrypted (demo) store."""
        from keyacct_desktop.security.keys import DeviceKeys

        if self.store.key is None:
            return None
        return DeviceKeys(self.data_dir).file_key(self.store.key)

    @property
    def protected_files(self) -> ProtectedFiles:
        """Read/write app-kept files under the store's encryption policy (``security.files``)."""
        from keyacct_desktop.security.files import ProtectedFiles

        return ProtectedFiles(self.file_key)

    @property
    def attachment_files(self) -> AttachmentFiles:
        """The attachment folder: validated on the way in, sealed at rest, hash-verified."""
        from keyacct_desktop.security.files import AttachmentFiles, attachment_limit

        return AttachmentFiles(self.attachments_dir, self.file_key, attachment_limit(self.settings))

    @property
    def attachments_dir(self) -> Path:
        path = self.data_dir / ATTACHMENTS_DIRNAME
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def language(self) -> str:
        return str(self.settings.get("ui.language"))

    def close(self) -> None:
        """Close the store; mark the shutdown clean (the next start need not wait for a check).

        Not after a failed (or unfinished) integrity check: the next start checks again.
        """
        from keyacct_desktop.backup import mark_clean_shutdown
        from keyacct_desktop.domain.errors import UserError

        healthy = True
        gate = self.store.write_gate
        if gate is not None:
            try:
                gate()  # a background check still running: it takes a moment
            except UserError:
                healthy = False
        self.store.close()
        if healthy:
            mark_clean_shutdown(self.store.path)
