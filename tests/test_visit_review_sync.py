"""The business specialist's review of a visit travels to the manager's laptop (and only to
those who see the visit); a phoned-in referral without a visit travels back to the server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from keyacct_desktop.services.referrals import NewReferral, ReferralService
from keyacct_desktop.services.reviews import new_review_count, review_of
from keyacct_desktop.services.visits import VisitForm, VisitLogService
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.models import Customer, Grid, visit_review_id
from tests.sync_helpers import Device, ServerProcess, api_sign_in, applied, pull_changes, wire_op


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("review")
    process = ServerProcess(f"sqlite:///{folder / 'server.sqlite3'}")
    process.create_user("super", "supervisor")
    process.create_user("wang", "manager")
    process.create_user("li", "manager")
    process.create_user("desk", "admin")
    process.start()
    office = Device.sign_in(process, folder, "office", "super")
    wang = Device.sign_in(process, folder, "wang-laptop", "wang")
    li = Device.sign_in(process, folder, "li-laptop", "li")
    office.sync()
    grid = Grid(name="王的网格", manager_id=wang.user_id)
    customer = Customer(account_no="3100000001", name="华东精密", grid=grid)
    with office.store.begin() as session:
        session.add_all([grid, customer])
    office.sync()
    wang.sync()
    li.sync()
    desk = api_sign_in(process, "desk", "console")
    yield {"process": process, "wang": wang, "li": li, "desk": desk, "customer": customer.id}
    desk.close()
    for device in (office, wang, li):
        device.close()
    process.stop()


def test_a_review_reaches_the_visits_manager_flagged_new_until_the_next_sync(world) -> None:
    wang: Device = world["wang"]
    service = VisitLogService(wang.store, Settings())
    visit_id = service.save(
        VisitForm(
            customer_id=str(world["customer"]),
            started_at="2026-11-30T09:30",
            ended_at="2026-11-30T10:30",
            purpose="年度走访",
            our_participants=["王伟"],
        ),
        complete=True,
    )
    wang.sync()
    review_id = visit_review_id(visit_id)
    applied(
        world["desk"].push(
            [
                wire_op(
                    "visit_review",
                    review_id,
                    {
                        "visit_id": str(visit_id),
                        "rating": "good",
                        "comments": "现场情况记录完整",
                        "reviewed_at": "2026-12-01T02:00:00",
                    },
                )
            ]
        )
    )
    wang.sync()
    review = review_of(wang.store, visit_id)
    assert review is not None
    assert (review.rating_label(), review.comments, review.new) == ("良", "现场情况记录完整", True)
    assert review.reviewed_at == datetime(2026, 12, 1, 2, 0)
    assert new_review_count(wang.store) == 1
    wang.sync()  # nothing new: the mark goes
    assert review_of(wang.store, visit_id).new is False  # type: ignore[union-attr]
    assert new_review_count(wang.store) == 0
    li: Device = world["li"]
    li.sync()
    assert review_of(li.store, visit_id) is None  # another grid's visit: never sent


def test_a_phoned_in_referral_without_a_visit_reaches_the_server(world) -> None:
    wang: Device = world["wang"]
    referral_id = ReferralService(wang.store, Settings()).create(
        NewReferral(world["customer"], "billing", "来电:发票抬头错误", kind="complaint")
    )
    wang.sync()
    office = api_sign_in(world["process"], "super", "office-2")
    stored = [
        c["data"]
        for c in pull_changes(office)[0]
        if c["table"] == "referral" and c["id"] == str(referral_id)
    ]
    office.close()
    assert stored and stored[-1]["visit_id"] is None and stored[-1]["kind"] == "complaint"
    assert uuid.UUID(stored[-1]["customer_id"]) == world["customer"]
