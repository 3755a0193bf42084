"""The settings in force: the declared defaults overlaid with the values saved in the data
folder's settings file (JSON, written atomically; upgraded by ``settings.upgrade`` when an
older KeyAcct wrote it)."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.settings.options import OPTIONS, SETTINGS_FILENAME, VERSION_KEY

log = logging.getLogger(__name__)


class SettingsError(UserError):
    """The settings file is unreadable or a value has the wrong type."""


class Settings:
    """The values in force: declared defaults overlaid with the saved changes.

    Attributes:
        path: the settings file (``None``: in memory only).
        upgraded_from: the layout version the file had when it was read, if an upgrade ran
            (the original is kept beside it as ``settings.json.v<N>.bak``).
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._values: dict[str, Any] = {}
        self.upgraded_from: int | None = None
        if path is not None and path.exists():
            self._values = self._load(path)
            self._upgrade()

    @staticmethod
    def _load(path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SettingsError(
                f"设置文件 {path} 无法读取:{exc}",
                f"settings file {path} cannot be read: {exc}",
            ) from exc
        if not isinstance(data, dict):
            raise SettingsError(f"设置文件 {path} 格式不对", f"settings file {path} is malformed")
        # Unknown keys (from a newer version) are kept so that a downgrade loses nothing.
        return data

    def _upgrade(self) -> None:
        """Run the upgrade steps the file has not had; keep the original beside it."""
        from keyacct_desktop.settings.upgrade import SETTINGS_VERSION, upgrade

        version = self._values.pop(VERSION_KEY, 1)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            version = 1
        if version >= SETTINGS_VERSION:  # current, or written by a newer KeyAcct: as it is
            self._values[VERSION_KEY] = version
            return
        upgrade(self._values, version)
        self._values[VERSION_KEY] = SETTINGS_VERSION
        self.upgraded_from = version
        assert self.path is not None
        backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
        try:
            if not backup.exists():
                backup.write_bytes(self.path.read_bytes())
            self.save()
        except OSError as error:  # read-only folder: the upgraded values are used all the same
            log.warning("settings upgraded from version %s but not written: %s", version, error)
        else:
            log.info("settings upgraded from version %s to %s", version, SETTINGS_VERSION)

    @property
    def version(self) -> int:
        """The layout version of the values (written to the file on save)."""
        from keyacct_desktop.settings.upgrade import SETTINGS_VERSION

        return int(self._values.get(VERSION_KEY, SETTINGS_VERSION))

    def get(self, key: str) -> Any:
        option = OPTIONS[key]
        if key not in self._values:
            return option.default
        value = self._values[key]
        if not option.accepts_type(value):
            log.warning(
                "setting %s has a %s, not a %s: the default is used",
                key,
                type(value).__name__,
                option.type.__name__,
            )
            return option.default
        if isinstance(option.default, float):
            return float(value)
        if isinstance(option.default, dict) and option.default:
            # Items declared after the value was saved show at their defaults.
            return {**option.default, **value}
        return value

    def stored(self) -> dict[str, Any]:
        """The values the file holds (changed ones and unknown keys), without the version."""
        return {k: v for k, v in self._values.items() if k != VERSION_KEY}

    def set(self, key: str, value: Any) -> None:
        option = OPTIONS[key]
        if not option.accepts_type(value):
            raise SettingsError(
                f"设置项 {key} 的值类型不对",
                f"setting {key} needs a {type(option.default).__name__}",
            )
        if value == option.default:
            self._values.pop(key, None)
        else:
            self._values[key] = value

    def __iter__(self) -> Iterator[str]:
        return iter(OPTIONS)

    def save(self) -> None:
        """Write atomically: a temp file in the same folder, then rename over the old one."""
        if self.path is None:
            return
        from keyacct_desktop.settings.upgrade import SETTINGS_VERSION

        self._values.setdefault(VERSION_KEY, SETTINGS_VERSION)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self._values, handle, ensure_ascii=False, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    @classmethod
    def in_dir(cls, directory: Path) -> Settings:
        return cls(directory / SETTINGS_FILENAME)
