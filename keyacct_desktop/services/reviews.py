"""The business specialist's reviews of visit reports, as the manager's laptop shows them.

A review (:class:`~keyacct_desktop.store.models.VisitReview`) is written on the server's web
console and reaches the laptop at a sync; the laptop only reads it. A review is *new* when
it arrived with the last successful sync: its version is above the pull cursor that sync
started from (``last_pulled_from`` in the sync state).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from keyacct_desktop.domain.enums import ReviewRating, label
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import SyncState
from keyacct_desktop.store.models import User, VisitReview

IN_CHUNK = 500


@dataclass(frozen=True)
class ReviewView:
    visit_id: uuid.UUID
    rating: str  # a ReviewRating code
    comments: str
    reviewer: str
    reviewed_at: datetime  # UTC
    new: bool  # arrived with the last sync

    def rating_label(self, language: str = "zh") -> str:
        try:
            return label(ReviewRating(self.rating), language)
        except ValueError:  # a rating of a newer server: shown as stored
            return self.rating


def _pulled_from(session: object) -> int | None:
    row = session.get(SyncState, "last_pulled_from")  # type: ignore[attr-defined]
    return int(row.value) if row is not None and row.value is not None else None


def reviews_of(store: Store, visit_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ReviewView]:
    """The reviews of these visits (visits without one are left out)."""
    wanted = list(dict.fromkeys(visit_ids))
    found: dict[uuid.UUID, ReviewView] = {}
    with store.read() as session:
        since = _pulled_from(session)
        for start in range(0, len(wanted), IN_CHUNK):
            rows = session.execute(
                select(VisitReview, User.display_name)
                .outerjoin(User, User.id == VisitReview.reviewer_id)
                .where(VisitReview.visit_id.in_(wanted[start : start + IN_CHUNK]))
            ).all()
            for review, reviewer in rows:
                found[review.visit_id] = ReviewView(
                    review.visit_id,
                    review.rating,
                    review.comments or "",
                    reviewer or "",
                    review.reviewed_at,
                    since is not None and review.version > since,
                )
    return found


def review_of(store: Store, visit_id: uuid.UUID) -> ReviewView | None:
    return reviews_of(store, [visit_id]).get(visit_id)


def new_review_count(store: Store) -> int:
    """Reviews that arrived with the last successful sync."""
    with store.read() as session:
        since = _pulled_from(session)
        if since is None:
            return 0
        return int(
            session.scalar(
                select(func.count()).select_from(VisitReview).where(VisitReview.version > since)
            )
            or 0
        )
