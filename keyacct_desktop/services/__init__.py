"""Application services: one call per user action, one session per call, plain data out."""
