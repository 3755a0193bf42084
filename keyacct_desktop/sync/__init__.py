"""Offline-first sync: the wire codec and the client. No Qt here."""
