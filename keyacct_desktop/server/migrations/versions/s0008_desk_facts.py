"""specialist's desk figures: fact tables and monthly aggregates beside sync_row

Revision ID: s0008
Revises: s0005

The dashboard of the business specialist (issue 18) reads narrow copies of customers, visits
and referrals and their per-(grid, month) and per-(team, month) counts instead of grouping
hundreds of thousands of JSON documents per page view (server/desk_facts.py). The tables
start empty: the first refresh after this upgrade fills them from the row store.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0008"
down_revision = "s0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "desk_state",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_desk_state")),
    )
    op.create_table(
        "desk_customer",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=False),
        sa.Column("manager_id", sa.Uuid(), nullable=True),
        sa.Column("klass", sa.String(length=1), nullable=True),
        sa.Column("grade", sa.String(length=16), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_visit", sa.Date(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("account_no", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_desk_customer")),
    )
    op.create_index("ix_desk_customer_plan", "desk_customer", ["klass", "active"])
    op.create_index(op.f("ix_desk_customer_grid_id"), "desk_customer", ["grid_id"])
    op.create_index(op.f("ix_desk_customer_account_no"), "desk_customer", ["account_no"])
    op.create_table(
        "desk_visit",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("score_sum", sa.Integer(), nullable=False),
        sa.Column("score_count", sa.Integer(), nullable=False),
        sa.Column("complaint", sa.Boolean(), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_desk_visit")),
    )
    op.create_index("ix_desk_visit_cell", "desk_visit", ["grid_id", "month"])
    op.create_index("ix_desk_visit_customer", "desk_visit", ["customer_id", "day"])
    op.create_index("ix_desk_visit_queue", "desk_visit", ["reviewed", "completed", "day"])
    op.create_table(
        "desk_referral",
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=False),
        sa.Column("team", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("referral_id", name=op.f("pk_desk_referral")),
    )
    op.create_index("ix_desk_referral_cell", "desk_referral", ["grid_id", "month"])
    op.create_index("ix_desk_referral_team", "desk_referral", ["team", "month"])
    op.create_index("ix_desk_referral_waiting", "desk_referral", ["answered_on", "team"])
    op.create_index("ix_desk_referral_customer", "desk_referral", ["customer_id"])
    op.create_table(
        "desk_month",
        sa.Column("grid_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("scored", sa.Integer(), nullable=False),
        sa.Column("score_sum", sa.Float(), nullable=False),
        sa.Column("complaints", sa.Integer(), nullable=False),
        sa.Column("reviewed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("grid_id", "month", name=op.f("pk_desk_month")),
    )
    op.create_table(
        "desk_team_month",
        sa.Column("team", sa.String(length=32), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.Column("late", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("team", "month", name=op.f("pk_desk_team_month")),
    )


def downgrade() -> None:
    for table in (
        "desk_team_month",
        "desk_month",
        "desk_referral",
        "desk_visit",
        "desk_customer",
        "desk_state",
    ):
        op.drop_table(table)
