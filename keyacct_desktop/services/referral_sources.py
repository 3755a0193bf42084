"""Where a referral came from, as the manager's 转办 list shows it.

A referral written on a visit names the visit. One without a visit is either a request the
manager took by phone (created on this laptop, no author or the manager) or a complaint or
demand registered on the web console by the business specialist or 95598 staff (its author
is a user of another role), which reached the laptop at a sync.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Referral, User

IN_CHUNK = 500
#: Roles that register referrals on the web console (not the customer's manager).
WEB_ROLES = frozenset({"specialist", "team", "supervisor", "admin"})


@dataclass(frozen=True)
class ReferralSource:
    kind: str  # visit / phone / web
    author: str  # display name of who registered it on the web ("" otherwise)

    def text(self, language: str = "zh") -> str:
        english = language.startswith("en")
        if self.kind == "visit":
            return "Visit" if english else "走访"
        if self.kind == "web":
            if not self.author:
                return "Web" if english else "网上登记"
            return f"Web ({self.author})" if english else f"网上登记({self.author})"
        return "Phone" if english else "来电"


def sources_of(store: Store, referral_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ReferralSource]:
    wanted = list(dict.fromkeys(referral_ids))
    found: dict[uuid.UUID, ReferralSource] = {}
    with store.read() as session:
        for start in range(0, len(wanted), IN_CHUNK):
            rows = session.execute(
                select(Referral.id, Referral.visit_id, User.role, User.display_name)
                .outerjoin(User, User.id == Referral.created_by)
                .where(Referral.id.in_(wanted[start : start + IN_CHUNK]))
            ).all()
            for referral_id, visit_id, role, name in rows:
                if visit_id is not None:
                    found[referral_id] = ReferralSource("visit", "")
                elif role in WEB_ROLES:
                    found[referral_id] = ReferralSource("web", name or "")
                else:
                    found[referral_id] = ReferralSource("phone", "")
    return found
