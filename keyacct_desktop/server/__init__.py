"""The central server (``keyacct-server``): FastAPI over a versioned row store. No Qt here."""

#: The database URL of ``keyacct-server`` (and of its worker processes) when not given.
DATABASE_ENV = "KEYACCT_SERVER_DATABASE"
