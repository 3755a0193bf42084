"""The grids a specialist or a supervisor is limited to on the web console.

An account with no grids sees every grid (as before server migration s0009); with grids, the
specialist's desk (review queue, reports, dashboard, registration) and the supervisor's view
of the team queues show only customers of those grids, and everything else answers "not
found". ``keyacct-server set-grids USER [GRID ...]`` sets them (names or ids of ``grid``
records; none: every grid again). The laptops' sync reach is not changed by this.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from keyacct_desktop.server.models import Account, AccountGrid, SyncRow

#: The roles that may be limited to grids.
GRID_ROLES = ("specialist", "supervisor")


def grids_of(session: Session, account_id: uuid.UUID) -> tuple[uuid.UUID, ...]:
    """The account's grids, sorted; () = every grid."""
    return tuple(
        sorted(
            session.scalars(select(AccountGrid.grid_id).where(AccountGrid.account_id == account_id))
        )
    )


def grid_records(session: Session) -> dict[uuid.UUID, str]:
    """Live grids: id → name."""
    return {
        row_id: str((data or {}).get("name") or "")
        for row_id, data in session.execute(
            select(SyncRow.row_id, SyncRow.data).where(
                SyncRow.table_name == "grid", SyncRow.deleted.is_(False)
            )
        )
    }


def set_grids(session: Session, username: str, wanted: Sequence[str]) -> list[str]:
    """Limit ``username`` to the grids named (names or ids); none: every grid. Returns the
    grids' names. ValueError (nothing changed) for another role or an unknown or ambiguous
    grid."""
    account = session.scalar(select(Account).where(Account.username == username))
    if account is None:
        raise ValueError(f"no account {username!r}")
    if account.role not in GRID_ROLES and wanted:
        raise ValueError(
            f"only {' and '.join(GRID_ROLES)} accounts are limited to grids "
            f"({username} is {account.role})"
        )
    known = grid_records(session)
    chosen: dict[uuid.UUID, str] = {}
    for text in wanted:
        try:
            key = uuid.UUID(text)
        except ValueError:
            matches = [grid_id for grid_id, name in known.items() if name == text.strip()]
            if len(matches) != 1:
                problem = "no grid" if not matches else f"{len(matches)} grids"
                raise ValueError(f"{problem} named {text!r} (give its id)") from None
            key = matches[0]
        if key not in known:
            raise ValueError(f"no grid with id {text}")
        chosen[key] = known[key]
    session.execute(delete(AccountGrid).where(AccountGrid.account_id == account.id))
    session.add_all(AccountGrid(account_id=account.id, grid_id=key) for key in chosen)
    session.flush()
    return sorted(chosen.values())


def grid_names_by_account(session: Session) -> dict[uuid.UUID, list[str]]:
    """account id → its grids' names (accounts without grids are left out)."""
    known = grid_records(session)
    found: dict[uuid.UUID, list[str]] = {}
    for account_id, grid_id in session.execute(select(AccountGrid.account_id, AccountGrid.grid_id)):
        found.setdefault(account_id, []).append(known.get(grid_id, str(grid_id)))
    return {key: sorted(names) for key, names in found.items()}
