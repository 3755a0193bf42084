"""customer economics: monthly history and arrears follow-up actions

Revision ID: 0013_customer_economics
Revises: 0009_checklist_step_clocks
Create Date: 2026-12-02 09:03:48.583865

Two new synced tables (issue 19):

* ``customer_month``: one billing month per customer from the marketing system's exports
  (kWh with peak/flat/valley, bill, basic charge, max demand, power factor, paid, arrears);
  unique per customer and month, its id derived from both so devices agree on it;
* ``arrears_action``: calls, visits, written reminders, instalment/prepayment agreements,
  guarantees and deposits logged while collecting a bill.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0013_customer_economics'
down_revision = '0009_checklist_step_clocks'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('arrears_action',
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('contact_name', sa.String(length=64), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('amount_yuan', sa.Float(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('instalments', sa.JSON(), nullable=False),
    sa.Column('notice_number', sa.String(length=40), nullable=True),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_arrears_action_created_by_user')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_arrears_action_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arrears_action'))
    )
    with op.batch_alter_table('arrears_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arrears_action_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_arrears_action_done_on'), ['done_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_arrears_action_version'), ['version'], unique=False)

    op.create_table('customer_month',
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('kwh', sa.Float(), nullable=True),
    sa.Column('kwh_peak', sa.Float(), nullable=True),
    sa.Column('kwh_flat', sa.Float(), nullable=True),
    sa.Column('kwh_valley', sa.Float(), nullable=True),
    sa.Column('bill_yuan', sa.Float(), nullable=True),
    sa.Column('basic_charge_yuan', sa.Float(), nullable=True),
    sa.Column('billing_mode', sa.String(length=16), nullable=True),
    sa.Column('declared_demand_kw', sa.Float(), nullable=True),
    sa.Column('max_demand_kw', sa.Float(), nullable=True),
    sa.Column('power_factor', sa.Float(), nullable=True),
    sa.Column('paid_yuan', sa.Float(), nullable=True),
    sa.Column('arrears_yuan', sa.Float(), nullable=True),
    sa.Column('overdue_days', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_customer_month_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_month')),
    sa.UniqueConstraint('customer_id', 'month', name=op.f('uq_customer_month_customer_id'))
    )
    with op.batch_alter_table('customer_month', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_month_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_month_month'), ['month'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_month_version'), ['version'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('customer_month', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_month_version'))
        batch_op.drop_index(batch_op.f('ix_customer_month_month'))
        batch_op.drop_index(batch_op.f('ix_customer_month_customer_id'))

    op.drop_table('customer_month')
    with op.batch_alter_table('arrears_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_arrears_action_version'))
        batch_op.drop_index(batch_op.f('ix_arrears_action_done_on'))
        batch_op.drop_index(batch_op.f('ix_arrears_action_customer_id'))

    op.drop_table('arrears_action')
