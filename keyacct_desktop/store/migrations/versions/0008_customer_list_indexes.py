"""customer list indexes: one- and two-character search grams, sort columns

Revision ID: 0008_customer_list_indexes
Revises: 0007_customer_search

The trigram index of 0007 cannot answer searches shorter than three characters, and those
are the first keystrokes of every search: a scan of 100,000 documents for each. This adds
``customer_grams``, a contentless FTS5 table (``detail=none``: doc ids only) holding every
single character and every pair of adjacent characters of a customer's search document
(except digits, see ``GRAMS``), so ``冷`` or ``冷链`` is one index lookup, counted exactly. Each gram is stored as the hex of its
UTF-8 bytes, so the ``ascii`` tokenizer keeps any character (CJK, digits, punctuation) as one
token. ASCII letters are folded to lower case, as the trigram index and ``LIKE`` fold them
(SQLite's ``lower()`` folds ASCII only, in the stdlib and the SQLCipher builds alike).

FTS5 cannot split text into characters itself, and triggers cannot use a recursive CTE, so
the grams are built with ``customer_search_position`` (1..MAX_POSITION). Characters after
that position of one customer's document (hundreds of contacts) are found by searches of
three or more characters only.

The triggers of 0007 are replaced by ones that keep both indexes: a contentless table is
told what to forget (``'delete'`` with the old grams), rebuilt from the old document, which
is still in ``customer_search`` when the trigger starts. A new contact only adds its own
grams (the common case by far: imports and first syncs), so the document of a customer
with many contacts is not rebuilt once per contact.

Also indexes the numeric sort columns of the list, so the first screenful of a list sorted by
consumption, capacity or voltage walks an index instead of sorting every customer.
"""

from __future__ import annotations

from collections.abc import Callable

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

#: The grams of text ``d.t`` (lower-cased): each character, and it with the next one,
#: leaving out any with a space or a digit. Without spaces, the grams of a document are
#: the union of the grams of its fields (the document is the fields joined by spaces), so a
#: new contact adds its own grams without the document's being rebuilt; a search is trimmed,
#: so it never looks for one. Digits are most of a document (account no., USCC, phones) and
#: would more than double the index and its upkeep for searches that match nearly everyone
#: (``1``, ``13``): those walk the documents instead (``services.customers``).
#: One ``substr`` of the text per position (it walks from the start); ``LIMIT -1`` keeps
#: SQLite from flattening the subquery and walking again for each use of ``x``.
GRAMS = """(SELECT group_concat(CASE WHEN x GLOB '*[0-9 ]*' THEN
 CASE WHEN substr(x, 1, 1) GLOB '[0-9 ]' THEN NULL ELSE hex(substr(x, 1, 1)) END
 ELSE hex(substr(x, 1, 1)) || ' ' || hex(x) END, ' ')
 FROM (SELECT substr(d.t, p.n, 2) AS x FROM customer_search_position p
 WHERE p.n <= length(d.t) LIMIT -1))"""

#: The text of contact ``new`` as the document holds it.
CONTACT = """coalesce(new.name, '') || ' ' || coalesce(new.mobile, '') || ' '
 || coalesce(new.landline, '')"""

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
    """0007's statements: rewrite the trigram document only."""
    return (
        f"DELETE FROM customer_search WHERE rowid = {_rowid(customer_id)};\n"
        f"INSERT INTO customer_search(rowid, body) SELECT c.rowid, {BODY} FROM customer c "
        f"WHERE c.id = {customer_id};"
    )


def _add_customer() -> str:
    """Statements for a new customer: nothing to forget, its documents are written."""
    return (
        f"INSERT INTO customer_search(rowid, body) SELECT c.rowid, {BODY} FROM customer c "
        "WHERE c.id = new.id;\n"
        f"INSERT INTO customer_grams(rowid, grams) SELECT d.rowid, {GRAMS} "
        f"FROM {_documents('rowid = new.rowid')};"
    )


def _add_contact() -> str:
    """Statements for a new contact: its grams join its customer's (no rebuild: bulk
    inserts and first syncs add contacts by the hundred thousand), the trigram document
    is rewritten."""
    return (
        _refresh_search_only("new.customer_id") + "\nINSERT INTO customer_grams(rowid, grams) "
        f"SELECT c.rowid, {GRAMS} FROM customer c, (SELECT lower({CONTACT}) AS t) d "
        "WHERE c.id = new.customer_id;"
    )


TRIGGERS = (
    "customer_search_ai",
    "customer_search_au",
    "customer_search_bd",
    "contact_search_insert",
    "contact_search_delete",
    "contact_search_update",
)


def _create_triggers(
    refresh: Callable[[str], str], add_customer: str, forget_customer: str, add_contact: str
) -> None:
    op.execute(
        f"CREATE TRIGGER customer_search_ai AFTER INSERT ON customer BEGIN\n{add_customer}\nEND"
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
    op.execute(
        f"CREATE TRIGGER contact_search_insert AFTER INSERT ON contact BEGIN\n{add_contact}\nEND"
    )
    op.execute(
        "CREATE TRIGGER contact_search_delete AFTER DELETE ON contact BEGIN\n"
        + refresh("old.customer_id")
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
    _create_triggers(_refresh, _add_customer(), _forget("old.rowid"), _add_contact())
    for name, column in SORT_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON customer ({column})")


def downgrade() -> None:
    for name in SORT_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    _drop_triggers()
    _create_triggers(
        _refresh_search_only,
        _refresh_search_only("new.id"),
        "DELETE FROM customer_search WHERE rowid = old.rowid;",
        _refresh_search_only("new.customer_id"),
    )
    op.execute("DROP TABLE IF EXISTS customer_grams")
    op.execute("DROP TABLE IF EXISTS customer_search_position")
