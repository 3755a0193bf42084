"""sync: a set-aside row says which record it waits for, so it is retried when that arrives

Revision ID: 0016_set_aside_waits_for
Revises: 0014_work_calendar

Issue 14: pulled rows the device could not apply (``sync_set_aside``) were tried again at every
sync, so a large backlog cost every sync. ``waits_for`` ("table:id") names the record a row
waits for (the parent it references, the local record holding its business key); a sync
retries only the rows whose record or own newer version it downloads, plus all of them on a
periodic safety net. Existing rows have none and are retried by that safety net.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_set_aside_waits_for"
down_revision = "0014_work_calendar"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sync_set_aside", sa.Column("waits_for", sa.String(length=120), nullable=True))
    op.create_index("ix_sync_set_aside_waits_for", "sync_set_aside", ["waits_for"])


def downgrade() -> None:
    op.drop_index("ix_sync_set_aside_waits_for", table_name="sync_set_aside")
    op.drop_column("sync_set_aside", "waits_for")
