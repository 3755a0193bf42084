"""sign-in throttling, expiring and rotating device tokens

Revision ID: s0004
Revises: s0002
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "s0004"
down_revision = "s0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("token_issued_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("token_expires_at", sa.DateTime(), nullable=True))
    # Devices signed in before tokens expired keep working for one token lifetime (30 days)
    # and are rotated at their next sync, instead of all being signed out by the upgrade.
    now = datetime.now(UTC).replace(tzinfo=None)
    device = sa.table(
        "device",
        sa.column("token_issued_at", sa.DateTime()),
        sa.column("token_expires_at", sa.DateTime()),
        sa.column("created_at", sa.DateTime()),
    )
    op.execute(
        device.update().values(
            token_issued_at=device.c.created_at, token_expires_at=now + timedelta(days=30)
        )
    )
    op.create_table(
        "retired_token",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("valid_until", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["device.id"],
            name=op.f("fk_retired_token_device_id_device"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_retired_token")),
    )
    op.create_index(
        op.f("ix_retired_token_device_id"), "retired_token", ["device_id"], unique=False
    )
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    op.drop_index(op.f("ix_retired_token_device_id"), table_name="retired_token")
    op.drop_table("retired_token")
    with op.batch_alter_table("device") as batch:
        batch.drop_column("token_expires_at")
        batch.drop_column("token_issued_at")
