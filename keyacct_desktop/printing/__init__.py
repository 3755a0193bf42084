"""Printed documents (ReportLab, no Qt): visit reports, checklists, plan handouts, outage notices."""
