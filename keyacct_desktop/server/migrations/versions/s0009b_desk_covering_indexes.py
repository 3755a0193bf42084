"""specialist's dashboard: covering indexes for its two largest groupings

Revision ID: s0009b
Revises: s0009

Issue 18 (dashboard p95): the coverage figure groups the ~25,000 pooled A/B customers of
100,000 and the team figure the ~3,500 unanswered referrals; with these the database reads
only the index (no heap pages, once VACUUM has marked them visible:
``keyacct-server desk-facts rebuild`` does it).
"""

from __future__ import annotations

from alembic import op

revision = "s0009b"
down_revision = "s0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_desk_customer_coverage",
        "desk_customer",
        ["klass", "active", "manager_id", "grid_id", "grade", "last_visit"],
    )
    op.create_index(
        "ix_desk_referral_open", "desk_referral", ["answered_on", "team", "due_on", "grid_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_desk_referral_open", table_name="desk_referral")
    op.drop_index("ix_desk_customer_coverage", table_name="desk_customer")
