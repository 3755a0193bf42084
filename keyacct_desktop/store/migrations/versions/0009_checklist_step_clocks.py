"""checklist step clocks: each utility time limit counts from its own step's start

Revision ID: 0009_checklist_step_clocks
Revises: 0008_customer_list_indexes

Until now every time limit of a one-shot checklist counted from the acceptance date, so
design review, mid-construction check, completion check and energising were "overdue" before
they could start, and customer-side lead times (减容/暂停 "apply 5 days ahead") were counted
down as utility deadlines. ``checklist_item`` gains:

* ``clock``: how the limit's clock starts, ``acceptance`` (plan reply) or ``step`` (when the
  step starts); NULL for anything not counted down;
* ``started_on`` / ``completed_on``: when the step started and was done (tracking columns,
  still writable after issue like ``received_on``).

Existing rows are kept and classified by the texts the bundled 2026.1 templates wrote (the
only source of time-limit items so far): the plan reply starts at the checklist's acceptance
date; the overall commitment ("供电企业环节合计") and the customer lead times ("…申请须提前…")
are not counted down; every other limit waits for its step to start. A limit item the
manager had marked "received" (the old app's only way to silence it) counts as completed
on that date.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_checklist_step_clocks"
down_revision = "0008_customer_list_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("checklist_item", sa.Column("clock", sa.String(length=16), nullable=True))
    op.add_column("checklist_item", sa.Column("started_on", sa.Date(), nullable=True))
    op.add_column("checklist_item", sa.Column("completed_on", sa.Date(), nullable=True))
    tracked = "kind = 'limit' AND time_limit_days IS NOT NULL"
    op.execute(
        "UPDATE checklist_item SET clock = 'acceptance', started_on = "
        "(SELECT c.accepted_on FROM checklist c WHERE c.id = checklist_item.checklist_id) "
        f"WHERE {tracked} AND text LIKE '供电方案答复%'"
    )
    op.execute(
        f"UPDATE checklist_item SET clock = 'step' WHERE {tracked} AND clock IS NULL "
        "AND text NOT LIKE '供电企业环节合计%' AND text NOT LIKE '%申请须提前%'"
    )
    op.execute(
        "UPDATE checklist_item SET completed_on = received_on "
        "WHERE clock IS NOT NULL AND received_on IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("checklist_item") as batch:
        batch.drop_column("completed_on")
        batch.drop_column("started_on")
        batch.drop_column("clock")
