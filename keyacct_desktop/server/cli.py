"""``keyacct-server``: run the central server and administer it.

keyacct-server serve [--database URL] [--host H] [--port P] [--certfile F --keyfile F]
keyacct-server create-user NAME --role manager|supervisor|admin|specialist [--display-name X]  (password on stdin)
keyacct-server create-user NAME --role team --team CODE [--display-name X]  (web console only)
keyacct-server list-accounts
keyacct-server set-grids NAME [GRID ...]  (limit a specialist/supervisor to grids; none: all)
keyacct-server list-devices [--user NAME]
keyacct-server disable-account NAME | enable-account NAME
keyacct-server revoke-device DEVICE_ID
keyacct-server reset-password NAME  (new password on stdin; revokes the account's devices)
keyacct-server unlock [NAME] [--address IP]  (lift a sign-in lock)
keyacct-server migrate
keyacct-server after-restore  (once, after restoring a backup)
keyacct-server demo --customers N --managers M  (password on stdin)
keyacct-server desk-facts rebuild | status  (the specialist's dashboard figures)
keyacct-server calendar list | import FILE [--year Y] [--status S] | set DATE holiday|workday
               | unset DATE | status YEAR official|estimated   (the work calendar devices sync)
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import platformdirs

from keyacct_desktop.domain.enums import BackOfficeTeam
from keyacct_desktop.server import DATABASE_ENV

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def default_database() -> str:
    if os.environ.get(DATABASE_ENV):
        return os.environ[DATABASE_ENV]
    folder = platformdirs.user_data_path("KeyAcctServer", appauthor=False)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'server.sqlite3'}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="keyacct-server", description="KeyAcct central sync server"
    )
    parser.add_argument(
        "--database",
        default=None,
        help=f"SQLAlchemy URL (default: ${DATABASE_ENV} or a SQLite file)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--certfile", help="TLS certificate (PEM); with --keyfile serves HTTPS")
    serve.add_argument("--keyfile", help="TLS private key (PEM)")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes (PostgreSQL only: a SQLite server always runs one)",
    )
    serve.add_argument(
        "--log-format",
        choices=["text", "json"],
        default="text",
        help="server log on stderr: plain text or one JSON object per line",
    )
    serve.add_argument(
        "--access-log", action="store_true", help="log every request (route, status, time)"
    )
    serve.add_argument(
        "--graceful-timeout",
        type=float,
        default=30.0,
        help="on SIGTERM, seconds to let requests in flight finish (default 30)",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="addresses of reverse proxies whose X-Forwarded-For is trusted (the client "
        "address sign-in throttling counts); default: a proxy on this machine",
    )
    serve.add_argument(
        "--no-migrate",
        action="store_true",
        help="do not upgrade the schema at start (rolling restarts: run `migrate` first)",
    )
    user = sub.add_parser("create-user", help="create an account (password read from stdin)")
    user.add_argument("username")
    user.add_argument(
        "--role",
        choices=["manager", "supervisor", "admin", "team", "specialist"],
        required=True,
        help="team (back-office team member) and specialist (业务专员) use the web console",
    )
    user.add_argument(
        "--team",
        choices=[team.value for team in BackOfficeTeam],
        help="the back-office team of a --role team account",
    )
    user.add_argument("--display-name")
    sub.add_parser("list-accounts", help="accounts, their roles, state and devices")
    grids = sub.add_parser(
        "set-grids",
        help="limit a specialist or supervisor to grids on the web console (names or ids; "
        "none: every grid)",
    )
    grids.add_argument("username")
    grids.add_argument("grids", nargs="*", metavar="GRID")
    devices = sub.add_parser("list-devices", help="signed-in devices (of one account)")
    devices.add_argument("--user", help="only this account's devices")
    for name, text in (
        ("disable-account", "refuse the account's sign-in and devices (its data stays)"),
        ("enable-account", "let a disabled account sign in again"),
    ):
        sub.add_parser(name, help=text).add_argument("username")
    revoke = sub.add_parser("revoke-device", help="cut a device off at its next contact")
    revoke.add_argument("device_id")
    reset = sub.add_parser(
        "reset-password", help="set a new password (read from stdin); revokes all its devices"
    )
    reset.add_argument("username")
    unlock = sub.add_parser("unlock", help="lift the sign-in lock of a user name or address")
    unlock.add_argument("username", nargs="?")
    unlock.add_argument("--address", help="client IP address to unlock")
    sub.add_parser("migrate", help="bring the database schema up to date")
    sub.add_parser(
        "after-restore",
        help="run once after restoring a backup, before serving: new changes get versions "
        "above every device's cursor",
    )
    calendar = sub.add_parser(
        "calendar",
        help="the work calendar (holidays, 调休 workdays) every device downloads at its sync",
    )
    cal = calendar.add_subparsers(dest="calendar_command", required=True)
    cal.add_parser("list", help="every year, its status and where it comes from")
    imp = cal.add_parser(
        "import", help="import a year from a JSON (cn-YYYY.json format) or CSV (date,kind) file"
    )
    imp.add_argument("file")
    imp.add_argument("--year", type=int, help="the year the file must hold")
    imp.add_argument(
        "--status",
        choices=["official", "estimated"],
        help="default: the JSON file's status; official for a CSV file",
    )
    day = cal.add_parser("set", help="make a day a holiday or a make-up workday (调休)")
    day.add_argument("date", help="YYYY-MM-DD")
    day.add_argument("kind", choices=["holiday", "workday"])
    cal.add_parser("unset", help="make a day an ordinary weekday/weekend again").add_argument(
        "date", help="YYYY-MM-DD"
    )
    mark = cal.add_parser("status", help="mark a year official (published) or estimated")
    mark.add_argument("year", type=int)
    mark.add_argument("status", choices=["official", "estimated"])
    facts = sub.add_parser(
        "desk-facts",
        help="the specialist's dashboard figures (web console): rebuild them ahead of the "
        "first page view after an upgrade or a restore, or show how far behind they are",
    )
    facts_sub = facts.add_subparsers(dest="facts_command", required=True)
    facts_sub.add_parser("rebuild", help="recompute every figure from the synced records")
    facts_sub.add_parser("status", help="the figures' cursor against the newest change")
    demo = sub.add_parser(
        "demo",
        help="fill an EMPTY database with demo grids, managers, customers, visits, referrals "
        "(account password read from stdin)",
    )
    demo.add_argument("--customers", type=int, default=10_000)
    demo.add_argument("--managers", type=int, default=30)
    demo.add_argument("--seed", type=int, default=None)
    demo.add_argument(
        "--referrals",
        type=int,
        default=0,
        help="at least this many referrals: complaints and phoned-in demands without a visit "
        "are added to those the visits raise",
    )
    return parser


def serve(database: str, args: argparse.Namespace) -> int:
    """Run uvicorn: httptools and uvloop when installed, no access log (it costs as much as a
    small request), and several processes only for PostgreSQL.

    SQLite serialises writers; within one process requests queue on the event loop, while
    between processes they would poll for the file lock (sleeps of up to 100 ms), so a SQLite
    server runs one process.
    """
    import uvicorn

    workers = max(1, args.workers)
    if workers > 1 and database.startswith("sqlite"):
        print("a SQLite server runs one process; --workers ignored", file=sys.stderr)
        workers = 1
    if workers > 1 and not os.environ.get(MULTIPROC_ENV):
        # Prometheus multiprocess mode: each worker writes its figures to this folder and a
        # scrape of any worker sums them (set before any worker imports prometheus_client).
        os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix="keyacct-metrics-")
    from keyacct_desktop.server.ops import logging_config

    options: dict[str, object] = {
        "host": args.host,
        "port": args.port,
        "ssl_certfile": args.certfile,
        "ssl_keyfile": args.keyfile,
        "log_level": "info",
        "log_config": logging_config(args.log_format, args.access_log),
        "access_log": False,
        "backlog": 4096,
        # SIGTERM: stop accepting, let requests in flight (a push being committed) finish.
        "timeout_graceful_shutdown": args.graceful_timeout,
        "proxy_headers": True,
        "forwarded_allow_ips": args.forwarded_allow_ips,
    }
    if workers == 1:
        from keyacct_desktop.server.app import create_app

        uvicorn.run(create_app(database, migrate=not args.no_migrate), **options)  # type: ignore[arg-type]
        return 0
    from keyacct_desktop.server.db import migrate_server, server_engine

    if not args.no_migrate:
        engine = server_engine(database)
        migrate_server(engine)  # once, before the workers start
        engine.dispose()
    os.environ[DATABASE_ENV] = database
    uvicorn.run(
        "keyacct_desktop.server.app:app_from_environment",
        factory=True,
        workers=workers,
        **options,  # type: ignore[arg-type]
    )
    return 0


#: What ``keyacct-server`` needs beyond the desktop app: the ``server`` extra.
SERVER_MODULES: tuple[str, ...] = ("fastapi", "pydantic", "uvicorn", "prometheus_client")


def missing_server_packages(database: str) -> list[str]:
    """The packages of ``keyacct-desktop[server]`` this command needs and cannot find.

    A desktop install (``pip install keyacct-desktop``) has the ``keyacct-server`` script but
    not the server's packages; it should say so instead of failing with a traceback.
    """
    needed = [*SERVER_MODULES, *(["psycopg"] if database.startswith("postgresql") else [])]
    missing = []
    for name in needed:
        try:  # looked up, not imported: FastAPI alone takes most of a second to import
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    database = args.database or default_database()
    missing = missing_server_packages(database)
    if missing:
        print(
            f"错误:未安装服务器组件({', '.join(missing)})。"
            '请运行 pip install "keyacct-desktop[server]"\n'
            f"Error: the server packages are not installed ({', '.join(missing)}); "
            'run pip install "keyacct-desktop[server]"',
            file=sys.stderr,
        )
        return 2
    if args.command == "serve":
        if bool(args.certfile) != bool(args.keyfile):
            print("--certfile and --keyfile go together", file=sys.stderr)
            return 2
        return serve(database, args)

    from keyacct_desktop.server.db import migrate_server, server_engine, session_factory

    engine = server_engine(database)
    migrate_server(engine)
    if args.command == "migrate":
        print("database is up to date")
        return 0
    if args.command == "after-restore":
        from keyacct_desktop.server.ops import after_restore

        try:
            before, after = after_restore(engine)
        finally:
            engine.dispose()
        print(f"version counter moved from {before:,} to {after:,}: devices will see new changes")
        return 0
    if args.command == "demo":
        try:
            return _seed(engine, args)
        finally:
            engine.dispose()
    if args.command == "desk-facts":
        try:
            return _desk_facts(engine, args.facts_command)
        finally:
            engine.dispose()
    sessions = session_factory(engine)
    try:
        with sessions.begin() as session:
            _administer(session, args)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


def _when(moment: object) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment is not None else "-"


def _administer(session: Session, args: argparse.Namespace) -> None:
    """One administration command in one transaction (ValueError: nothing was changed)."""
    from keyacct_desktop.server import accounts

    command = args.command
    if command == "create-user":
        password = sys.stdin.readline().rstrip("\n")
        account = accounts.create_account(
            session, args.username, password, args.role, args.display_name, args.team
        )
        team = f" of team {account.team}" if account.team else ""
        print(f"created {account.role}{team} {account.username} (user id {account.user_id})")
    elif command == "list-accounts":
        from keyacct_desktop.server.account_grids import grid_names_by_account

        limited = grid_names_by_account(session)
        for row in accounts.list_accounts(session):
            state = "active" if row["active"] else "DISABLED"
            locked = "  LOCKED (keyacct-server unlock)" if row["locked"] else ""
            names = limited.get(uuid.UUID(row["account_id"]))
            grids = f"  grids: {', '.join(names)}" if names else ""
            print(
                f"{row['username']:<20} {row['role']:<10} {row['team'] or '':<10} {state:<8} "
                f"devices {row['devices']:<3} {row['display_name']}{locked}{grids}"
            )
    elif command == "set-grids":
        from keyacct_desktop.server.account_grids import set_grids

        names = set_grids(session, args.username, args.grids)
        print(
            f"{args.username}: grids {', '.join(names)}"
            if names
            else f"{args.username}: every grid (no limit)"
        )
    elif command == "list-devices":
        for row in accounts.list_devices(session, args.user):
            print(
                f"{row['device_id']}  {row['username']:<16} {row['state']:<8} "
                f"last seen {_when(row['last_seen'])}  token until {_when(row['token_expires_at'])}"
                f"  {row['name']}"
            )
    elif command in ("disable-account", "enable-account"):
        account = accounts.set_active(session, args.username, command == "enable-account")
        print(f"{'enabled' if account.active else 'disabled'} {account.username}")
    elif command == "revoke-device":
        try:
            device_id = uuid.UUID(args.device_id)
        except ValueError:
            raise ValueError(f"not a device id: {args.device_id!r}") from None
        accounts.revoke_device(session, device_id)
        print(f"revoked device {args.device_id}")
    elif command == "reset-password":
        password = sys.stdin.readline().rstrip("\n")
        revoked = accounts.reset_password(session, args.username, password)
        print(f"new password set for {args.username}; {revoked} device(s) must sign in again")
    elif command == "calendar":
        _calendar(session, args)
    elif command == "unlock":
        lifted = accounts.unlock(session, username=args.username, address=args.address)
        print(f"unlocked ({lifted} lock record(s) removed)")


def _calendar(session: Session, args: argparse.Namespace) -> None:
    """``keyacct-server calendar …``: one change, a new version every device downloads."""
    from datetime import date
    from pathlib import Path

    from keyacct_desktop.server import calendar

    def day_of(text: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not a date (YYYY-MM-DD): {text!r}") from None

    command = args.calendar_command
    if command == "list":
        for year, origin in calendar.list_years(session):
            print(
                f"{year.year}  {year.status:<9}  {len(year.holidays):>3} holidays  "
                f"{len(year.extra_workdays):>2} workdays  {origin}"
            )
        return
    if command == "import":
        year = calendar.parse_file(Path(args.file), args.year, args.status)
        calendar.import_year(session, year)
    elif command in ("set", "unset"):
        year = calendar.set_day(session, day_of(args.date), getattr(args, "kind", None))
    else:
        year = calendar.set_status(session, args.year, args.status)
    print(
        f"calendar {year.year} ({year.status}): {len(year.holidays)} holidays, "
        f"{len(year.extra_workdays)} workdays; devices receive it at their next sync"
    )


def _desk_facts(engine: Any, command: str) -> int:
    """``keyacct-server desk-facts rebuild|status``."""
    from keyacct_desktop.server import desk_facts

    if command == "status":
        with engine.connect() as connection:
            cursor, newest = desk_facts.position(connection)
        behind = newest - cursor
        how = (
            "up to date"
            if behind <= 0
            else f"{behind:,} versions behind"
            + (
                " (the next page view would rebuild them: run keyacct-server desk-facts rebuild)"
                if behind > desk_facts.REBUILD_AFTER
                else " (the next page view catches up)"
            )
        )
        print(f"desk figures at version {cursor:,} of {newest:,}: {how}")
        return 0
    started = time.monotonic()
    counts = desk_facts.rebuild_now(engine)
    print(
        f"desk figures rebuilt in {time.monotonic() - started:.1f} s: "
        + ", ".join(f"{number:,} {name}" for name, number in counts.items())
    )
    return 0


def _seed(engine: Any, args: argparse.Namespace) -> int:
    """``keyacct-server demo``: progress on stderr, a summary on stdout."""
    from keyacct_desktop.demo import DEFAULT_SEED
    from keyacct_desktop.server.seed import SeedError, seed_server

    password = sys.stdin.readline().rstrip("\n")
    started = time.monotonic()

    def progress(stage: str, done: int, total: int) -> None:
        elapsed = time.monotonic() - started
        print(f"{stage}: {done:,}/{total:,} ({elapsed:.0f} s)", file=sys.stderr, flush=True)

    try:
        summary = seed_server(
            engine,
            args.customers,
            args.managers,
            password,
            seed=DEFAULT_SEED if args.seed is None else args.seed,
            progress=progress,
            referrals=args.referrals,
        )
    except SeedError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"seeded {summary.customers:,} customers, {summary.managers:,} managers "
        f"({summary.rows:,} rows) in {time.monotonic() - started:.1f} s; "
        f"accounts manager1..manager{summary.managers} and supervisor"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
