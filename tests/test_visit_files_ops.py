"""Photos and signatures of the visit editor are stored by operations on the database worker,
never on the GUI thread; a file that cannot be stored leaves nothing half-written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from sqlalchemy import select

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.visits.editor import VisitEditor
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.services.visits import VisitForm
from keyacct_desktop.store.local import Draft
from keyacct_desktop.store.models import Attachment
from tests.op_helpers import note_threads
from tests.visit_draft_worker import photo_png


def _editor(ctx: AppContext, qtbot) -> VisitEditor:  # type: ignore[no-untyped-def]
    customer = CustomerDirectory(ctx.store).find_ids(CustomerQuery())[0]
    form = VisitForm(customer_id=str(customer), started_at=datetime.now().isoformat("T", "minutes"))
    editor = VisitEditor(ctx, form)
    editor.timer.stop()  # autosaves below are asked for
    qtbot.addWidget(editor)
    return editor


def test_photos_and_signatures_are_stored_off_the_gui_thread(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: operations on the worker thread
    editor = _editor(demo_ctx, qtbot)
    threads = note_threads(monkeypatch, editor.service, "keep_file")
    photo = tmp_path / "现场.png"
    photo.write_bytes(photo_png(5))
    assert editor.attach_file(photo)
    qtbot.waitUntil(lambda: editor.photo_list.count() == 1, timeout=10_000)
    files = demo_ctx.attachment_files
    assert files.get(editor.form().photos[0][1]) == photo_png(5)  # in the store

    editor.purpose.setText("带签名的走访")
    editor.signature.draw_stroke([QPointF(20, 80), QPointF(120, 20), QPointF(250, 90)])
    signed = editor.signature.png_bytes()
    editor.autosave()
    qtbot.waitUntil(lambda: bool(editor.autosave_note.text()), timeout=10_000)
    with demo_ctx.store.read() as session:
        (payload,) = session.scalars(select(Draft.payload))
    assert files.get(payload["signature_sha256"]) == signed
    assert len(threads) == 2 and threads.none_on_the_gui_thread

    # A save asked while a photo is still being stored waits for it, and includes it.
    second = tmp_path / "配电室.png"
    second.write_bytes(photo_png(6))
    editor.ours.setText("王经理")
    assert editor.attach_file(second) and editor.save()
    assert editor.saved_id is None and "close" in editor._after_files  # waiting for the photo
    qtbot.waitUntil(
        lambda: editor.saved_id is not None or bool(editor.error.text()), timeout=10_000
    )
    assert editor.saved_id is not None, editor.error.text()
    with demo_ctx.store.read() as session:
        kinds = sorted(
            a.kind
            for a in session.scalars(
                select(Attachment).where(Attachment.owner_id == editor.saved_id)
            )
        )
    assert kinds == ["photo", "photo", "signature"]
    assert threads.none_on_the_gui_thread


def test_a_signature_that_cannot_be_stored_writes_no_draft(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    editor = _editor(demo_ctx, qtbot)
    keep_file = editor.service.keep_file

    def full_disk(filename: str, data: bytes) -> str:
        raise UserError("附件文件夹已满", "the attachment folder is full")

    monkeypatch.setattr(editor.service, "keep_file", full_disk)
    editor.purpose.setText("签名存不下")
    editor.signature.draw_stroke([QPointF(20, 80), QPointF(250, 90)])
    editor.autosave()
    assert editor.autosave_note.text() == "附件文件夹已满"
    with demo_ctx.store.read() as session:
        assert session.scalars(select(Draft)).first() is None  # nothing half-written
    monkeypatch.setattr(editor.service, "keep_file", keep_file)
    editor.autosave()  # tried again, now stored first and then referred to
    with demo_ctx.store.read() as session:
        (payload,) = session.scalars(select(Draft.payload))
    assert demo_ctx.attachment_files.get(payload["signature_sha256"]) == (
        editor.signature.png_bytes()
    )
