"""Sync in the GUI: the background controller, the status-bar indicator."""
