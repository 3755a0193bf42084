"""customer risk indicators dated: when 回收率/准时率/overdue/violation figures were updated

Revision ID: 0011_customer_risk_updated_on
Revises: 0010_sync_refused_set_aside

The credit and arrears indicators are copied from the billing system now and then; a 回收率
of 100 % means little without the day it was read. ``customer.risk_updated_on`` keeps that
day; the editor shows and edits it with the indicators, and imports/exports carry it.
Existing rows have no date (NULL): nobody knows when their figures were taken.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_customer_risk_updated_on"
down_revision = "0010_sync_refused_set_aside"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customer", sa.Column("risk_updated_on", sa.Date(), nullable=True))


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place; a batch copy of ``customer`` would rename the
    # table under the search triggers of 0008 that name it, and fail.
    op.drop_column("customer", "risk_updated_on")
