"""Upgrade steps of the settings file (after Picard's ``config_upgrade.py``).

The settings file records the version of its layout under ``_version``; a file without it is
version 1 (every file written before versions existed). When a file is read, each step from
its version up to :data:`SETTINGS_VERSION` runs in order and the result is written back (the
original is kept as ``settings.json.v<N>.bak``). A step renames or moves keys so that a value
an administrator chose is never dropped silently; it never edits a value it does not know.

To rename a key: add ``upgrade_to_v<N+1>`` here, raise :data:`SETTINGS_VERSION`, and add the
old layout to tests/test_settings_upgrade.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

SETTINGS_VERSION = 2

Step = Callable[[dict[str, Any]], None]


def _move_item(values: dict[str, Any], old: tuple[str, str], new: tuple[str, str]) -> None:
    """Move ``values[old[0]][old[1]]`` to ``values[new[0]][new[1]]`` unless the new one is set."""
    source = values.get(old[0])
    if not isinstance(source, dict) or old[1] not in source:
        return
    item = source.pop(old[1])
    target = values.get(new[0])
    if target is None:  # never changed: the moved items only (the rest read as defaults)
        target = {}
    if not isinstance(target, dict):
        source[old[1]] = item  # the new key holds something else: leave both as they are
        return
    target.setdefault(new[1], item)
    values[new[0]] = target
    log.info("setting %s[%s] moved to %s[%s]", *old, *new)


def upgrade_to_v2(values: dict[str, Any]) -> None:
    """Version 1 → 2: the checklist terms told to the customer left the utility limits.

    - ``limits.working_days`` ``reduction_notice`` / ``suspension_notice`` became
      ``limits.customer_terms`` ``reduction_notice_days`` / ``suspension_notice_days``
      (commit 0f37494; the dialog showed them only under the new keys since d07d0e5).
    - A whole number stored for a decimal setting (``pyramid.cost_per_kwh``: 1) is kept as a
      decimal; it used to be ignored for its type.
    """
    from keyacct_desktop.settings.options import OPTIONS

    _move_item(
        values,
        ("limits.working_days", "reduction_notice"),
        ("limits.customer_terms", "reduction_notice_days"),
    )
    _move_item(
        values,
        ("limits.working_days", "suspension_notice"),
        ("limits.customer_terms", "suspension_notice_days"),
    )
    for key, option in OPTIONS.items():
        value = values.get(key)
        if isinstance(option.default, float) and type(value) is int:
            values[key] = float(value)


#: version the step leads to -> step
STEPS: dict[int, Step] = {2: upgrade_to_v2}


def upgrade(values: dict[str, Any], version: int) -> None:
    """Bring ``values`` (without the version key) from ``version`` to the current layout."""
    for target in range(version + 1, SETTINGS_VERSION + 1):
        STEPS[target](values)
