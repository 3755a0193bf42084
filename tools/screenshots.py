"""Screenshots of the main screens for the user guide (docs/USER_GUIDE.md).

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py [OUT_DIR]

Opens the main window on a fresh demo store (fixed seed), shows each page and saves
``<page>.png`` into OUT_DIR (default ``docs/images``). Run it again after changing a screen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from PySide6.QtWidgets import QApplication

from keyacct_desktop.context import AppContext
from keyacct_desktop.demo import generate_demo
from keyacct_desktop.gui.app import create_application
from keyacct_desktop.gui.main_window import MainWindow


def issue_sample_documents(ctx: AppContext) -> None:
    """One checklist, plan handout and planned outage, so the document pages show content."""
    from datetime import datetime, timedelta

    from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
    from keyacct_desktop.services.documents import (
        ChecklistService,
        OutageService,
        SupplyPlanService,
    )

    ids = CustomerDirectory(ctx.store).find_ids(CustomerQuery())
    accepted = date.today() - timedelta(days=2)
    checklists = ChecklistService(ctx.store, ctx.settings)
    checklists.issue(checklists.draft(ids[0], "hv_new", accepted))
    plans = SupplyPlanService(ctx.store, ctx.settings)
    plan_id = plans.draft(ids[1], accepted, "SQ2026-0107")
    plans.update(
        plan_id,
        {
            "property_boundary": "客户进线电缆终端头",
            "receiving_type": "户内变电站",
            "protection": "进线速断、过流保护",
            "fees": [{"item": "高可靠性供电费", "unit_price": 260, "quantity": 1600}],
        },
    )
    starts = datetime.now().replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=9)
    OutageService(ctx.store, ctx.settings).issue(
        kind="planned",
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        area="高新区科技大道以东",
        reason="110 kV 北郊变电站 10 kV 母线检修",
        customer_ids=ids[2:14],
    )


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    app = create_application("zh_CN")
    with tempfile.TemporaryDirectory() as folder:
        ctx = AppContext.open(Path(folder))
        generate_demo(ctx.store, customers=300, seed=20261122, today=date(2026, 11, 20))
        issue_sample_documents(ctx)
        window = MainWindow(ctx)
        window.resize(1400, 860)
        window.show()
        for key in window.pages:
            page = window.show_page(key)
            for name in ("list_view", "events_view"):  # open the first document of the list
                view = getattr(page, name, None)
                if view is not None and view.model().rowCount():
                    view.selectRow(0)
            for _ in range(20):
                app.processEvents()
            window.grab().save(str(out_dir / f"{key}.png"))
            print(out_dir / f"{key}.png")
        window.sync_controller.stop()
        window.close()
        QApplication.processEvents()
        ctx.close()


if __name__ == "__main__":
    main(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parent.parent / "docs" / "images"
    )
