"""The rules of a referral's life, shared by the laptop and the web console (no Qt, no DB).

States: open → in progress → answered → confirmed with the customer, or rejected (always with
a reason): by the team while it is open or in progress, or by the manager after an answer that
closes the matter without doing it (e.g. the equipment is the customer's). A customer who is not
satisfied with an answer sends it back to "in progress". Any other move is refused with a
message naming both states. A referral is overdue while it is past its due date and not yet
confirmed or rejected: the loop closes with the customer, not with the team's answer.

Who moves what: the back-office team accepts (open → in progress), answers (in progress →
answered) or returns it with a reason (open / in progress → rejected); the manager confirms
with the customer, sends an answer back, or rejects an answer (:data:`TEAM_MOVES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from keyacct_desktop.domain.defaults import DEFAULT_DUE_WORKDAYS
from keyacct_desktop.domain.enums import ReferralState
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.workdays import WorkCalendar

S = ReferralState
#: Legal moves. Answered → in progress: the customer was not satisfied with the answer.
TRANSITIONS: dict[ReferralState, tuple[ReferralState, ...]] = {
    S.OPEN: (S.IN_PROGRESS, S.REJECTED),
    S.IN_PROGRESS: (S.ANSWERED, S.REJECTED),
    S.ANSWERED: (S.CONFIRMED, S.IN_PROGRESS, S.REJECTED),
    S.CONFIRMED: (),
    S.REJECTED: (),
}
CLOSED = frozenset({S.CONFIRMED, S.REJECTED})
#: The moves a back-office team makes; the others (confirming with the customer, sending an
#: answer back) stay with the customer's manager.
TEAM_MOVES: dict[ReferralState, tuple[ReferralState, ...]] = {
    S.OPEN: (S.IN_PROGRESS, S.REJECTED),
    S.IN_PROGRESS: (S.ANSWERED, S.REJECTED),
}


def is_overdue(state: str, due_on: date | None, today: date) -> bool:
    """Past its due date and the loop not closed (confirmed or rejected)."""
    return ReferralState(state) not in CLOSED and due_on is not None and due_on < today


def default_due(
    kind: str, today: date, calendar: WorkCalendar, due_workdays: Mapping[str, int] | None = None
) -> date:
    """The due date of a new referral of ``kind`` made ``today``: that many working days on."""
    days = int((due_workdays or DEFAULT_DUE_WORKDAYS).get(kind, 5))
    return calendar.add_workdays(today, days)


class IllegalMoveError(UserError):
    def __init__(self, current: ReferralState, wanted: ReferralState) -> None:
        allowed_zh = "、".join(s.zh for s in TRANSITIONS[current]) or "无(已结束)"
        allowed_en = ", ".join(s.en for s in TRANSITIONS[current]) or "none (closed)"
        super().__init__(
            f"转办当前为“{current.zh}”,不能改为“{wanted.zh}”。可改为:{allowed_zh}",
            f"a referral that is '{current.en}' cannot become '{wanted.en}'; allowed: {allowed_en}",
            field="state",
        )


def check_move(current: str, wanted: str, note: str, *, by_team: bool = False) -> ReferralState:
    """The target state of a legal move, or the :class:`UserError` that refuses it.

    An answer needs its text, a rejection its reason; ``by_team``: only :data:`TEAM_MOVES`.
    """
    now, target = ReferralState(current), ReferralState(wanted)
    if target not in TRANSITIONS[now]:
        raise IllegalMoveError(now, target)
    if by_team and target not in TEAM_MOVES.get(now, ()):
        raise UserError(
            f"“{target.zh}”由客户经理与客户确认后操作,后台团队不能办理",
            f"'{target.en}' is the manager's move, not the team's",
            field="state",
        )
    if target is S.ANSWERED and not note.strip():
        raise UserError("请填写后台团队的答复", "enter the team's answer", field="answer")
    if target is S.REJECTED and not note.strip():
        raise UserError("退回须写明原因", "a rejection needs a reason", field="reason")
    return target
