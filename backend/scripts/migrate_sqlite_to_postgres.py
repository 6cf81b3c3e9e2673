"""Copy an SMS SQLite database into PostgreSQL: ``python -m backend.scripts.migrate_sqlite_to_postgres``.

A thin CLI over ``backend.transfer.migrate``; docs/MIGRATION_TOOL.md explains the steps, the
checks and the exit codes. A rerun is safe: the source's rows are only ever read (its
read-only mode is the one thing written to it), and the target changes in one transaction
that commits only after verification, so a failed or killed run leaves it as it was and the
same command can simply be run again.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any, NoReturn, TextIO

from sqlalchemy.exc import SQLAlchemyError

from backend.cli import exit_codes
from backend.config import REPO_ROOT, ConfigError, Settings, load_database_settings
from backend.core.logging import configure_logging, redact
from backend.db.engine_builder import (
    DatabaseConfigError,
    EngineOptions,
    ResolvedDatabase,
    create_database_engine,
    resolve_database,
    url_secrets,
)
from backend.db.errors import describe_db_error
from backend.transfer.errors import TransferError, UsageError
from backend.transfer.migrate import Options, classify, migrate
from backend.transfer.next_step import next_step
from backend.transfer.preflight_rules import check_encoding
from backend.transfer.report import BarProgress, JsonProgress, MigrationReport, NullProgress

log = logging.getLogger("backend.transfer")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m backend.scripts.migrate_sqlite_to_postgres",
        description="Copy every SMS table from a SQLite file into PostgreSQL, checked and verified, "
        "in one transaction.",
        epilog="Exit codes: 0 success, 2 usage or connection error, 3 schema migration failed, "
        "4 data problems (nothing written), 5 verification failed (rolled back), 1 unexpected.",
    )
    parser.add_argument(
        "--sqlite-path", help="the SQLite file (default: SQLITE_PATH, data/student_management.db)"
    )
    parser.add_argument(
        "--postgres-url",
        help="target URL, e.g. postgresql+psycopg://user:pass@host:5432/db (default: DATABASE_URL, "
        "then DATABASE_ENGINE=postgresql with POSTGRES_*)",
    )
    parser.add_argument("--batch-size", type=_positive, default=1000, help="rows per batch (default 1000)")
    parser.add_argument(
        "--tables", nargs="+", metavar="T", help="only these tables (unknown ones are skipped)"
    )
    parser.add_argument(
        "--no-truncate", action="store_true", help="append instead of emptying the tables first"
    )
    parser.add_argument(
        "--skip-migrations", action="store_true", help="do not upgrade the target schema (it must be at head)"
    )
    parser.add_argument("--dry-run", action="store_true", help="check and count everything, write nothing")
    parser.add_argument("--yes", action="store_true", help="erase rows already in the target without asking")
    parser.add_argument(
        "--keep-source-writable",
        action="store_true",
        help="after the move, put the source's read-only mode back as it was (default: it stays read-only)",
    )
    parser.add_argument(
        "--force-live-target",
        action="store_true",
        help="go on although other sessions (the app, psql) are connected to the target",
    )
    parser.add_argument(
        "--source-encoding",
        metavar="CODEC",
        help="read text that is not UTF-8 as this encoding, e.g. windows-1253 (default: report it, exit 4)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars, only the summary")
    parser.add_argument(
        "--log-level",
        default="WARNING",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="default WARNING",
    )
    parser.add_argument("--report-json", metavar="PATH", help="also write the report as JSON to PATH")
    parser.add_argument(
        "--progress-json",
        metavar="PATH",
        help="write progress as JSON lines to PATH ('-': standard output, the summary then goes to "
        "standard error): the tables, then per table start, batch, finish and verified, with rows "
        "done and total, rows/s and seconds left",
    )
    parser.add_argument(
        "--exit-on-stdin-close",
        action="store_true",
        help="stop as Ctrl-C does (roll back, put read-only mode back) when standard input closes: "
        "for a program that runs the tool and may die",
    )
    return parser


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def load_tool_settings() -> Settings:
    try:
        # The target may come from --postgres-url, so the settings' own database is not resolved here.
        return load_database_settings(resolve=False)
    except ConfigError as exc:
        raise UsageError(f"the settings (.env) are invalid: {exc}") from None


def resolve_source(sqlite_path: str | None, settings: Settings) -> Path:
    """--sqlite-path (relative to the current directory), else the app's own SQLite file."""
    if sqlite_path:
        return Path(sqlite_path).expanduser().resolve()
    if settings.DATABASE_URL and settings.DATABASE_URL.startswith("sqlite"):
        resolved = _resolve(settings.DATABASE_URL, settings)
        if resolved.sqlite_path is not None:
            return resolved.sqlite_path
    return settings.resolve_path(settings.SQLITE_PATH)


def resolve_target(postgres_url: str | None, settings: Settings) -> ResolvedDatabase:
    """--postgres-url, else DATABASE_URL, else DATABASE_ENGINE=postgresql with POSTGRES_*."""
    for raw, origin in ((postgres_url, "--postgres-url"), (settings.DATABASE_URL, "DATABASE_URL")):
        if not raw:
            continue
        resolved = _resolve(raw, settings)
        if resolved.kind == "postgresql":
            return resolved
        if origin == "--postgres-url":
            raise UsageError(
                "--postgres-url is not a PostgreSQL URL: use postgresql+psycopg://user:pass@host/db"
            )
    if (settings.DATABASE_ENGINE or "").lower() == "postgresql":
        try:
            # The app's own resolution, so the tool writes where the app will read.
            return settings.database
        except DatabaseConfigError as exc:
            raise UsageError(str(exc)) from None
    raise UsageError(
        "no PostgreSQL target: pass --postgres-url postgresql+psycopg://user:pass@host:5432/db, set "
        "DATABASE_URL, or set DATABASE_ENGINE=postgresql and POSTGRES_* in .env"
    )


def _resolve(raw: str, settings: Settings) -> ResolvedDatabase:
    # A relative sqlite:/// URL from the settings means what it means to the app: the repo root.
    try:
        return resolve_database(
            database_engine=None, database_url=raw, sqlite_path=settings.SQLITE_PATH, base_dir=REPO_ROOT
        )
    except DatabaseConfigError as exc:
        raise UsageError(str(exc)) from None


def _confirm(assume_yes: bool):  # type: ignore[no-untyped-def]
    def confirm(erase: dict[str, int]) -> bool:
        if assume_yes:
            return True
        if not sys.stdin.isatty():
            return False
        listed = "\n".join(f"  {name}: {rows:,} rows" for name, rows in erase.items())
        print(f"The target already holds rows that this migration erases:\n{listed}", file=sys.stderr)
        return input("Type 'yes' to erase them and migrate: ").strip().lower() == "yes"

    return confirm


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    secrets: list[str] = []
    report = MigrationReport(source="", target="", mode="append" if args.no_truncate else "truncate",
                             dry_run=args.dry_run)  # fmt: skip
    engine = None
    stack = contextlib.ExitStack()
    if args.exit_on_stdin_close:
        _stop_on_stdin_close()
    try:
        check_report_path(args.report_json)
        check_report_path(args.progress_json if args.progress_json != "-" else None)
        check_encoding(args.source_encoding)
        settings = load_tool_settings()
        source = resolve_source(args.sqlite_path, settings)
        target = resolve_target(args.postgres_url, settings)
        found = (target.url.password, settings.POSTGRES_PASSWORD, *url_secrets(target.url))
        secrets = [s for s in found if s]
        configure_logging(args.log_level, secrets)
        report.source, report.target = str(source), target.masked_url
        options = EngineOptions(pool_size=1, max_overflow=2, connect_timeout=settings.DB_CONNECT_TIMEOUT)
        engine = create_database_engine(target, options)
        try:
            with engine.connect():
                pass
        except SQLAlchemyError as exc:
            raise UsageError(f"cannot connect to {target.masked_url}: {describe_db_error(exc)}") from None
        show_progress = sys.stderr.isatty() and not args.quiet
        progress = _progress(args, show_progress, stack)
        migrate(
            source=source,
            engine=engine,
            options=Options(
                batch_size=args.batch_size,
                tables=tuple(args.tables or ()),
                truncate=not args.no_truncate,
                skip_migrations=args.skip_migrations,
                dry_run=args.dry_run,
                keep_source_writable=args.keep_source_writable,
                force_live_target=args.force_live_target,
                source_encoding=args.source_encoding,
            ),
            confirm=_confirm(args.yes),
            progress=progress,
            report=report,
        )
        report.status, report.exit_code = ("dry-run" if args.dry_run else "ok"), exit_codes.OK
        if not args.dry_run:
            report.next_step = next_step(target)
    except BaseException as exc:  # the command boundary turns everything into one line
        if isinstance(exc, KeyboardInterrupt):
            exc = TransferError("interrupted: nothing was committed")
        elif isinstance(exc, SystemExit):
            raise
        error = classify(exc)
        report.status, report.exit_code, report.error = "failed", error.exit_code, redact(str(error), secrets)
        if error.exit_code == exit_codes.FAILED and args.log_level == "DEBUG":
            log.exception("unexpected failure")
    finally:
        stack.close()
        if engine is not None:
            engine.dispose()
    _output(report, args, secrets)
    return report.exit_code or exit_codes.OK


def _progress(args: argparse.Namespace, bars: bool, stack: contextlib.ExitStack) -> NullProgress:
    if args.progress_json == "-":
        return JsonProgress(sys.stdout)
    if args.progress_json:
        return JsonProgress(stack.enter_context(open(args.progress_json, "w", encoding="utf-8")))
    return BarProgress(sys.stderr) if bars else NullProgress()


def _stop_on_stdin_close() -> None:
    """Ctrl-C for ourselves once standard input ends: the program that started us is gone."""

    def watch() -> None:
        with contextlib.suppress(OSError, ValueError):
            while sys.stdin.buffer.read(4096):
                pass
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


def check_report_path(path: str | None) -> None:
    """Refuse an unwritable --report-json before anything is migrated, not after."""
    if not path:
        return
    folder = Path(path).expanduser().resolve().parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise UsageError(f"--report-json {path}: the folder {folder} does not exist or is not writable")


def _output(report: MigrationReport, args: argparse.Namespace, secrets: list[str]) -> None:
    out = sys.stderr if args.progress_json == "-" else sys.stdout
    # The JSON report first: a closed stdout must not cost the record of a committed run.
    if args.report_json:
        try:
            Path(args.report_json).write_text(redact(json.dumps(report.as_dict(), indent=2), secrets) + "\n")
        except OSError as exc:
            # The migration's outcome stands (it may be committed): say so, do not mask it.
            print(f"warning: --report-json {args.report_json} not written: {exc.strerror}", file=sys.stderr)
    if report.warnings and not args.quiet:
        for warning in report.warnings:
            print(f"warning: {redact(warning, secrets)}", file=sys.stderr)
    if report.findings and report.problems_total:
        print(report.findings_text(), file=out)
    if report.erase:
        verb = "would erase" if args.dry_run or report.status == "failed" else "erased"
        print(
            f"{verb}: " + ", ".join(f"{name} ({rows:,} rows)" for name, rows in report.erase.items()),
            file=out,
        )
    if report.tables:
        print(report.summary(), file=out)
    if report.error:
        print(f"error: {report.error}", file=sys.stderr)
    elif args.dry_run:
        print(
            f"dry run: {report.totals().rows_read:,} rows checked, nothing written to {report.target}",
            file=out,
        )
    else:
        totals = report.totals()
        if report.source_encoding and report.source_encoding["total"]:
            print(_converted_line(report.source_encoding), file=out)
        print(
            f"migrated {totals.rows_written:,} rows into {report.target} in {report.seconds:.1f}s, verified",
            file=out,
        )
        _print_next_step(report, out)


def _converted_line(encoding: dict[str, Any]) -> str:
    tables = ", ".join(f"{name} {count:,}" for name, count in encoding["converted"].items())
    return f"converted {encoding['total']:,} text value(s) from {encoding['encoding']} to UTF-8 ({tables})"


def _print_next_step(report: MigrationReport, out: TextIO) -> None:
    if report.next_step is None:
        return
    print(report.next_step.text(), file=out)
    if report.source_guard.get("after") == "read-only":
        print(
            f"the SQLite file stays read-only; to write to it again: "
            f"python -m backend.scripts.maintenance off --sqlite-path {report.source}",
            file=out,
        )


def run() -> NoReturn:
    """main() as a command: exit without tearing the interpreter down.

    By then the transaction is committed or rolled back, the worker has exited and the
    temporary files are gone; unloading SQLAlchemy, pydantic and Alembic would only add about
    0.2 s to every run. Logs and output are flushed first.
    """
    # A stop request (docker stop, a job's cancel) ends the run as Ctrl-C does: rolled back, and
    # the source's read-only mode put back as it was.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    code = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away does not change the outcome
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
