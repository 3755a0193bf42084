"""sync integrity: who wrote a row, cascade tombstones, merge aliases, refused rows

Revision ID: s0003
Revises: s0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0003"
down_revision = "s0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_row") as batch:
        batch.add_column(sa.Column("written_by", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("cascade_of", sa.String(length=80), nullable=True))
        batch.create_index(batch.f("ix_sync_row_cascade_of"), ["cascade_of"], unique=False)
    op.create_table(
        "sync_alias",
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("old_id", sa.Uuid(), nullable=False),
        sa.Column("new_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "old_id", name=op.f("pk_sync_alias")),
    )
    op.create_table(
        "sync_refusal",
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("cause", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_sync_refusal")),
    )


def downgrade() -> None:
    op.drop_table("sync_refusal")
    op.drop_table("sync_alias")
    with op.batch_alter_table("sync_row") as batch:
        batch.drop_index(batch.f("ix_sync_row_cascade_of"))
        batch.drop_column("cascade_of")
        batch.drop_column("written_by")
