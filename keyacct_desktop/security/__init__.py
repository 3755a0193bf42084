"""Field data security: store keys, encryption at rest, protected files, device wipe.

No Qt here: the GUI (``gui/security``) and the command line both build on these functions.
"""
