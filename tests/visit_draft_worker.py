"""A child process for the autosave test: types into a visit form and autosaves, forever.

Usage: ``python -m tests.visit_draft_worker STORE_FILE CUSTOMER_ID [ATTACHMENT_DIR KEY_HEX]``.
Like the app at start, it first restores the newest draft if one is left over (from a killed
run) and goes on editing it, else it starts a new visit. After each autosave commits it prints
``autosaved <n>`` (the form's purpose then ends with ``<n>``), flushing, so the parent knows
what the draft held when it kills the process.

With an attachment folder (sealed under KEY_HEX), a new visit gets a large photo, and the
customer signs again every few edits (as the editor does: the file is stored, then the draft
refers to it by hash).
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

from keyacct_desktop.security.files import AttachmentFiles
from keyacct_desktop.services.visits import (
    SIGNATURE_NAME,
    DemandForm,
    VisitForm,
    VisitLogService,
)
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.db import open_store

PURPOSE = "迎峰度冬用电检查,第{}次修改"


def edit_number(form: VisitForm) -> int:
    """The ``<n>`` in the purpose of a form this worker wrote."""
    prefix, suffix = PURPOSE.split("{}")
    return int(form.purpose.removeprefix(prefix).removesuffix(suffix))


def photo_png(seed: int = 1) -> bytes:
    """A photo that does not compress (noise): a few hundred kilobytes of PNG."""
    from PIL import Image

    rng = random.Random(seed)
    image = Image.frombytes("RGB", (320, 240), rng.randbytes(320 * 240 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def signature_png(number: int) -> bytes:
    """A different signature for every ``number``."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 120), "white")
    ImageDraw.Draw(image).line([(10, 100), (60 + number % 200, 20), (340, 90)], fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def main(store_file: str, customer_id: str, attachments: str = "", key_hex: str = "") -> None:
    files = (
        AttachmentFiles(Path(attachments), bytes.fromhex(key_hex) or None, 20 * 2**20)
        if attachments
        else None
    )
    service = VisitLogService(open_store(Path(store_file)), Settings(), files)
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
        if files is not None:
            form.photos = [("配电室全景.png", service.keep_file("配电室全景.png", photo_png()))]
        number = 0
    while True:
        number += 1
        form.purpose = PURPOSE.format(number)
        form.findings_equipment = "1号主变油温偏高" * (number % 5 + 1)
        form.demands = [DemandForm("申请增容 800 kVA", "connection", "capacity_increase")]
        if files is not None and number % 3 == 1:  # signed (again)
            form.signature_sha256 = service.keep_file(SIGNATURE_NAME, signature_png(number))
        service.autosave(form)
        print(f"autosaved {number}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
