"""Turn read-only mode on or off, or show it: ``python -m backend.scripts.maintenance on|off|status``.

A thin CLI over ``backend.services.maintenance``, on the database the settings resolve to (or
the SQLite file of ``--sqlite-path``, e.g. an old database left read-only by a move to
PostgreSQL). ``on`` and ``off`` write an audit row naming the operating-system user. Installed
as ``sms-maintenance`` too; exit codes are the shared ones (docs/CLI.md).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from backend.cli import exit_codes
from backend.cli.errors import database_error_code, fail
from backend.config import REPO_ROOT, ConfigError, Settings, load_database_settings
from backend.db.engine_builder import ResolvedDatabase, create_database_engine, resolve_database
from backend.db.errors import describe_db_error
from backend.services import maintenance
from backend.services.audit import Actor
from backend.services.maintenance import MaintenanceState

SQLITE_HEADER = b"SQLite format 3\x00"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m backend.scripts.maintenance",
        description="Show or switch SMS's read-only mode, kept in the database so that every app "
        "process and tool sees it at once.",
        epilog="Also installed as sms-maintenance. Exit codes: docs/CLI.md.",
    )
    parser.add_argument("action", choices=["on", "off", "status"], help="turn read-only on, off, or show it")
    parser.add_argument(
        "--reason", default="maintenance", help="why SMS is read-only, shown to its users (with on)"
    )
    parser.add_argument(
        "--sqlite-path",
        metavar="P",
        help="this SQLite file instead of the database the settings resolve to",
    )
    parser.add_argument("--json", action="store_true", help="print the state as JSON on stdout")
    return parser


def operator() -> str:
    """Who switched, as the audit row and the state say it: the OS user, by this command."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        user = "unknown user"
    return f"{user} (sms-maintenance)"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.action == "on" and not args.reason.strip():
        return fail(exit_codes.USAGE, "--reason must say why SMS is read-only")
    try:
        # The settings' engine options (SQLite's busy timeout, PostgreSQL's timeouts) apply to
        # --sqlite-path too; only the database then comes from the command line.
        settings = load_database_settings(resolve=not args.sqlite_path)
        resolved = _database(args.sqlite_path, settings)
    except ConfigError as exc:
        return fail(exit_codes.USAGE, str(exc))
    engine = create_database_engine(resolved, settings.engine_options)
    try:
        return _act(engine, resolved, args)
    except SQLAlchemyError as exc:
        return fail(database_error_code(exc), f"{resolved.masked_url}: {describe_db_error(exc)}")
    finally:
        engine.dispose()


def _database(sqlite_path: str | None, settings: Settings) -> ResolvedDatabase:
    if not sqlite_path:
        return settings.database
    path = Path(sqlite_path).expanduser().resolve()
    if not path.is_file():
        raise ConfigError(f"--sqlite-path {sqlite_path}: no such file")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise ConfigError(f"--sqlite-path {sqlite_path}: not a SQLite database")
    return resolve_database(
        database_engine=None, database_url=f"sqlite:///{path}", sqlite_path=str(path), base_dir=REPO_ROOT
    )


def _act(engine: Engine, resolved: ResolvedDatabase, args: argparse.Namespace) -> int:
    with engine.connect() as connection:
        present = maintenance.has_table(connection=connection)
    if not present:
        return fail(
            exit_codes.SCHEMA,
            f"{resolved.masked_url} has no read-only mode yet (schema older than 0004): run "
            "`python -m backend.db.migrations upgrade` with the settings pointing at it",
        )
    sessions = sessionmaker(engine)
    actor = Actor(user_id=None, email=None)
    with sessions() as session, session.begin():
        if args.action == "on":
            state = maintenance.turn_on(
                session=session, reason=args.reason, set_by=operator(), actor=actor
            ).after
        elif args.action == "off":
            state = maintenance.turn_off(session=session, set_by=operator(), actor=actor).after
        else:
            state = maintenance.get_state(session=session)
    if args.json:
        print(json.dumps({"database": resolved.masked_url, **state.as_dict()}, indent=2))
    else:
        print(f"{resolved.masked_url}: {describe(state)}")
    return exit_codes.OK


def describe(state: MaintenanceState) -> str:
    """One line: read-only (why, since when, by whom) or writable."""
    since = f"{state.since:%Y-%m-%d %H:%M:%S}Z" if state.since else "unknown"
    if state.read_only:
        return f"read-only since {since} ({state.reason or 'no reason given'}), set by {state.set_by}"
    return "writable" + (f" (since {since}, set by {state.set_by})" if state.set_by else "")


if __name__ == "__main__":
    sys.exit(main())
