"""Dialogs shared by the document pages (checklists, plans, outages, visit reports)."""
