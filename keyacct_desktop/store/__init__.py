"""Persistence: SQLAlchemy 2.0 typed models, the local store and its migrations. No Qt here."""
