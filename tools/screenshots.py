"""Screenshots of every page and dialog for the user guide (docs/USER_GUIDE.md).

    python tools/screenshots.py [OUT_DIR]

Opens the main window on a fresh demo store (fixed seed) on the field laptop's screen:
1366×768 with a 40 px taskbar, so 1366×728 of room (the offscreen platform gets a 1366×768
screen and ``gui.widgets.screen`` is told about the taskbar). The window is maximised into that
room; each page is saved as ``<page>.png`` and each dialog, as it opens there, as
``dialog-<name>.png`` in OUT_DIR (default ``docs/images``). Run it again after changing a screen.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

_SCREEN = Path(tempfile.gettempdir()) / "keyacct-screenshots-screen.json"
_SCREEN.write_text(
    json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}]})
)
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":  # a 1366×768 screen
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from PySide6.QtCore import QSize, QThread  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from keyacct_desktop.context import AppContext  # noqa: E402
from keyacct_desktop.demo import generate_demo  # noqa: E402
from keyacct_desktop.gui.app import create_application  # noqa: E402
from keyacct_desktop.gui.main_window import MainWindow  # noqa: E402
from keyacct_desktop.gui.widgets import screen  # noqa: E402

#: The room on the laptop's screen above a 40 px taskbar.
AVAILABLE = QSize(1366, 728)


def issue_sample_documents(ctx: AppContext) -> None:
    """One checklist, plan handout and planned outage, so the document pages show content."""
    from datetime import datetime, timedelta

    from keyacct_desktop.services.checklists import ChecklistService
    from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
    from keyacct_desktop.services.outages import OutageService
    from keyacct_desktop.services.plans import SupplyPlanService

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


def settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def dialogs(ctx: AppContext, window: MainWindow) -> dict[str, Any]:
    """Builders of the dialogs shown in the guide, by file name."""
    from keyacct_desktop.gui.customer_editor import CustomerEditor
    from keyacct_desktop.gui.desktop.menus import ShortcutsDialog, shortcut_rows
    from keyacct_desktop.gui.desktop.settings_dialog import SettingsDialog
    from keyacct_desktop.gui.grid_balance_dialog import GridBalanceDialog
    from keyacct_desktop.gui.print_preview import PrintPreviewDialog
    from keyacct_desktop.gui.quality_dialog import QualityDialog
    from keyacct_desktop.gui.visits.drafts import DraftsDialog
    from keyacct_desktop.gui.visits.editor import VisitEditor
    from keyacct_desktop.gui.widgets.unsaved import unsaved_box
    from keyacct_desktop.printing.base import Letterhead
    from keyacct_desktop.printing.visits import load_report, render_visit_report
    from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
    from keyacct_desktop.services.visits import DemandForm, VisitForm, VisitLogService

    ids = CustomerDirectory(ctx.store).find_ids(CustomerQuery())
    service = VisitLogService(ctx.store, ctx.settings, ctx.attachment_files)

    def visit_editor() -> Any:
        form = VisitForm(
            customer_id=str(ids[0]),
            started_at=datetime(2026, 11, 20, 9, 30).isoformat(timespec="minutes"),
            place="客户配电房",
            purpose="季度走访:了解扩产用电需求",
            demands=[
                DemandForm(
                    "二期厂房扩建,申请将 2 号进线由 10 kV 改为 35 kV 供电并增容至 12500 kVA,"
                    "希望年底前答复方案",
                    "connection",
                    "capacity_increase",
                )
            ],
        )
        editor = VisitEditor(ctx, form, window)
        editor.timer.stop()
        return editor

    def print_preview() -> Any:
        visit_id = window.pages["visits"].model.object_at(0)
        pdf = render_visit_report(
            load_report(service, visit_id), Letterhead.from_settings(ctx.settings)
        )
        return PrintPreviewDialog(pdf, "走访报告", window)

    def drafts() -> Any:
        form = VisitForm(customer_id=str(ids[1]), started_at="2026-11-20T14:00", purpose="回访")
        service.autosave(form)
        return DraftsDialog(service, service.drafts(), window)

    def import_preview() -> Any:
        """A utility's roster: their headers and units, a new park, a bad row, a 合计 row."""
        import openpyxl

        from keyacct_desktop.gui.import_preview import ImportPreviewDialog
        from keyacct_desktop.services.roster.plan import plan_import

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["2026 年大客户档案"])
        header = "序号 用户编号 户名 所属园区 供电电压 合同容量(千伏安) 年用电量(万千瓦时) 用电类别"
        sheet.append([*header.split(), "重要用户等级", "联系人", "联系电话", "立户日期"])
        for n in range(1, 13):
            capacity = "２，５００" if n % 2 else 1250
            phone = "0591-87654321转8001" if n % 2 else "13912345678"
            name = f"临港第{n}号新材料有限公司"
            grade = "一级" if n < 3 else ""
            contact = "张敏" if n % 3 else ""
            account = f"0320{n:06d}"
            cells = [n, account, name, "临港新材料产业园", "交流10kV", capacity, 86.5 + n]
            sheet.append([*cells, "大工业", grade, contact, phone, date(2012, 3, n)])
        sheet.append([13, "0320000013", "", "临港新材料产业园", "11kV", "很多"])
        sheet.append(["合计", None, None, None, None, None, 1138])
        path = Path(tempfile.mkdtemp()) / "临港供电大客户档案.xlsx"
        book.save(path)
        return ImportPreviewDialog(ctx, plan_import(ctx.store, path), window)

    return {
        "customer-editor": lambda: CustomerEditor(ctx, ids[0], window),
        "import-preview": import_preview,
        "visit-editor": visit_editor,
        "unsaved-changes": lambda: unsaved_box(window, "本次走访记录", drafts=True),
        "drafts": drafts,
        "print-preview": print_preview,
        "grid-balance": lambda: GridBalanceDialog(ctx, window),
        "data-quality": lambda: QualityDialog(ctx, window),
        "settings": lambda: SettingsDialog(ctx.settings, ctx.language, window),
        "shortcuts": lambda: ShortcutsDialog(shortcut_rows(window), window),
    }


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    app = create_application("zh_CN")
    screen.available_size = lambda widget=None: QSize(AVAILABLE)  # the taskbar
    with tempfile.TemporaryDirectory() as folder:
        ctx = AppContext.open(Path(folder))
        generate_demo(ctx.store, customers=300, seed=20261122, today=date(2026, 11, 20))
        issue_sample_documents(ctx)
        window = MainWindow(ctx)
        window.resize(screen.client_room(window))  # maximised on the laptop
        window.show()
        for key in window.pages:
            page = window.show_page(key)
            for name in ("list_view", "events_view"):  # open the first document of the list
                view = getattr(page, name, None)
                if view is not None and view.model().rowCount():
                    view.selectRow(0)
            settle(app)
            while getattr(page, "loading", False):
                settle(app, 1)
            settle(app)
            window.grab().save(str(out_dir / f"{key}.png"))
            print(out_dir / f"{key}.png")
        window.show_page("visits")
        for name, build in dialogs(ctx, window).items():
            dialog = build()
            dialog.show()
            settle(app)
            while getattr(dialog, "task", None) is not None:  # grid balancing computes
                settle(app, 1)
            for _ in range(40):  # the PDF view renders its pages on a thread of its own
                settle(app, 1)
                QThread.msleep(50)
            dialog.grab().save(str(out_dir / f"dialog-{name}.png"))
            print(out_dir / f"dialog-{name}.png", dialog.size().width(), dialog.size().height())
            dialog.hide()
            dialog.deleteLater()
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
