"""work calendar: the province's holidays and 调休 workdays as a synced table

Revision ID: 0014_work_calendar
Revises: 0011_customer_risk_updated_on, 0015_visit_review (also the merge of those two heads)

One row per year (issue 17), kept by an administrator on the server with
``keyacct-server calendar`` and downloaded by every device like parks and grids. A year in
this table replaces the bundled ``resources/calendar/cn-YYYY.json``; the files stay the
fallback for years the server has not published. The id of a year is derived from it, so
two administrators never create two rows for one year.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_work_calendar"
down_revision = ("0011_customer_risk_updated_on", "0015_visit_review")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_calendar",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("extra_workdays", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_calendar")),
        sa.UniqueConstraint("year", name=op.f("uq_work_calendar_year")),
    )
    with op.batch_alter_table("work_calendar", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_calendar_version"), ["version"], unique=False)


def downgrade() -> None:
    op.drop_table("work_calendar")
