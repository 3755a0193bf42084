"""Settings, each declared once (after Picard's ``options.py``): key, type, default, range or
choices, label and help (source texts marked for Qt's translation, context ``Settings``), and
the tab of the settings dialog.

Every option the app reads is listed in :data:`OPTIONS`; the settings dialog
(``gui/desktop/settings_dialog.py``), the checks of :meth:`Option.check` and the table of
docs/SETTINGS.md (``settings.docs``) are all generated from these
declarations. The settings file stores only the values a user or administrator changed, with
the version of its layout (``_version``); an older file is brought up to date by the steps of
:mod:`keyacct_desktop.settings.upgrade` when it is read, so a renamed key never loses a value.
The file is JSON in the data directory, written atomically, so a crash never leaves half a
settings file. No Qt here: services read settings too (visit frequencies, time limits,
holiday calendar).
"""

from keyacct_desktop.settings import catalog as catalog  # fills OPTIONS
from keyacct_desktop.settings.file import Settings, SettingsError
from keyacct_desktop.settings.options import (
    GROUPS,
    OPTIONS,
    SETTINGS_FILENAME,
    VERSION_KEY,
    Option,
    declare,
    options_of,
)

__all__ = [
    "GROUPS",
    "OPTIONS",
    "SETTINGS_FILENAME",
    "VERSION_KEY",
    "Option",
    "Settings",
    "SettingsError",
    "declare",
    "options_of",
]
