"""sync: refused changes kept for the manager, pulled rows set aside, conflicts outlive customers

Revision ID: 0010_sync_refused_set_aside
Revises: 0013_customer_economics

Issue 14: a change the server refuses is no longer dropped but kept in ``sync_refused`` (with
the server's code, fields and message and the user's own values) until it is resent or
discarded; a pulled row the device cannot apply waits in ``sync_set_aside`` instead of failing
every sync. The refusals the old app kept as a list in ``sync_state`` ("rejected") become rows
of ``sync_refused`` (without values: the old app had already dropped them) so they are still
shown until discarded. ``sync_conflict.customer_id`` loses its ``ON DELETE CASCADE`` foreign
key: a conflict record must never disappear with the customer it is about.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0010_sync_refused_set_aside"
down_revision = "0013_customer_economics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    refused = op.create_table(
        "sync_refused",
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("created", sa.Boolean(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("error_fields", sa.JSON(), nullable=False),
        sa.Column("message_zh", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("cause_table", sa.String(length=32), nullable=True),
        sa.Column("cause_id", sa.Uuid(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("refused_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_sync_refused")),
    )
    op.create_table(
        "sync_set_aside",
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("field_name", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("set_aside_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_sync_set_aside")),
    )
    with op.batch_alter_table("sync_conflict") as batch:
        batch.drop_constraint("fk_sync_conflict_customer_id_customer", type_="foreignkey")

    connection = op.get_bind()
    stored = connection.execute(
        sa.text("SELECT value FROM sync_state WHERE key = 'rejected'")
    ).scalar()
    entries = json.loads(stored) if isinstance(stored, str) else (stored or [])
    now = datetime.now(UTC).replace(tzinfo=None)
    rows: dict[tuple[str, uuid.UUID], dict[str, object]] = {}
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        try:
            row_id = uuid.UUID(str(entry.get("id")))
        except (ValueError, AttributeError):
            continue
        table = str(entry.get("table") or "")
        rows[(table, row_id)] = {
            "table_name": table,
            "row_id": row_id,
            "op": "upsert",
            "created": False,
            "fields": [],
            "values": {},
            "code": "legacy",
            "error_fields": [],
            "message_zh": None,
            "error": str(entry.get("error") or ""),
            "cause_table": None,
            "cause_id": None,
            "seq": index,
            "refused_at": now,
        }
    if rows:
        op.bulk_insert(refused, list(rows.values()))
    connection.execute(sa.text("DELETE FROM sync_state WHERE key = 'rejected'"))


def downgrade() -> None:
    with op.batch_alter_table("sync_conflict") as batch:
        batch.create_foreign_key(
            "fk_sync_conflict_customer_id_customer",
            "customer",
            ["customer_id"],
            ["id"],
            ondelete="CASCADE",
        )
    op.drop_table("sync_set_aside")
    op.drop_table("sync_refused")
