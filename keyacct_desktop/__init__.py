"""KeyAcct Desktop — the offline-first workbench of key-account managers (大客户经理).

The package is layered so that dependencies point one way:
``domain`` and ``store`` (and ``services``, ``printing``, ``sync``, ``server``) never import Qt;
only ``gui`` does, and it talks to the rest through ``services``.
"""

__version__ = "0.1.0"
