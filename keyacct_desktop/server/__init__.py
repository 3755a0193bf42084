"""The central server (``keyacct-server``): FastAPI over a versioned row store. No Qt here."""
