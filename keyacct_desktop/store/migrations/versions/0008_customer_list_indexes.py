"""customer list indexes: one- and two-character search grams, sort columns

Revision ID: 0008_customer_list_indexes
Revises: 0007_customer_search

The trigram index of 0007 cannot answer searches shorter than three characters, and those
are the first keystrokes of every search: a scan of 100,000 documents for each. This adds
``customer_grams``, a contentless FTS5 table (``detail=none``: doc ids only) holding every
single character and every pair of adjacent characters of a customer's search document, so
``冷`` or ``冷链`` is one index lookup, counted exactly. Each gram is stored as the hex of its
UTF-8 bytes, so the ``ascii`` tokenizer keeps any character (CJK, digits, punctuation) as one
token. ASCII letters are folded to lower case, as the trigram index and ``LIKE`` fold them.

FTS5 cannot split text into characters itself, and triggers cannot use a recursive CTE, so
the grams are built with ``customer_search_position`` (1..MAX_POSITION). Characters after
that position of one customer's document (hundreds of contacts) are found by searches of
three or more characters only.

The triggers of 0007 are replaced by ones that keep both indexes: a contentless table is
told what to forget (``'delete'`` with the old grams), rebuilt from the old document, which
is still in ``customer_search`` when the trigger starts.

Also indexes the numeric sort columns of the list, so the first screenful of a list sorted by
consumption, capacity or voltage walks an index instead of sorting every customer.
"""

from __future__ import annotations

from alembic import op

revision = "0008_customer_list_indexes"
down_revision = "0007_customer_search"
branch_labels = None
depends_on = None

#: Positions of the grams helper table: characters of one customer's search document.
MAX_POSITION = 8192

#: The search document of customer ``c`` (as 0007 builds it).
BODY = """coalesce(c.name, '') || ' ' || coalesce(c.account_no, '') || ' ' || coalesce(c.uscc, '')
 || ' ' || coalesce((SELECT group_concat(coalesce(k.name, '') || ' ' || coalesce(k.mobile, '')
 || ' ' || coalesce(k.landline, ''), ' ') FROM contact k WHERE k.customer_id = c.id), '')"""

#: The grams of document ``d.t`` (lower-cased): each character and each pair, spaces skipped.
GRAMS = """(SELECT group_concat(CASE WHEN substr(d.t, p.n, 1) = ' ' THEN '' ELSE
 hex(substr(d.t, p.n, 1)) || CASE WHEN substr(d.t, p.n + 1, 1) IN (' ', '') THEN ''
 ELSE ' ' || hex(substr(d.t, p.n, 2)) END END, ' ')
 FROM customer_search_position p WHERE p.n <= length(d.t))"""

SORT_INDEXES = {
    "ix_customer_annual_kwh": "annual_kwh",
    "ix_customer_capacity_kva": "capacity_kva",
    "ix_customer_voltage_kv": "voltage_kv",
}


def _rowid(customer_id: str) -> str:
    return f"(SELECT rowid FROM customer WHERE id = {customer_id})"


def _documents(where: str) -> str:
    """A derived table ``d(rowid, t)``: lower-cased search documents matching ``where``."""
    return f"(SELECT rowid AS rowid, lower(body) AS t FROM customer_search WHERE {where}) d"


def _forget(rowid: str) -> str:
    """Statements that remove one customer's document from both indexes."""
    return (
        "INSERT INTO customer_grams(customer_grams, rowid, grams) "
        f"SELECT 'delete', d.rowid, {GRAMS} FROM {_documents(f'rowid = {rowid}')};\n"
        f"DELETE FROM customer_search WHERE rowid = {rowid};"
    )


def _refresh(customer_id: str) -> str:
    """Statements that rewrite the documents of one customer (by its id expression)."""
    rowid = _rowid(customer_id)
    return (
        _forget(rowid)
        + "\n"
        + f"INSERT INTO customer_search(rowid, body) SELECT c.rowid, {BODY} FROM customer c "
        f"WHERE c.id = {customer_id};\n"
        f"INSERT INTO customer_grams(rowid, grams) "
        f"SELECT d.rowid, {GRAMS} FROM {_documents(f'rowid = {rowid}')};"
    )


def _refresh_search_only(customer_id: str) -> str:
    """0007's statements (for the downgrade)."""
    return (
        f"DELETE FROM customer_search WHERE rowid = {_rowid(customer_id)};\n"
        f"INSERT INTO customer_search(rowid, body) SELECT c.rowid, {BODY} FROM customer c "
        f"WHERE c.id = {customer_id};"
    )


TRIGGERS = (
    "customer_search_ai",
    "customer_search_au",
    "customer_search_bd",
    "contact_search_insert",
    "contact_search_delete",
    "contact_search_update",
)


def _create_triggers(refresh, forget_customer: str) -> None:  # type: ignore[no-untyped-def]
    op.execute(
        "CREATE TRIGGER customer_search_ai AFTER INSERT ON customer BEGIN\n"
        + refresh("new.id")
        + "\nEND"
    )
    op.execute(
        "CREATE TRIGGER customer_search_au AFTER UPDATE OF name, account_no, uscc ON customer"
        " BEGIN\n" + refresh("new.id") + "\nEND"
    )
    op.execute(
        "CREATE TRIGGER customer_search_bd BEFORE DELETE ON customer BEGIN\n"
        + forget_customer
        + "\nEND"
    )
    for event, ref in (("INSERT", "new"), ("DELETE", "old")):
        op.execute(
            f"CREATE TRIGGER contact_search_{event.lower()} AFTER {event} ON contact BEGIN\n"
            + refresh(f"{ref}.customer_id")
            + "\nEND"
        )
    op.execute(
        "CREATE TRIGGER contact_search_update AFTER UPDATE OF name, mobile, landline, customer_id"
        " ON contact BEGIN\n"
        + refresh("old.customer_id")
        + "\n"
        + refresh("new.customer_id")
        + "\nEND"
    )


def _drop_triggers() -> None:
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")


def upgrade() -> None:
    op.execute("CREATE TABLE customer_search_position (n INTEGER PRIMARY KEY)")
    op.execute(
        "WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p "
        f"WHERE n < {MAX_POSITION}) INSERT INTO customer_search_position(n) SELECT n FROM p"
    )
    op.execute(
        "CREATE VIRTUAL TABLE customer_grams USING fts5(grams, content = '', detail = none,"
        " columnsize = 0, tokenize = 'ascii')"
    )
    op.execute(
        f"INSERT INTO customer_grams(rowid, grams) SELECT d.rowid, {GRAMS} FROM {_documents('1')}"
    )
    _drop_triggers()
    _create_triggers(_refresh, _forget("old.rowid"))
    for name, column in SORT_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON customer ({column})")


def downgrade() -> None:
    for name in SORT_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    _drop_triggers()
    _create_triggers(_refresh_search_only, "DELETE FROM customer_search WHERE rowid = old.rowid;")
    op.execute("DROP TABLE IF EXISTS customer_grams")
    op.execute("DROP TABLE IF EXISTS customer_search_position")
