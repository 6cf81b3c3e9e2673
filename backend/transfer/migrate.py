"""The migration, steps 1 to 8 of docs/MIGRATION_TOOL.md, as one function returning a report.

Everything that writes happens in one PostgreSQL transaction: the schema upgrade, the
truncation, the copy, the constraint rebuild and the sequence reset. It commits only after
verification passed; any error, a kill or a lost connection leaves the target as it was.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError

from backend.db import migrations
from backend.db.engine_builder import mask_url
from backend.db.errors import describe_db_error
from backend.transfer import copy as copier
from backend.transfer import preflight, verify
from backend.transfer.checks import apply_findings, can_copy_first
from backend.transfer.digest import ordered_checksum
from backend.transfer.errors import DataProblems, TransferError, UsageError, VerificationFailed
from backend.transfer.plan import Plan, TablePlan, build_plan
from backend.transfer.render_ahead import RenderAhead
from backend.transfer.render_worker import peak_rss_kib
from backend.transfer.report import MigrationReport, NullProgress, TableReport
from backend.transfer.sequences import reset_sequences
from backend.transfer.source import Snapshot, snapshot_source
from backend.transfer.target import (
    TargetState,
    cascade_victims,
    check_schema,
    inspect_target,
    refuse_cascade,
    rows_changed_since,
    upgrade_in_transaction,
)

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


def _refuse(_: dict[str, int]) -> bool:
    """The default: rows already in the target are never erased unless a caller says yes."""
    return False


@contextmanager
def _phase(report: MigrationReport, name: str) -> Iterator[None]:
    log.info("%s", name)
    started = time.perf_counter()
    try:
        yield
    finally:
        report.phases[name] = report.phases.get(name, 0.0) + time.perf_counter() - started


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
    progress = progress or NullProgress()
    plan = build_plan(options.tables)
    report = report or MigrationReport(str(source), mask_url(engine.url), "", options.dry_run)
    report.mode = "truncate" if options.truncate else "append"
    report.warnings.extend(plan.warnings)
    if not plan.tables:
        raise UsageError(f"none of the selected tables exists: {', '.join(options.tables)}")
    started = time.perf_counter()
    try:
        with snapshot_source(source) as snapshot:
            report.phases["snapshot"] = time.perf_counter() - started
            report.schema.update(
                source_revision=snapshot.revision, source_upgraded_from=snapshot.upgraded_from
            )
            _run(snapshot, engine, plan, options, confirm, progress, report)
    except (OperationalError, psycopg.OperationalError) as exc:
        raise UsageError(
            f"PostgreSQL at {mask_url(engine.url)}: {describe_db_error(exc)}; nothing was committed"
        ) from None
    finally:
        report.seconds = time.perf_counter() - started
    return report


def _run(
    snapshot: Snapshot,
    engine: Engine,
    plan: Plan,
    options: Options,
    confirm: Confirm,
    progress: NullProgress,
    report: MigrationReport,
) -> None:
    names = plan.names
    with engine.connect() as connection:
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
    if can_copy_first(state, names, dry_run=options.dry_run, truncate=options.truncate):
        _copy_first(snapshot, engine, plan, options, state, progress, report)
        return
    with _phase(report, "preflight"):
        findings = preflight.run_preflight(snapshot.connect, plan.tables)
    apply_findings(report, findings, state, truncate=options.truncate)
    if options.truncate:
        refuse_cascade(state, names)
    if options.dry_run:
        return
    if report.erase and not confirm(report.erase):
        listed = ", ".join(f"{name} ({rows:,} rows)" for name, rows in report.erase.items())
        raise UsageError(
            f"the target already holds rows in {listed}, which the migration would erase: rerun "
            "with --yes to erase them, or with --no-truncate to append"
        )
    _write(snapshot, engine, plan, options, state, progress, report)


def _refuse_changed_target(connection: Connection, state: TargetState, names: list[str]) -> None:
    # What was listed and confirmed was counted before the preflight; a writer still using the
    # target since then would lose rows nobody agreed to erase.
    changed = rows_changed_since(connection, state, names + cascade_victims(names))
    if changed:
        listed = ", ".join(f"{name} ({was:,} -> {now:,} rows)" for name, (was, now) in changed.items())
        raise UsageError(
            f"the target changed while the migration was being prepared: {listed}; stop the app "
            "(and anything else writing to the target), then rerun"
        )


# What a preflight explains: a value PostgreSQL or the renderer refused, a key or reference
# that did not hold, a value that did not come back as it was sent.
_DATA_FAILURES = (DataProblems, VerificationFailed, DataError, IntegrityError)


def _copy_first(
    snapshot: Snapshot,
    engine: Engine,
    plan: Plan,
    options: Options,
    state: TargetState,
    progress: NullProgress,
    report: MigrationReport,
) -> None:
    # The target's tables are empty: the copy goes first, and the preflight runs only when
    # something failed (checks.py says why that misses nothing). Its findings then replace the
    # error: the same report and exit 4 as a preflight run first, the target as it was.
    report.preflight = "on failure"
    with closing(snapshot.connect()) as source:
        report.tables = [
            TableReport(t.name, rows_read=source.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0])
            for t in plan.tables
        ]
    try:
        _write(snapshot, engine, plan, options, state, progress, report)
    except _DATA_FAILURES:
        with _phase(report, "preflight"):
            findings = preflight.run_preflight(snapshot.connect, plan.tables)
        apply_findings(report, findings, state, truncate=options.truncate)
        raise


def _write(
    snapshot: Snapshot,
    engine: Engine,
    plan: Plan,
    options: Options,
    state: TargetState,
    progress: NullProgress,
    report: MigrationReport,
) -> None:
    names = plan.names
    # Rendering needs nothing from PostgreSQL: it starts while the transaction is prepared.
    ahead = RenderAhead(
        snapshot.path,
        snapshot.path.with_name("copy-text.spill"),
        plan.tables,
        batch_size=options.batch_size,
        truncated=options.truncate,
    )
    try:
        with closing(ahead), engine.connect() as connection, connection.begin():
            _session_settings(connection, options)
            if not state.at_head:
                with _phase(report, "schema"):
                    upgrade_in_transaction(connection)
            before: dict[str, verify.Checksum] = {}
            with _phase(report, "prepare"):
                copier.lock(connection, names)
                if options.truncate:
                    _refuse_changed_target(connection, state, names)
                    copier.truncate(connection, names)
                else:
                    before = {t.name: verify.read_back(connection, t, ordered=False) for t in plan.tables}
                dropped = copier.drop_for_load(connection, names, keys_too=options.truncate)
            for table, table_report in zip(plan.tables, report.tables, strict=True):
                _copy_and_check(
                    connection, ahead, table, table_report, dropped, before, options, progress, report
                )
            ahead.finish()
            report.peak_rss_mb = {"writer": peak_rss_mb(), "render_worker": ahead.worker_peak_rss_kib / 1024}
            with _phase(report, "constraints"):
                copier.restore_foreign_keys(connection, dropped)
                report.sequences = reset_sequences(connection, names)
            with _phase(report, "commit"):
                connection.commit()
    except BaseException:
        # Rolled back: nothing of the copy stays, and the report must not say otherwise.
        for table_report in report.tables:
            table_report.rows_written = 0
        raise
    report.schema["target_revision_after"] = migrations.head_revision()


def peak_rss_mb() -> float:
    return peak_rss_kib() / 1024


def _session_settings(connection: Connection, options: Options) -> None:
    # Naive SQLite datetimes are UTC wall time (UTCDateTime): COPY must read them as UTC. The
    # rest fixes the output forms verification reads back, whatever the server's defaults.
    connection.execute(text("SET LOCAL TimeZone = 'UTC'"))
    connection.execute(text("SET LOCAL DateStyle = 'ISO, YMD'"))
    connection.execute(text("SET LOCAL extra_float_digits = 1"))
    connection.execute(text("SET LOCAL client_encoding = 'UTF8'"))
    connection.execute(text(f"SET LOCAL lock_timeout = '{int(options.lock_timeout_seconds)}s'"))
    # Index builds after the load sort in memory instead of spilling to disk.
    connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))


def _copy_and_check(
    connection: Connection,
    ahead: RenderAhead,
    table: TablePlan,
    table_report: TableReport,
    dropped: copier.DroppedSchema,
    before: dict[str, verify.Checksum],
    options: Options,
    progress: NullProgress,
    report: MigrationReport,
) -> None:
    """Copy one table, rebuild its keys and indexes, and verify it against what was sent."""
    with _phase(report, "copy"):
        log.info("copying %s (%d rows)", table.name, table_report.rows_read)
        progress.start(table.name, table_report.rows_read)
        started = time.perf_counter()
        table_report.rows_written = copier.copy_table(
            connection,
            ahead.batches(table.name),
            table,
            advance=progress.advance,
            truncated=options.truncate,
        )
        table_report.seconds = time.perf_counter() - started
        progress.finish()
    with _phase(report, "constraints"):
        copier.restore_keys(connection, dropped, table.name)
    with _phase(report, "verify"):
        # The checksum of the text as rendered, taken before it was handed to the connection.
        expected = before.get(table.name, verify.Checksum(0, 0)) + ahead.checksum(table.name)
        ordered = ordered_checksum(table, truncated=options.truncate)
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


def classify(exc: BaseException) -> TransferError:
    """Any exception as a TransferError with its exit code and one line."""
    if isinstance(exc, TransferError):
        return exc
    if isinstance(exc, DBAPIError):
        return TransferError(f"PostgreSQL: {describe_db_error(exc)}; nothing was committed")
    return TransferError(f"{type(exc).__name__}: {exc}")
