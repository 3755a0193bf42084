"""console: complaints counted by the month they were registered; accounts limited to grids

Revision ID: s0009
Revises: s0008

Issue 18:
* ``desk_referral.registered_month``: the month a referral was registered (the synced
  ``registered_on``, device migration 0017; older referrals: their visit's day, else their due
  date). The dashboard counts complaints per grid by it, no longer by the due month. The
  figures' cursor is dropped, so they are rebuilt: run ``keyacct-server desk-facts rebuild``
  after this upgrade (docs/DEPLOY.md §5), or the first dashboard view does it.
* ``account_grid``: the grids a specialist or supervisor is limited to on the web console
  (``keyacct-server set-grids``); an account without any sees every grid, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0009"
down_revision = "s0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("desk_referral") as batch:
        batch.add_column(sa.Column("registered_month", sa.String(length=7), nullable=True))
    op.create_index(
        "ix_desk_referral_registered", "desk_referral", ["grid_id", "registered_month"]
    )
    op.execute(sa.text("DELETE FROM desk_state WHERE name = 'cursor'"))
    op.create_table(
        "account_grid",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_account_grid_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "grid_id", name=op.f("pk_account_grid")),
    )


def downgrade() -> None:
    op.drop_table("account_grid")
    op.drop_index("ix_desk_referral_registered", table_name="desk_referral")
    with op.batch_alter_table("desk_referral") as batch:
        batch.drop_column("registered_month")
    op.execute(sa.text("DELETE FROM desk_state WHERE name = 'cursor'"))
