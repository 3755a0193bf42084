"""The 走访 and 转办 pages and the visit editor, driven like a manager would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from keyacct_desktop.domain.enums import ReferralState
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.print_preview import PrintPreviewDialog
from keyacct_desktop.gui.widgets import unsaved
from keyacct_desktop.gui.widgets.rows_model import ObjectRole
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.services.referrals import NewReferral, ReferralService
from keyacct_desktop.services.visits import DemandForm, VisitForm, VisitLogService
from keyacct_desktop.store.local import Draft
from keyacct_desktop.store.models import Attachment, Referral, Visit


@pytest.fixture
def window(keyacct_qapp, demo_ctx, qtbot, monkeypatch) -> MainWindow:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    shown: list[PrintPreviewDialog] = []
    monkeypatch.setattr(PrintPreviewDialog, "exec", lambda self: shown.append(self) or 0)
    main = MainWindow(demo_ctx)
    main.previews = shown  # type: ignore[attr-defined]
    qtbot.addWidget(main)
    main.show()
    return main


def first_customer(ctx):  # type: ignore[no-untyped-def]
    return CustomerDirectory(ctx.store).find_ids(CustomerQuery())[0]


def test_visit_plan_lists_overdue_customers_first(window) -> None:
    page = window.show_page("visits")
    assert page.plan_model.rowCount() > 0
    first = page.plan_model.object_at(0)
    assert first.overdue(date.today())
    assert page.plan_model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    park_index = 1
    page.park_filter.setCurrentIndex(park_index)
    assert page.plan_model.rowCount() <= 8  # a day's round
    assert all(
        page.plan_model.object_at(r).park == page.park_filter.currentText()
        for r in range(page.plan_model.rowCount())
    )


def test_the_editor_saves_a_visit_with_demands_and_signature(
    window, demo_ctx, qtbot, tmp_path: Path
) -> None:
    page = window.show_page("visits")
    customer = first_customer(demo_ctx)
    editor = page.new_visit(customer)
    qtbot.addWidget(editor)
    editor.ours.setText("王经理、运检部 李工")
    editor.theirs.setText("电气主管 张敏")
    editor.place.setText("一号配电室")
    assert not editor.save()  # no purpose yet
    assert "走访目的" in editor.error.text() and "c62828" in editor.purpose.styleSheet()
    editor.purpose.setText("迎峰度冬前安全检查")
    editor.texts["findings_safety"].setPlainText("配电室挡鼠板缺失")
    editor.scores["score_service"].setValue(5)
    editor.add_demand(DemandForm("申请增容 800 kVA", "connection", "capacity_increase"))
    editor.signature.draw_stroke([QPointF(20, 80), QPointF(120, 20), QPointF(250, 90)])
    assert editor.signature.png_bytes().startswith(b"\x89PNG")
    editor.grab().save(str(tmp_path / "visit-editor.png"))
    editor.autosave()
    with demo_ctx.store.read() as session:
        assert session.scalar(select(Draft.kind)) == "visit"
    assert editor.save()
    with demo_ctx.store.read() as session:
        visit = session.get(Visit, editor.saved_id)
        assert visit.purpose == "迎峰度冬前安全检查" and visit.signature_id is not None
        assert visit.our_participants == ["王经理", "运检部 李工"]
        (referral,) = session.scalars(select(Referral).where(Referral.visit_id == visit.id))
        assert referral.team == "connection" and referral.state == "open"
        assert session.scalar(select(Draft.kind)) is None
    assert page.model.rowCount() >= 1
    page.tabs.setCurrentIndex(1)
    row = next(
        r
        for r in range(page.model.rowCount())
        if page.model.index(r, 0).data(ObjectRole) == editor.saved_id
    )
    page.table.selectRow(row)
    page.preview()  # rendered on a worker, then shown
    qtbot.waitUntil(lambda: bool(window.previews), timeout=20_000)
    assert window.previews[-1].document.pageCount() >= 1


def test_the_editor_saves_an_unfinished_visit_with_its_referral(window, demo_ctx, qtbot) -> None:
    page = window.show_page("visits")
    editor = page.new_visit(first_customer(demo_ctx))
    qtbot.addWidget(editor)
    editor.ours.setText("王经理")
    editor.purpose.setText("了解新产线用电需求")
    editor.add_demand(DemandForm("新产线 630 kVA 报装咨询", "connection", "new_connection"))
    editor.save_unfinished_button.click()
    assert editor.saved_id is not None and editor.error.text() == ""
    with demo_ctx.store.read() as session:
        assert session.get(Visit, editor.saved_id).status == "draft"
        (referral,) = session.scalars(select(Referral).where(Referral.visit_id == editor.saved_id))
        assert referral.description == "新产线 630 kVA 报装咨询" and referral.state == "open"


def _started_window(ctx, qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    """A main window as the app shows it at start."""
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def test_unsaved_drafts_are_offered_at_start_without_building_the_visits_page(
    keyacct_qapp, demo_ctx, qtbot, monkeypatch
) -> None:
    customers = CustomerDirectory(demo_ctx.store).find_ids(CustomerQuery())[:3]
    service = VisitLogService(demo_ctx.store, demo_ctx.settings)
    forms = [
        VisitForm(customer_id=str(c), started_at=f"2026-11-2{n}T10:00", purpose=f"写到一半 {n}")
        for n, c in enumerate(customers)
    ]
    for form in forms:
        service.autosave(form)
    window = _started_window(demo_ctx, qtbot)
    qtbot.waitUntil(lambda: window.drafts_dialog is not None and window.drafts_dialog.isVisible())
    dialog = window.drafts_dialog
    assert not dialog.isModal() and window.isVisible()
    assert not window.pages.is_built("visits")  # offered from the window, no page built
    assert dialog.windowTitle() == "未保存的走访记录"
    assert dialog.model.rowCount() == 3
    names = {r.customer_name for r in service.drafts()}
    listed = [dialog.model.index(r, 0).data() for r in range(3)]
    assert set(listed) == names and "—" not in names
    times = [dialog.model.index(r, 1).data() for r in range(3)]
    assert sorted(times) == ["2026-11-20 10:00", "2026-11-21 10:00", "2026-11-22 10:00"]
    assert all(dialog.model.index(r, 2).data().startswith("20") for r in range(3))

    # discard asks first: "No" keeps the draft, "Yes" deletes it
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text) or answers.pop(0)
    )
    dialog.view.selectRow(2)
    doomed = dialog.selected()
    dialog.discard_button.click()
    assert dialog.model.rowCount() == 3 and doomed.customer_name in asked[0]
    dialog.discard_button.click()
    assert dialog.model.rowCount() == 2
    assert doomed.key not in {d.key for d in service.drafts()}

    # restore opens the editor on the 走访 page with what was typed
    dialog.view.selectRow(0)
    chosen = dialog.selected()
    dialog.restore_button.click()
    page = window.pages["visits"]
    assert window.stack.currentWidget() is page and page.editor is not None
    editor = page.editor
    qtbot.addWidget(editor)
    assert editor.purpose.text() == chosen.form.purpose and not dialog.isVisible()
    # cancel asks; "keep as draft" keeps it; the other one is offered again
    monkeypatch.setattr(unsaved, "ask", lambda *_a, **_k: unsaved.Answer.KEEP_DRAFT)
    editor.reject()
    qtbot.waitUntil(dialog.isVisible)
    assert [d.key for d in dialog.drafts] != [chosen.key] and dialog.model.rowCount() == 1

    # later keeps them: the next start offers the one left by the crash, not the one kept on
    # cancel (the page's button lists both)
    dialog.later_button.click()
    assert not dialog.isVisible() and len(service.drafts()) == 2
    again = _started_window(demo_ctx, qtbot)
    qtbot.waitUntil(lambda: again.drafts_dialog is not None and again.drafts_dialog.isVisible())
    assert again.drafts_dialog.model.rowCount() == 1
    assert again.drafts_dialog.drafts[0].key != chosen.key
    assert "上次意外退出" in again.drafts_dialog.intro.text()
    assert again.offer_drafts(everything=True).model.rowCount() == 2


def test_no_drafts_no_dialog_and_the_page_button_says_so(
    keyacct_qapp, demo_ctx, qtbot, monkeypatch
) -> None:
    window = _started_window(demo_ctx, qtbot)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    page = window.show_page("visits")  # the queued offer has run by now (events processed)
    qtbot.waitUntil(lambda: window._drafts_queued)
    page.drafts_button.click()
    assert window.drafts_dialog is None and told == ["没有未保存的走访记录。"]


def test_after_a_kill_the_next_start_offers_the_draft_with_its_photo_and_signature(
    keyacct_qapp, demo_ctx, qtbot
) -> None:
    """The kill -9 pattern of test_visits: a worker autosaves a visit with a photo and a
    signature until it is killed; a new window then offers the draft, which restores all."""
    from tests.test_visits import ROOT
    from tests.visit_draft_worker import edit_number, photo_png, signature_png

    customer = first_customer(demo_ctx)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.visit_draft_worker",
            str(demo_ctx.store.path),
            str(customer),
            str(demo_ctx.attachments_dir),
            "",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    last = 0
    for _line in range(8):
        line = worker.stdout.readline()
        assert line, worker.stderr.read() if worker.stderr else "worker died"
        last = int(line.split()[1])
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    worker.stdout.close()
    if worker.stderr is not None:
        worker.stderr.close()

    window = _started_window(demo_ctx, qtbot)
    qtbot.waitUntil(lambda: window.drafts_dialog is not None and window.drafts_dialog.isVisible())
    dialog = window.drafts_dialog
    assert dialog.model.rowCount() == 1
    (draft,) = dialog.drafts
    number = edit_number(draft.form)
    assert number >= last
    assert dialog.model.index(0, 0).data() == draft.customer_name != "—"
    assert dialog.model.index(0, 1).data() == "2026-11-20 09:30"
    dialog.restore_button.click()
    editor = window.pages["visits"].editor
    qtbot.addWidget(editor)
    assert editor.purpose.text() == draft.form.purpose
    assert editor.photo_list.item(0).text() == "配电室全景.png"
    signed_at = number - (number - 1) % 3
    assert editor.signature.png_bytes() == signature_png(signed_at)
    assert editor.save()
    service = VisitLogService(demo_ctx.store, demo_ctx.settings, demo_ctx.attachment_files)
    assert service.drafts() == []
    assert service.signature(editor.saved_id) == signature_png(signed_at)
    with demo_ctx.store.read() as session:
        (photo,) = session.scalars(
            select(Attachment).where(
                Attachment.owner_id == editor.saved_id, Attachment.kind == "photo"
            )
        )
    assert demo_ctx.attachment_files.get(photo.sha256) == photo_png()


def test_the_editor_autosaves_references_not_file_contents(window, demo_ctx, qtbot, tmp_path):
    from PySide6.QtGui import QImage

    from tests.visit_draft_worker import photo_png

    editor = window.show_page("visits").new_visit(first_customer(demo_ctx))
    qtbot.addWidget(editor)
    editor.purpose.setText("带照片的走访")
    photo = tmp_path / "现场.png"
    photo.write_bytes(photo_png(7))
    assert editor.attach_file(photo)
    editor.signature.draw_stroke([QPointF(20, 80), QPointF(120, 20), QPointF(250, 90)])
    editor.autosave()
    with demo_ctx.store.read() as session:
        (payload,) = session.scalars(select(Draft.payload))
    assert len(str(payload)) < 3000 < len(photo_png(7))
    files = demo_ctx.attachment_files
    assert files.get(payload["photos"][0][1]) == photo_png(7)
    first_signature = payload["signature_sha256"]
    assert QImage.fromData(files.get(first_signature), "PNG").width() > 0
    editor.signature.clear()
    editor.signature.draw_stroke([QPointF(30, 30), QPointF(200, 100)])
    editor.autosave()
    with demo_ctx.store.read() as session:
        (payload,) = session.scalars(select(Draft.payload))
    assert payload["signature_sha256"] != first_signature
    assert not files.path_for(first_signature).exists()  # drawn over: not kept


def test_referrals_page_moves_referrals_and_refuses_illegal_moves(
    window, demo_ctx, monkeypatch, tmp_path
) -> None:
    service = ReferralService(demo_ctx.store, demo_ctx.settings)
    referral = service.create(NewReferral(first_customer(demo_ctx), "billing", "电费发票抬头更正"))
    page = window.show_page("referrals")
    page.customer_filter.setText("")
    page.team.setCurrentIndex(page.team.findData("billing"))
    row = next(i for i, r in enumerate(page._rows) if r.id == referral)
    page.view.selectRow(row)
    assert not page.move_buttons[ReferralState.CONFIRMED].isEnabled()  # illegal from "open"
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: errors.append(text))
    assert not page.move_to(ReferralState.CONFIRMED, note="")
    assert errors and "不能改为“客户已确认”" in errors[0]
    assert page.move_to(ReferralState.IN_PROGRESS)
    assert page.move_to(ReferralState.ANSWERED, note="已重开发票")
    assert page.history.count() == 3
    window.grab().save(str(tmp_path / "referrals.png"))


def test_a_dashboard_referral_opens_the_customers_referrals(window, demo_ctx) -> None:
    home = window.show_page("home")
    home.tiles["referrals"].click()
    referral = home.data.referrals[0]
    home.open_record(("referrals", referral.customer))
    page = window.pages["referrals"]
    assert window.stack.currentWidget() is page
    assert page._rows and {r.customer for r in page._rows} == {referral.customer}


def test_satisfaction_trend_per_grid_and_customer_with_complaints(
    window, demo_ctx, tmp_path
) -> None:
    page = window.show_page("visits")
    page.tabs.setCurrentIndex(2)
    assert page.trend_chart.series[0].count() >= 6  # monthly points
    everyone = page.complaint_model.rowCount()
    page.trend_scope.setCurrentIndex(1)  # one grid
    assert page.complaint_model.rowCount() <= everyone
    customer = first_customer(demo_ctx)
    page.trend_customer.set_customer(customer)
    names = {
        page.complaint_model.index(r, 1).data() for r in range(page.complaint_model.rowCount())
    }
    assert len(names) <= 1
    assert "次走访" in page.complaints_label.text()
    window.grab().save(str(tmp_path / "satisfaction.png"))


def test_the_trend_chart_keeps_one_pair_of_axes_and_centres_a_single_month(
    window, demo_ctx
) -> None:
    customer = first_customer(demo_ctx)
    with demo_ctx.store.begin() as session:  # one customer whose visits all fall in one month
        for visit in session.scalars(select(Visit).where(Visit.customer_id == customer)):
            visit.started_at = datetime(2026, 3, 10, 9, 0)
    page = window.show_page("visits")
    page.tabs.setCurrentIndex(2)
    page.trend_scope.setCurrentIndex(1)
    page.trend_customer.set_customer(customer)
    chart = page.trend_chart
    assert chart.categories == ["2026-03"] and len(chart.series) == 3
    assert chart.series[0].count() == 1
    plot = chart.plot_rect()
    point = chart.point_position(0, 0)
    assert abs(point.x() - plot.center().x()) < 1  # not squeezed onto the frame


def test_attaching_a_photo_checks_its_content(
    window, demo_ctx, qtbot, tmp_path, monkeypatch
) -> None:
    editor = window.show_page("visits").new_visit(first_customer(demo_ctx))
    qtbot.addWidget(editor)
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: errors.append(text))
    fake = tmp_path / "现场.jpg"
    fake.write_bytes(b"MZ\x90\x00 this is a program")
    assert not editor.attach_file(fake)
    assert errors and "jpg" in errors[0].lower()
    photo = tmp_path / "配电室.png"
    from PySide6.QtGui import QImage

    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    image.save(str(photo), "PNG")
    assert editor.attach_file(photo)
    assert editor.photo_list.count() == 1 and editor.form().photos[0][0] == "配电室.png"


def test_a_reopened_visit_shows_its_signature_and_photos_and_saves_them_once(
    window, demo_ctx, qtbot, tmp_path
) -> None:
    from PySide6.QtGui import QImage

    from keyacct_desktop.store.models import Attachment

    page = window.show_page("visits")
    editor = page.new_visit(first_customer(demo_ctx))
    qtbot.addWidget(editor)
    editor.ours.setText("王经理")
    editor.purpose.setText("配电室安全检查")
    photo = tmp_path / "配电室.png"
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    image.save(str(photo), "PNG")
    assert editor.attach_file(photo)
    editor.signature.draw_stroke([QPointF(20, 80), QPointF(120, 20), QPointF(250, 90)])
    signed = editor.signature.png_bytes()
    assert editor.save()
    visit_id = editor.saved_id

    def files() -> list[tuple[str, str]]:
        with demo_ctx.store.read() as session:
            return sorted(
                (a.kind, a.filename)
                for a in session.scalars(select(Attachment).where(Attachment.owner_id == visit_id))
            )

    assert [kind for kind, _name in files()] == ["photo", "signature"]
    reopened = page.open_editor(page.service.form(visit_id))
    qtbot.addWidget(reopened)
    assert not reopened.signature.is_empty and reopened.signature.png_bytes() == signed
    assert reopened.photo_list.item(0).text() == "配电室.png(已保存)"
    reopened.texts["advice"].setPlainText("建议加装挡鼠板")
    assert reopened.save()
    assert [kind for kind, _name in files()] == ["photo", "signature"]  # nothing stored twice
    again = page.open_editor(page.service.form(visit_id))
    qtbot.addWidget(again)
    again.signature.clear()
    again.signature.draw_stroke([QPointF(30, 30), QPointF(200, 100)])  # signed anew
    assert again.save()
    with demo_ctx.store.read() as session:
        visit = session.get(Visit, visit_id)
        current = session.get(Attachment, visit.signature_id)
    assert page.service.signature(visit_id) != signed
    assert current.sha256 != "" and visit.advice == "建议加装挡鼠板"


def test_a_demand_gets_the_due_date_typed_or_the_default(window, demo_ctx, qtbot) -> None:
    page = window.show_page("visits")
    editor = page.new_visit(first_customer(demo_ctx))
    qtbot.addWidget(editor)
    editor.ours.setText("王经理")
    editor.purpose.setText("走访了解诉求")
    editor.add_demand(DemandForm("申请增容 800 kVA", "connection", "capacity_increase"))
    editor.add_demand(DemandForm("电能表校验", "metering", "metering"))
    editor.demands.item(0, 4).setText("2099-13-01")
    assert not editor.save()
    assert "第 1 条诉求" in editor.error.text()
    # Only the faulty cell is marked: not the table, its header or the other cells.
    assert editor.demands.styleSheet() == "" and editor.demands.currentRow() == 0
    assert editor.demands.currentColumn() == 4
    assert editor.demands.item(0, 4).background().color().name() == "#f8d7da"
    assert editor.demands.item(1, 4).data(Qt.ItemDataRole.BackgroundRole) is None
    assert editor.demands.item(0, 1).data(Qt.ItemDataRole.BackgroundRole) is None
    assert all(editor.demands.cellWidget(r, c).styleSheet() == "" for r in (0, 1) for c in (0, 2))
    editor.demands.item(0, 4).setText("2099-01-15")
    editor.demands.cellWidget(1, 2).setCurrentIndex(0)  # "(choose)": no team
    assert not editor.save()
    assert "第 2 条诉求" in editor.error.text()
    assert editor.demands.item(0, 4).data(Qt.ItemDataRole.BackgroundRole) is None  # cleared
    assert "c62828" in editor.demands.cellWidget(1, 2).styleSheet()
    assert editor.demands.cellWidget(0, 2).styleSheet() == ""
    assert editor.demands.cellWidget(1, 0).styleSheet() == ""
    editor.demands.cellWidget(1, 2).setCurrentIndex(
        editor.demands.cellWidget(1, 2).findData("metering")
    )
    assert editor.save()
    with demo_ctx.store.read() as session:
        due = {
            r.description: r.due_on
            for r in session.scalars(select(Referral).where(Referral.visit_id == editor.saved_id))
        }
    assert due["申请增容 800 kVA"] == date(2099, 1, 15)
    assert date.today() < due["电能表校验"] < date(2099, 1, 1)  # the default time limit


def test_a_referral_gets_another_owner_and_due_date_until_it_is_closed(
    window, demo_ctx, monkeypatch
) -> None:
    service = ReferralService(demo_ctx.store, demo_ctx.settings)
    referral = service.create(
        NewReferral(first_customer(demo_ctx), "metering", "电能表校验", owner_name="李工")
    )
    page = window.show_page("referrals")
    page.team.setCurrentIndex(page.team.findData("metering"))
    page.view.selectRow(next(i for i, r in enumerate(page._rows) if r.id == referral))
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: errors.append(text))
    assert not page.reassign("王工", "2026/12/01")
    assert errors and "办理期限“2026/12/01”无效" in errors[-1]
    assert page.reassign("王工", "2026-12-01")
    row = page.selected()
    assert row is not None and (row.owner_name, row.due_on) == ("王工", date(2026, 12, 1))
    assert "承办人 王工,期限 2026-12-01" in page.history.item(page.history.count() - 1).text()
    assert page.move_to(ReferralState.REJECTED, note="非供电企业产权设备")
    assert not page.reassign_button.isEnabled()
    with pytest.raises(UserError, match="no longer change"):
        service.reassign(referral, "赵工", date(2026, 12, 5))


def test_a_phoned_in_complaint_is_referred_without_a_visit_by_keyboard(
    window, demo_ctx, qtbot
) -> None:
    """转办 page → "New referral (phone)": customer, kind, team and words typed, no visit."""
    page = window.show_page("referrals")
    dialog = page.new_referral(first_customer(demo_ctx))
    assert dialog.focusWidget() is dialog.kind  # the customer is known: start at the kind
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Down)  # demand → complaint
    assert dialog.kind.currentData() == "complaint"
    assert dialog.demand_type.currentData() == "complaint"
    assert dialog.due.date().toPython() == page.service.default_due("complaint")
    dialog.description.insertPlainText("来电反映上月电费发票抬头错误")
    assert not dialog.save()  # no team yet: said in the dialog, focus on the team
    assert "团队" in dialog.error.text() and dialog.focusWidget() is dialog.team
    dialog.team.setCurrentIndex(dialog.team.findData("billing"))
    qtbot.keyClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.Key.Key_Space)
    assert dialog.created_id is not None and dialog.result() == dialog.DialogCode.Accepted
    with demo_ctx.store.read() as session:
        referral = session.get(Referral, dialog.created_id)
        assert (referral.visit_id, referral.kind, referral.team) == (None, "complaint", "billing")
    (row,) = [i for i, r in enumerate(page._rows) if r.id == dialog.created_id]
    assert page.model.index(row, 7).data() == "来电"  # source column
    assert page.view.selectionModel().selectedRows()[0].row() == row


def test_a_reviewed_visit_shows_the_specialists_rating_new_since_the_last_sync(
    window, demo_ctx
) -> None:
    """A review pulled by the last sync is highlighted in the visit list and shown in the
    editor; the next sync (nothing new) drops the "new" mark."""
    from keyacct_desktop.store.local import SyncState
    from keyacct_desktop.store.models import User, VisitReview, visit_review_id

    with demo_ctx.store.begin() as session:
        visit = session.scalars(
            select(Visit).where(Visit.status == "completed").order_by(Visit.started_at.desc())
        ).first()
        specialist = User(username="zhuanyuan", display_name="赵专员", role="specialist")
        session.add(specialist)
        session.flush()
        session.add(
            VisitReview(
                id=visit_review_id(visit.id),
                visit_id=visit.id,
                reviewer_id=specialist.id,
                rating="fair",
                comments="安全隐患未写明整改期限",
                reviewed_at=datetime(2026, 12, 1, 2, 30),
                version=120,
            )
        )
        session.merge(SyncState(key="last_pulled_from", value=100))
        visit_id = visit.id
    page = window.show_page("visits")
    page.tabs.setCurrentIndex(1)  # visit logs
    page.log_search.setText("")
    page.refresh_logs(page=0)
    row = next(i for i in range(page.model.rowCount()) if page.model.object_at(i) == visit_id)
    assert page.model.index(row, 7).data() == "中(新)"
    assert page.new_reviews.isVisible() and "1" in page.new_reviews.text()
    page.table.selectRow(row)
    page.open_selected()
    editor = page.editor
    assert editor.review.isVisibleTo(editor)
    assert editor.review_rating.text().startswith("中")
    assert editor.review_comments.text() == "安全隐患未写明整改期限"
    assert editor.review_by.text().startswith("赵专员 · 2026-12-01")
    editor.reject()
    with demo_ctx.store.begin() as session:
        session.merge(SyncState(key="last_pulled_from", value=120))
    page.refresh_logs(page=0)
    assert page.model.index(row, 7).data() == "中"
    assert not page.new_reviews.isVisible()
