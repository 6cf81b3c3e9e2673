"""The migration as one function returning a report: the steps of steps.py, in their order.

Everything that writes to the target happens in one PostgreSQL transaction: the schema
upgrade, the truncation, the copy, the constraint rebuild and the sequence reset. It commits
only after verification passed and the source was found unchanged since its snapshot; any
error, a kill or a lost connection leaves the target as it was. The source is written to
once: its read-only mode (source_guard.py), on for the run, kept on after a committed move
unless ``keep_source_writable``, put back as it was after a failure.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError

from backend.db import migrations
from backend.db.engine_builder import mask_url
from backend.db.errors import describe_db_error
from backend.transfer import load, preflight, steps, verify
from backend.transfer.checksum import Checksum, ordered_checksum
from backend.transfer.errors import DataProblems, TransferError, UsageError, VerificationFailed
from backend.transfer.plan import Plan, TablePlan, build_plan
from backend.transfer.preflight_policy import apply_findings, can_copy_first
from backend.transfer.preflight_rules import check_encoding
from backend.transfer.render_ahead import RenderAhead
from backend.transfer.render_worker import peak_rss_kib
from backend.transfer.report import MigrationReport, NullProgress, TableReport
from backend.transfer.sequences import reset_sequences
from backend.transfer.snapshot import Snapshot, check_source, snapshot_source, source_error
from backend.transfer.source_guard import SourceWatch, check_unchanged, guarded
from backend.transfer.steps import Step
from backend.transfer.target import (
    TargetState,
    cascade_victims,
    check_schema,
    inspect_target,
    refuse_cascade,
    refuse_changed_target,
    upgrade_in_transaction,
)
from backend.transfer.target_sessions import check_target_sessions

Confirm = Callable[[dict[str, int]], bool]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Options:
    batch_size: int = 1000
    tables: tuple[str, ...] = ()
    truncate: bool = True
    skip_migrations: bool = False
    dry_run: bool = False
    lock_timeout_seconds: int = 10
    # After a committed move the source stays read-only, unless this is set.
    keep_source_writable: bool = False
    # Go on although other sessions use the target (they are named in the report).
    force_live_target: bool = False
    # Text in the source that is not UTF-8 is read as this codec (a Python codec name).
    source_encoding: str | None = None


@dataclass(frozen=True)
class RunContext:
    """What the steps of one run share; they write their outcome into ``report``."""

    snapshot: Snapshot
    engine: Engine
    plan: Plan
    options: Options
    confirm: Confirm
    progress: NullProgress
    report: MigrationReport
    # The source's watch (source_guard.py); None for a dry run, which commits nothing.
    watch: SourceWatch | None = None


@dataclass(frozen=True)
class _Loading:
    """The open write transaction: its connection, the rendered text, what the load changed."""

    connection: Connection
    ahead: RenderAhead
    dropped: load.DroppedSchema
    # Append mode: each table's checksum before the copy, which the copy adds to.
    before: dict[str, Checksum]


def _refuse(_: dict[str, int]) -> bool:
    """The default: rows already in the target are never erased unless a caller says yes."""
    return False


@contextmanager
def _phase(report: MigrationReport, step: Step) -> Iterator[None]:
    log.info("%s", step.name)
    started = time.perf_counter()
    try:
        yield
    finally:
        report.phases[step.name] = report.phases.get(step.name, 0.0) + time.perf_counter() - started


def migrate(
    *,
    source: Path,
    engine: Engine,
    options: Options,
    confirm: Confirm = _refuse,
    progress: NullProgress | None = None,
    report: MigrationReport | None = None,
) -> MigrationReport:
    """Copy the SQLite file at ``source`` into the PostgreSQL ``engine``; raise TransferError on failure."""
    plan = build_plan(options.tables)
    report = report or MigrationReport(str(source), mask_url(engine.url), "", options.dry_run)
    report.mode = "truncate" if options.truncate else "append"
    report.warnings.extend(plan.warnings)
    if not plan.tables:
        raise UsageError(f"none of the selected tables exists: {', '.join(options.tables)}")
    check_encoding(options.source_encoding)
    source = source.expanduser().resolve()
    started = time.perf_counter()
    try:
        check_source(source)
        check_target_sessions(engine, report, dry_run=options.dry_run, force=options.force_live_target)
        guard = guarded(
            source,
            report,
            dry_run=options.dry_run,
            keep_read_only=not options.keep_source_writable,
            lock_timeout_seconds=options.lock_timeout_seconds,
        )
        with guard as watch:
            copied = time.perf_counter()
            with snapshot_source(source) as snapshot:
                report.phases[steps.SNAPSHOT.name] = time.perf_counter() - copied
                report.schema.update(
                    source_revision=snapshot.revision, source_upgraded_from=snapshot.upgraded_from
                )
                run = RunContext(
                    snapshot, engine, plan, options, confirm, progress or NullProgress(), report, watch
                )
                _run(run)
    except (OperationalError, psycopg.OperationalError) as exc:
        raise UsageError(
            f"PostgreSQL at {mask_url(engine.url)}: {describe_db_error(exc)}; nothing was committed"
        ) from None
    except sqlite3.DatabaseError as exc:
        raise source_error(source, exc) from None
    finally:
        report.seconds = time.perf_counter() - started
    return report


def _run(run: RunContext) -> None:
    """Inspect the target, then preflight, confirm and write, or copy first when nothing is due."""
    options, names = run.options, run.plan.names
    state = _inspect(run)
    if can_copy_first(state, names, dry_run=options.dry_run, truncate=options.truncate):
        _copy_first(run, state)
        return
    _preflight(run, state)
    if options.truncate:
        refuse_cascade(state, names)
    if options.dry_run:
        return
    _confirm(run)
    _write(run, state)


def _inspect(run: RunContext) -> TargetState:
    options, report, names = run.options, run.report, run.plan.names
    with run.engine.connect() as connection:
        state = inspect_target(connection, names + cascade_victims(names))
        connection.rollback()
    report.schema["target_revision_before"] = state.revision
    check_schema(state, skip_migrations=options.skip_migrations and not options.dry_run)
    if options.dry_run and not state.at_head:
        report.warnings.append(
            f"the target schema is at {state.revision or 'none'}; a real run "
            + (
                "with --skip-migrations would stop (exit 3)"
                if options.skip_migrations
                else "upgrades it to head"
            )
        )
    return state


def _confirm(run: RunContext) -> None:
    erase = run.report.erase
    if erase and not run.confirm(erase):
        listed = ", ".join(f"{name} ({rows:,} rows)" for name, rows in erase.items())
        raise UsageError(
            f"the target already holds rows in {listed}, which the migration would erase: rerun "
            "with --yes to erase them, or with --no-truncate to append"
        )


def _preflight(run: RunContext, state: TargetState) -> None:
    with _phase(run.report, steps.PREFLIGHT):
        findings = preflight.run_preflight(
            run.snapshot.connect, run.plan.tables, encoding=run.options.source_encoding
        )
    apply_findings(run.report, findings, state, truncate=run.options.truncate)


# What a preflight explains: a value PostgreSQL or the renderer refused, a key or reference
# that did not hold, a value that did not come back as it was sent.
_DATA_FAILURES = (DataProblems, VerificationFailed, DataError, IntegrityError)


def _copy_first(run: RunContext, state: TargetState) -> None:
    # The target's tables are empty: the copy goes first, and the preflight runs only when
    # something failed (preflight_policy.py says why that misses nothing). Its findings then
    # replace the error: the same report and exit 4 as a preflight run first, the target as it was.
    run.report.preflight = "on failure"
    with closing(run.snapshot.connect()) as source:
        run.report.tables = [
            TableReport(t.name, rows_read=source.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0])
            for t in run.plan.tables
        ]
    try:
        _write(run, state)
    except _DATA_FAILURES:
        _preflight(run, state)
        raise


def _write(run: RunContext, state: TargetState) -> None:
    """The steps inside the one transaction, from the schema upgrade to the commit."""
    options, report, names = run.options, run.report, run.plan.names
    # Rendering needs nothing from PostgreSQL: it starts while the transaction is prepared.
    ahead = RenderAhead(
        run.snapshot.path,
        run.snapshot.path.with_name("copy-text.spill"),
        run.plan.tables,
        batch_size=options.batch_size,
        truncated=options.truncate,
        encoding=options.source_encoding,
    )
    try:
        with closing(ahead), run.engine.connect() as connection, connection.begin():
            load.session_settings(connection, lock_timeout_seconds=options.lock_timeout_seconds)
            if not state.at_head:
                with _phase(report, steps.SCHEMA):
                    upgrade_in_transaction(connection)
            with _phase(report, steps.PREPARE):
                loading = _prepare(run, state, connection, ahead)
            run.progress.plan([(t.name, t.rows_read) for t in report.tables])
            for table, table_report in zip(run.plan.tables, report.tables, strict=True):
                _copy_and_check(run, loading, table, table_report)
            ahead.finish()
            report.peak_rss_mb = {
                "writer": peak_rss_kib() / 1024,
                "render_worker": ahead.worker_peak_rss_kib / 1024,
            }
            with _phase(report, steps.CONSTRAINTS):
                load.restore_foreign_keys(connection, loading.dropped)
                report.sequences = reset_sequences(connection, names)
            if options.source_encoding:
                converted = {name: n for name, n in ahead.converted.items() if n}
                report.source_encoding = {
                    "encoding": options.source_encoding,
                    "converted": converted,
                    "total": sum(converted.values()),
                }
            if run.watch is not None:
                check_unchanged(run.watch, run.snapshot, run.plan.tables, run.report)
            with _phase(report, steps.COMMIT):
                connection.commit()
    except BaseException:
        # Rolled back: nothing of the copy stays, and the report must not say otherwise.
        for table_report in report.tables:
            table_report.rows_written = 0
        raise
    report.schema["target_revision_after"] = migrations.head_revision()


def _prepare(run: RunContext, state: TargetState, connection: Connection, ahead: RenderAhead) -> _Loading:
    """Lock the tables, empty them (or note their checksums), and drop their keys for the load."""
    names = run.plan.names
    before: dict[str, Checksum] = {}
    load.lock(connection, names)
    if run.options.truncate:
        refuse_changed_target(connection, state, names)
        load.truncate(connection, names)
    else:
        before = {t.name: verify.read_back(connection, t, ordered=False) for t in run.plan.tables}
    dropped = load.drop_for_load(connection, names, keys_too=run.options.truncate)
    return _Loading(connection, ahead, dropped, before)


def _copy_and_check(run: RunContext, loading: _Loading, table: TablePlan, table_report: TableReport) -> None:
    """Copy one table, rebuild its keys and indexes, and verify it against what was sent."""
    report, progress, connection = run.report, run.progress, loading.connection
    with _phase(report, steps.COPY):
        log.info("copying %s (%d rows)", table.name, table_report.rows_read)
        progress.start(table.name, table_report.rows_read)
        started = time.perf_counter()
        table_report.rows_written = load.copy_table(
            connection,
            loading.ahead.batches(table.name),
            table,
            advance=progress.advance,
            truncated=run.options.truncate,
        )
        table_report.seconds = time.perf_counter() - started
        progress.finish()
    with _phase(report, steps.CONSTRAINTS):
        load.restore_keys(connection, loading.dropped, table.name)
    with _phase(report, steps.VERIFY):
        # The checksum of the text as rendered, taken before it was handed to the connection.
        expected = loading.before.get(table.name, Checksum(0, 0)) + loading.ahead.checksum(table.name)
        ordered = ordered_checksum(table, truncated=run.options.truncate)
        actual = verify.read_back(connection, table, ordered=ordered)
        report.verification[table.name] = {
            "rows": actual.rows,
            "expected_rows": expected.rows,
            "content_match": actual == expected,
        }
        problems = verify.mismatches({table.name: expected}, {table.name: actual})
        if problems:
            raise VerificationFailed(
                "verification failed, everything was rolled back: " + "; ".join(problems), details=problems
            )
        progress.verified(table.name)


def classify(exc: BaseException) -> TransferError:
    """Any exception as a TransferError with its exit code and one line."""
    if isinstance(exc, TransferError):
        return exc
    if isinstance(exc, DBAPIError):
        return TransferError(f"PostgreSQL: {describe_db_error(exc)}; nothing was committed")
    return TransferError(f"{type(exc).__name__}: {exc}")
