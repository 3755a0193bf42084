"""Navigation pages of the main window, in the order the navigation lists them.

Each entry is ``(key, title source text, "module:Class")``; the class is a ``QWidget``
taking ``(ctx, parent)`` that implements :class:`keyacct_desktop.gui.pages.page.Page`
(``activated()``, ``refresh()``, ``refresh_changes(changes)``, ``keep_or_drop_changes()``),
usually through ``PageBase`` with the tables it shows in ``WATCHES``.
"""

from __future__ import annotations

import importlib
from typing import Any

from keyacct_desktop.gui.text import QT_TRANSLATE_NOOP

PAGES: list[tuple[str, str, str]] = [
    ("home", QT_TRANSLATE_NOOP("MainWindow", "Home"), "keyacct_desktop.gui.pages.home:HomePage"),
    (
        "customers",
        QT_TRANSLATE_NOOP("MainWindow", "Customers"),
        "keyacct_desktop.gui.pages.customers:CustomersPage",
    ),
    (
        "visits",
        QT_TRANSLATE_NOOP("MainWindow", "Visits"),
        "keyacct_desktop.gui.pages.visits:VisitsPage",
    ),
    (
        "referrals",
        QT_TRANSLATE_NOOP("MainWindow", "Referrals"),
        "keyacct_desktop.gui.pages.referrals:ReferralsPage",
    ),
    (
        "checklists",
        QT_TRANSLATE_NOOP("MainWindow", "Checklists"),
        "keyacct_desktop.gui.pages.checklists:ChecklistsPage",
    ),
    (
        "plans",
        QT_TRANSLATE_NOOP("MainWindow", "Supply plans"),
        "keyacct_desktop.gui.pages.plans:SupplyPlansPage",
    ),
    (
        "outages",
        QT_TRANSLATE_NOOP("MainWindow", "Outage notices"),
        "keyacct_desktop.gui.pages.outages:OutagesPage",
    ),
    ("sync", QT_TRANSLATE_NOOP("MainWindow", "Sync"), "keyacct_desktop.gui.pages.sync:SyncPage"),
]


def load_page_class(target: str) -> Any:
    module_name, _, class_name = target.partition(":")
    return getattr(importlib.import_module(module_name), class_name)
