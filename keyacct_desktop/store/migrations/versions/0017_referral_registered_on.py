"""referral: the day a demand or complaint was registered (synced)

Revision ID: 0017_referral_registered_on
Revises: 0016_set_aside_waits_for

Issue 18: complaints registered on the web (and by phone, or raised on a visit) carry the day
they were registered, so the specialist's dashboard counts complaints by the month they came
in, not by the month they fall due. Existing referrals keep None (the server falls back to
the visit's day, else the due date's month).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_referral_registered_on"
down_revision = "0016_set_aside_waits_for"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("referral") as batch:
        batch.add_column(sa.Column("registered_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("referral") as batch:
        batch.drop_column("registered_on")
