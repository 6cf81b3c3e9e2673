"""Back up and restore the database the settings resolve to.

    python -m backend.scripts.backup create
    python -m backend.scripts.backup list
    python -m backend.scripts.backup restore NAME [--yes]
    python -m backend.scripts.backup delete NAME

Rerunning ``create`` is always safe: each run writes a new file and retention
(BACKUP_RETENTION) removes the oldest. ``restore`` shows what it will replace and asks first;
it refuses to run unattended unless given --yes.

Installed as ``sms-backup`` too. Exit codes are the shared ones (docs/CLI.md); EXIT_FOR says
which an error of each kind gives.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

from sqlalchemy import func, inspect, select, table
from sqlalchemy.exc import SQLAlchemyError

from backend.backups import service as backup
from backend.backups.errors import BackupError
from backend.backups.service import BackupOptions
from backend.backups.store import BackupInfo
from backend.cli import exit_codes
from backend.cli.errors import database_error_code
from backend.config import ConfigError, Settings, load_database_settings
from backend.db.engine_builder import create_database_engine
from backend.db.errors import describe_db_error
from backend.db.session import Database

EXIT_FOR = {
    "invalid": exit_codes.USAGE,
    "not_found": exit_codes.USAGE,
    # Busy or unreachable: rerun later, as with a locked or unreachable database in every tool.
    "busy": exit_codes.USAGE,
    "unavailable": exit_codes.USAGE,
    "conflict": exit_codes.SCHEMA,  # the other engine's backup, or a schema this code cannot restore
    "corrupt": exit_codes.DATA,
    "failed": exit_codes.FAILED,
}
COLOURS = {"error": "31", "warning": "33", "ok": "32"}
LOCAL_HOSTS = {None, "", "localhost", "127.0.0.1", "::1"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m backend.scripts.backup",
        description="Back up and restore the SMS database the settings (.env) resolve to.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text in (
        ("create", "back up the active database now (then apply BACKUP_RETENTION)"),
        ("list", "list the backups, newest first, one a line, file name first"),
    ):
        commands.add_parser(name, parents=[common], help=text, description=text)
    text = "replace ALL live data with a backup (asks first)"
    restore = commands.add_parser("restore", parents=[common], help=text, description=text)
    restore.add_argument("name", metavar="NAME", help="the backup's file name, as `list` shows it")
    restore.add_argument("--yes", action="store_true", help="do not ask; needed when not run in a terminal")
    text = "delete a backup file and its metadata"
    delete = commands.add_parser("delete", parents=[common], help=text, description=text)
    delete.add_argument("name", metavar="NAME", help="the backup's file name, as `list` shows it")
    return parser


def main(argv: list[str] | None = None, *, stdin: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    stdin = stdin or sys.stdin
    try:
        settings = load_database_settings()
    except ConfigError as exc:
        return _fail(exit_codes.USAGE, f"the settings cannot be used: {exc}")
    options = BackupOptions.from_settings(settings)
    try:
        if args.command == "list":
            return _list(options, as_json=args.json)
        if args.command == "delete":
            backup.delete_backup(backup_dir=options.backup_dir, name=args.name)
            _emit(args.json, {"deleted": args.name}, lambda: _say("ok", f"deleted {args.name}"))
            return exit_codes.OK
        if args.command == "create":
            return _with_database(settings, lambda db: _create(db, options, as_json=args.json))
        return _with_database(
            settings,
            lambda db: _restore(db, options, args.name, yes=args.yes, stdin=stdin, as_json=args.json),
        )
    except BackupError as exc:
        return _fail(EXIT_FOR[exc.kind], str(exc))


def _list(options: BackupOptions, *, as_json: bool) -> int:
    found = backup.list_backups(backup_dir=options.backup_dir)
    if as_json:
        print(json.dumps([_info_dict(info) for info in found], indent=2))
        return exit_codes.OK
    if not found:
        _say("warning", f"no backups in {options.backup_dir}", stream=sys.stderr)
    for info in found:
        print(
            f"{info.name}  {info.created_at:%Y-%m-%d %H:%M:%S}Z  {info.engine}  "
            f"schema {info.schema_revision or 'none'}  {_size(info.size_bytes)}  "
            f"{sum(info.row_counts.values())} rows"
        )
    return exit_codes.OK


def _create(database: Database, options: BackupOptions, *, as_json: bool) -> int:
    report = backup.create_backup(database=database, options=options)
    info = report.backup
    payload = {**_info_dict(info), "removed_by_retention": report.removed, "duration_s": report.duration_s}

    def human() -> None:
        _say(
            "ok",
            f"{info.name}  created: {_size(info.size_bytes)}, {sum(info.row_counts.values())} rows, "
            f"schema {info.schema_revision or 'none'}, {report.duration_s:.2f} s, in {options.backup_dir}",
        )
        for name in report.removed:
            print(f"removed {name} (BACKUP_RETENTION={options.retention})")

    _emit(as_json, payload, human)
    return exit_codes.OK


def _restore(
    database: Database, options: BackupOptions, name: str, *, yes: bool, stdin: TextIO, as_json: bool
) -> int:
    info = backup.get_backup(backup_dir=options.backup_dir, name=name)
    if not yes:
        if not stdin.isatty():
            return _fail(
                exit_codes.USAGE,
                "restore replaces ALL live data and needs a confirmation: "
                "run it in a terminal, or pass --yes",
            )
        if not _confirm(database, info, stdin):
            return _fail(exit_codes.USAGE, "restore aborted: nothing was changed")
    report = backup.restore_backup(database=database, options=options, name=name)
    upgraded = (
        f", schema upgraded {report.upgraded_from} -> {report.schema_revision}"
        if report.upgraded_from
        else ""
    )
    _emit(
        as_json,
        report.as_dict(),
        lambda: _say(
            "ok",
            f"restored {name} into {database.resolved.masked_url}: {sum(report.row_counts.values())} rows"
            f"{upgraded}, {report.duration_s:.2f} s",
        ),
    )
    return exit_codes.OK


def _confirm(database: Database, info: BackupInfo, stdin: TextIO) -> bool:
    url = database.resolved.url
    if database.resolved.kind == "postgresql" and url.host not in LOCAL_HOSTS:
        _say("warning", f"the target database is on {url.host}, not on this machine", stream=sys.stderr)
    live = live_row_counts(database)
    print(
        f"This replaces ALL data in {database.resolved.masked_url}\n"
        f"  now:    {_counts_line(live)}\n"
        f"  backup: {_counts_line(info.row_counts)} (made {info.created_at:%Y-%m-%d %H:%M:%S}Z, "
        f"schema {info.schema_revision or 'none'})\n"
        'Type "yes" to restore: ',
        end="",
        file=sys.stderr,
        flush=True,
    )
    return stdin.readline().strip().lower() == "yes"


def live_row_counts(database: Database) -> dict[str, int]:
    """Exact row counts of the live tables, for the operator to see what a restore replaces."""
    with database.engine.connect() as connection:
        names = inspect(connection).get_table_names()
        return {n: connection.execute(select(func.count()).select_from(table(n))).scalar_one() for n in names}


def _with_database(settings: Settings, action: Callable[[Database], int]) -> int:
    resolved = settings.database
    database = Database(resolved, create_database_engine(resolved, settings.engine_options))
    try:
        return action(database)
    except SQLAlchemyError as exc:
        return _fail(database_error_code(exc), f"{resolved.masked_url}: {describe_db_error(exc)}")
    finally:
        database.dispose()


def _info_dict(info: BackupInfo) -> dict[str, Any]:
    return {**info.as_metadata(), "checksum": info.checksum}


def _counts_line(counts: dict[str, int]) -> str:
    shown = ", ".join(f"{t} {n}" for t, n in sorted(counts.items()) if t != "alembic_version")
    return f"{sum(counts.values())} rows ({shown or 'no tables'})"


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def _emit(as_json: bool, payload: dict[str, Any], human: Callable[[], None]) -> None:
    if as_json:
        print(json.dumps(payload, indent=2, default=str))
    else:
        human()


def _say(kind: str, message: str, *, stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    prefix = {"error": "error: ", "warning": "warning: "}.get(kind, "")
    text = f"{prefix}{message}"
    if stream.isatty():
        text = f"\033[{COLOURS[kind]}m{text}\033[0m"
    print(text, file=stream)


def _fail(code: int, message: str) -> int:
    _say("error", message, stream=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
