"""blob holders and per-account uploads: proof of possession before a blob is read

Revision ID: s0005
Revises: s0006

Until now a blob could be read by any account that could see an attachment record naming its
SHA-256, so knowing a hash was enough. From here on a blob is read through the records of
accounts that uploaded it (``blob_holder``), and uploads run per account
(``blob_upload``/``blob_upload_chunk``). Holders are filled from the audit log, where every
completed upload was recorded (``blob_uploaded``). Uploads still in progress are dropped: the
device resumes them from offset 0 at its next sync (the server reports that offset).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "s0005"
down_revision = "s0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_log_table_name_row_id", "audit_log", ["table_name", "row_id"], unique=False
    )
    op.create_table(
        "blob_holder",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"], ["blob.sha256"], name=op.f("fk_blob_holder_sha256_blob"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_blob_holder_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sha256", "account_id", name=op.f("pk_blob_holder")),
    )
    op.create_table(
        "blob_upload",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_blob_upload_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sha256", "account_id", name=op.f("pk_blob_upload")),
    )
    op.create_table(
        "blob_upload_chunk",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256", "account_id"],
            ["blob_upload.sha256", "blob_upload.account_id"],
            name=op.f("fk_blob_upload_chunk_sha256_blob_upload"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "sha256", "account_id", "offset", name=op.f("pk_blob_upload_chunk")
        ),
    )
    connection = op.get_bind()
    blob = sa.table("blob", sa.column("sha256", sa.String()), sa.column("complete", sa.Boolean()))
    chunk = sa.table("blob_chunk", sa.column("sha256", sa.String()))
    audit = sa.table(
        "audit_log",
        sa.column("account_id", sa.Uuid()),
        sa.column("action", sa.String()),
        sa.column("detail", sa.JSON()),
    )
    account = sa.table("account", sa.column("id", sa.Uuid()))
    unfinished = sa.select(blob.c.sha256).where(blob.c.complete.is_(False))
    connection.execute(chunk.delete().where(chunk.c.sha256.in_(unfinished)))
    connection.execute(blob.delete().where(blob.c.complete.is_(False)))
    complete = set(connection.scalars(sa.select(blob.c.sha256)))
    accounts = set(connection.scalars(sa.select(account.c.id)))
    holders = {
        (detail["sha256"], account_id)
        for account_id, detail in connection.execute(
            sa.select(audit.c.account_id, audit.c.detail).where(
                audit.c.action == "blob_uploaded"
            )
        )
        if account_id in accounts
        and isinstance(detail, dict)
        and detail.get("sha256") in complete
    }
    if holders:
        holder = sa.table(
            "blob_holder",
            sa.column("sha256", sa.String()),
            sa.column("account_id", sa.Uuid()),
            sa.column("at", sa.DateTime()),
        )
        now = datetime.now(UTC).replace(tzinfo=None)
        connection.execute(
            holder.insert(),
            [{"sha256": sha, "account_id": who, "at": now} for sha, who in sorted(holders)],
        )


def downgrade() -> None:
    op.drop_table("blob_upload_chunk")
    op.drop_table("blob_upload")
    op.drop_table("blob_holder")
    op.drop_index("ix_audit_log_table_name_row_id", table_name="audit_log")
