"""The sync wire format, shared by the client (``keyacct_desktop.sync``) and the server
(``keyacct_desktop.server``): the protocol version (``wire``), how a synced record travels as
JSON (``codec``) and the integrity rules every pushed row is checked against (``rules``).
Both sides import it; it imports only the device store's models and the domain."""
