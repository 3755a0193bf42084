"""Subcommands of ``keyacct``; each module exposes ``register(subparsers)``."""
