"""web console: back-office team of an account, browser sessions, the team queue's index

Revision ID: s0006
Revises: s0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0006"
down_revision = "s0003"
branch_labels = None
depends_on = None


#: The team queue's sort key (server.web.queue uses the very same text, so that both
#: databases match the index): team, closed (1) or not (0), due date, id.
QUEUE_KEY = {
    "postgresql": (
        "(data ->> 'team')",
        "(CASE WHEN (data ->> 'state') IN ('confirmed', 'rejected') THEN 1 ELSE 0 END)",
        "(data ->> 'due_on')",
        "row_id",
    ),
    "sqlite": (
        "json_extract(data, '$.team')",
        "(CASE WHEN json_extract(data, '$.state') IN ('confirmed', 'rejected') THEN 1 ELSE 0 END)",
        "json_extract(data, '$.due_on')",
        "row_id",
    ),
}
QUEUE_ROWS = "table_name = 'referral' AND NOT deleted"


def upgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("team", sa.String(length=32), nullable=True))
    op.create_table(
        "web_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_web_session_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_web_session")),
    )
    op.create_index(op.f("ix_web_session_account_id"), "web_session", ["account_id"])
    op.create_index(op.f("ix_web_session_expires_at"), "web_session", ["expires_at"])
    # The team queue: a team's live referrals, still-open ones first, by due date.
    dialect = op.get_bind().dialect.name
    op.create_index(
        "ix_sync_row_referral_queue",
        "sync_row",
        [sa.text(e) for e in QUEUE_KEY[dialect]],
        postgresql_where=sa.text(QUEUE_ROWS),
        sqlite_where=sa.text(QUEUE_ROWS),
    )


def downgrade() -> None:
    op.drop_index("ix_sync_row_referral_queue", table_name="sync_row")
    op.drop_index(op.f("ix_web_session_expires_at"), table_name="web_session")
    op.drop_index(op.f("ix_web_session_account_id"), table_name="web_session")
    op.drop_table("web_session")
    with op.batch_alter_table("account") as batch:
        batch.drop_column("team")
