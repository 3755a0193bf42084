"""customer search index: FTS5 trigram over name, account no., USCC and contacts

Revision ID: 0007_customer_search
Revises: 0003_sync_inbox

One document per customer (rowid = the customer's rowid) holding its name, account number,
USCC and every contact's name and phone numbers, kept current by triggers, so any Chinese
substring of three or more characters is found through the index (``MATCH``) and shorter ones
scan only this one narrow table (``LIKE``), never a subquery per customer.
"""

from __future__ import annotations

from alembic import op

revision = "0007_customer_search"
down_revision = "0003_sync_inbox"
branch_labels = None
depends_on = None

BODY = """coalesce(c.name, '') || ' ' || coalesce(c.account_no, '') || ' ' || coalesce(c.uscc, '')
 || ' ' || coalesce((SELECT group_concat(coalesce(k.name, '') || ' ' || coalesce(k.mobile, '')
 || ' ' || coalesce(k.landline, ''), ' ') FROM contact k WHERE k.customer_id = c.id), '')"""


def _refresh(customer_id: str) -> str:
    """Statements that rewrite the document of one customer (by its id expression)."""
    return (
        f"DELETE FROM customer_search WHERE rowid = (SELECT rowid FROM customer WHERE id = {customer_id});\n"
        f"INSERT INTO customer_search(rowid, body) SELECT c.rowid, {BODY} FROM customer c "
        f"WHERE c.id = {customer_id};"
    )


def upgrade() -> None:
    op.execute("CREATE VIRTUAL TABLE customer_search USING fts5(body, tokenize = 'trigram')")
    op.execute(f"INSERT INTO customer_search(rowid, body) SELECT c.rowid, {BODY} FROM customer c")
    op.execute(
        "CREATE TRIGGER customer_search_ai AFTER INSERT ON customer BEGIN\n"
        + _refresh("new.id")
        + "\nEND"
    )
    op.execute(
        "CREATE TRIGGER customer_search_au AFTER UPDATE OF name, account_no, uscc ON customer BEGIN\n"
        + _refresh("new.id")
        + "\nEND"
    )
    op.execute(
        "CREATE TRIGGER customer_search_bd BEFORE DELETE ON customer BEGIN\n"
        "DELETE FROM customer_search WHERE rowid = old.rowid;\nEND"
    )
    for event, ref in (("INSERT", "new"), ("DELETE", "old")):
        op.execute(
            f"CREATE TRIGGER contact_search_{event.lower()} AFTER {event} ON contact BEGIN\n"
            + _refresh(f"{ref}.customer_id")
            + "\nEND"
        )
    op.execute(
        "CREATE TRIGGER contact_search_update AFTER UPDATE OF name, mobile, landline, customer_id"
        " ON contact BEGIN\n"
        + _refresh("old.customer_id")
        + "\n"
        + _refresh("new.customer_id")
        + "\nEND"
    )


def downgrade() -> None:
    for trigger in (
        "customer_search_ai",
        "customer_search_au",
        "customer_search_bd",
        "contact_search_insert",
        "contact_search_delete",
        "contact_search_update",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS customer_search")
