"""A child process for the autosave test: types into a visit form and autosaves, forever.

Usage: ``python -m tests.visit_draft_worker STORE_FILE CUSTOMER_ID``. Like the 走访 page, it
first restores the newest draft if one is left over (from a killed run) and goes on editing it,
else it starts a new visit. After each autosave commits it prints ``autosaved <n>`` (the form's
purpose then ends with ``<n>``), flushing, so the parent knows what the draft held when it
kills the process.
"""

from __future__ import annotations

import sys
from pathlib import Path

from keyacct_desktop.fieldwork.visit_log import DemandForm, VisitForm, VisitLogService
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.db import open_store

PURPOSE = "迎峰度冬用电检查,第{}次修改"


def edit_number(form: VisitForm) -> int:
    """The ``<n>`` in the purpose of a form this worker wrote."""
    prefix, suffix = PURPOSE.split("{}")
    return int(form.purpose.removeprefix(prefix).removesuffix(suffix))


def main(store_file: str, customer_id: str) -> None:
    service = VisitLogService(open_store(Path(store_file)), Settings())
    drafts = service.drafts()
    if drafts:
        form = drafts[0].form
        number = edit_number(form)
    else:
        form = VisitForm(
            customer_id=customer_id,
            started_at="2026-11-20T09:30",
            our_participants=["王经理", "运检部 李工"],
            place="一号配电室",
        )
        number = 0
    while True:
        number += 1
        form.purpose = PURPOSE.format(number)
        form.findings_equipment = "1号主变油温偏高" * (number % 5 + 1)
        form.demands = [DemandForm("申请增容 800 kVA", "connection", "capacity_increase")]
        service.autosave(form)
        print(f"autosaved {number}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
