"""visit review: the business specialist's rating and comments on a visit report

Revision ID: 0015_visit_review
Revises: 0013_customer_economics
Create Date: 2026-12-02 14:20:00

One new synced table (issue 18): ``visit_review``, written on the server's web console by
the business specialist (业务专员) and received by the laptops that see the visit. One per
visit (unique ``visit_id``; its id is UUID5 of the visit's, so reviews never collide).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0015_visit_review'
down_revision = '0013_customer_economics'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('visit_review',
    sa.Column('visit_id', sa.Uuid(), nullable=False),
    sa.Column('reviewer_id', sa.Uuid(), nullable=True),
    sa.Column('rating', sa.String(length=16), nullable=False),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user.id'], name=op.f('fk_visit_review_reviewer_id_user')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_review_visit_id_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_review')),
    sa.UniqueConstraint('visit_id', name=op.f('uq_visit_review_visit_id'))
    )
    with op.batch_alter_table('visit_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_review_version'), ['version'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('visit_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_review_version'))

    op.drop_table('visit_review')
