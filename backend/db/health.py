"""The database health probe behind /health/ready and /health/database."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from backend.db import migrations, write_probe
from backend.db.engine_builder import SettingsWarning
from backend.db.errors import last_disk_full
from backend.db.session import Database
from backend.models import Base
from backend.schemas.health import (
    BackupFacts,
    DatabaseHealth,
    DiskFullParams,
    DiskFullWarning,
    EngineKind,
    HealthWarning,
    NoParams,
    NoRecentBackupParams,
    NoRecentBackupWarning,
    NotWritableParams,
    NotWritableWarning,
    PoolFacts,
    ReadOnlyModeParams,
    ReadOnlyModeWarning,
    SchemaBehindParams,
    SchemaBehindWarning,
    SchemaFacts,
    SettingsIgnoredParams,
    SettingsIgnoredWarning,
    SqliteInProductionWarning,
    TableRows,
    UnreachableWarning,
)
from backend.services import maintenance

BACKUP_MAX_AGE_HOURS = 24
# A write that failed for a full disk is reported this long: someone may have freed space since.
DISK_FULL_REPORT_HOURS = 24


def is_ready(engine: Engine) -> bool:
    """A cheap ping, the schema-at-head check and a write check; never raises."""
    try:
        at_head = migrations.current_revision(engine) == migrations.head_revision()
        return at_head and write_probe.write_problem(engine) is None
    except SQLAlchemyError:
        return False


def database_report(
    database: Database, *, environment: str, last_backup_at: datetime | None
) -> DatabaseHealth:
    """Everything an admin needs to trust the active database; never a secret."""
    resolved, engine = database.resolved, database.engine
    postgres = resolved.kind == "postgresql"
    # Fields set below one by one are the ones sent: what does not apply stays out of the answer.
    report = DatabaseHealth(
        engine=cast(EngineKind, resolved.kind),
        dialect=engine.dialect.name,
        driver=engine.dialect.driver,
        url=resolved.masked_url,
        resolved_from=resolved.resolved_from,
        database=resolved.url.database,
        host=resolved.url.host if postgres else None,
        port=resolved.url.port if postgres else None,
        checked_at=datetime.now(UTC).isoformat(),
        status="pass",
        warnings=[],
    )
    warnings: list[HealthWarning] = [_settings_warning(w) for w in resolved.warnings]
    try:
        started = time.perf_counter()
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            report.latency_ms = round((time.perf_counter() - started) * 1000, 2)
            _add_server_facts(report, connection, postgres=postgres)
        schema = report.schema_ = _schema_facts(engine)
        unwritable = write_probe.write_problem(engine)
        mode = _maintenance_state(engine)
    except SQLAlchemyError as exc:
        report.status = "fail"
        report.error = type(getattr(exc, "orig", None) or exc).__name__
        warnings.append(
            UnreachableWarning(
                code="unreachable",
                params=NoParams(),
                message="The database did not answer.",
                action="Check that the server is running and the settings in .env are right.",
            )
        )
        report.warnings = warnings
        return report

    report.pool = _pool_facts(database.engine)
    report.backup = _backup_facts(last_backup_at)
    warnings.extend(_warnings(report.engine, environment, schema, report.backup))
    warnings.extend(_fault_warnings(engine, unwritable))
    report.read_only = mode.read_only
    if mode.read_only:
        warnings.append(_read_only_warning(mode))
    failed = not schema.up_to_date or unwritable is not None
    report.status = "fail" if failed else "warn" if warnings else "pass"
    report.warnings = warnings
    return report


def _maintenance_state(engine: Engine) -> maintenance.MaintenanceState:
    # A schema older than 0004 has no mode: always writable (and schema_behind says the rest).
    with engine.connect() as connection:
        if not maintenance.has_table(connection=connection):
            return maintenance.WRITABLE
        with Session(bind=connection) as session:
            return maintenance.get_state(session=session)


def _read_only_warning(mode: maintenance.MaintenanceState) -> ReadOnlyModeWarning:
    # A warning, not a failure: reads work and /health/ready passes; writes answer 503.
    since = mode.since.isoformat() if mode.since else None
    return ReadOnlyModeWarning(
        code="read_only_mode",
        params=ReadOnlyModeParams(reason=mode.reason, since=since, set_by=mode.set_by),
        message=f"SMS is read-only ({mode.reason or 'no reason given'}), set by {mode.set_by or 'unknown'}: "
        "every change is refused.",
        action="Turn it off in Control Panel → Database Health or with "
        "`python -m backend.scripts.maintenance off` once the work it was turned on for is done.",
    )


def _settings_warning(warning: SettingsWarning) -> SettingsIgnoredWarning:
    return SettingsIgnoredWarning(
        code=warning.code,
        params=SettingsIgnoredParams(variables=list(warning.variables)),
        message=warning.message,
        action="Remove the unused POSTGRES_* values or opt in.",
    )


def _add_server_facts(report: DatabaseHealth, connection: Connection, *, postgres: bool) -> None:
    tables = sorted(Base.metadata.tables)
    if not postgres:
        path = Path(connection.engine.url.database or "")
        wal = path.with_name(path.name + "-wal")
        existing = {
            row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        }
        report.server_version = connection.execute(text("SELECT sqlite_version()")).scalar_one()
        report.size_bytes = path.stat().st_size if path.exists() else 0
        report.journal_mode = connection.execute(text("PRAGMA journal_mode")).scalar_one()
        report.wal_size_bytes = wal.stat().st_size if wal.exists() else 0
        report.row_counts_exact = True
        report.tables = [
            TableRows(
                name=name,
                rows=connection.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
                if name in existing
                else None,
            )
            for name in tables
        ]
        return
    estimates: dict[str, Any] = dict(
        connection.execute(
            text(
                "SELECT c.relname, CASE WHEN c.reltuples < 0 THEN s.n_live_tup "
                "ELSE c.reltuples::bigint END FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid "
                "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
            )
        ).all()
    )
    report.server_version = connection.execute(text("SHOW server_version")).scalar_one()
    report.size_bytes = connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    report.row_counts_exact = False
    report.tables = [TableRows(name=name, rows=estimates.get(name)) for name in tables]


def _schema_facts(engine: Engine) -> SchemaFacts:
    current, head = migrations.current_revision(engine), migrations.head_revision()
    return SchemaFacts(current=current, head=head, up_to_date=current == head)


def _pool_facts(engine: Engine) -> PoolFacts:
    pool = engine.pool
    if not isinstance(pool, QueuePool):
        return PoolFacts(pool_class=type(pool).__name__)
    return PoolFacts(
        pool_class="QueuePool",
        size=pool.size(),
        checked_in=pool.checkedin(),
        checked_out=pool.checkedout(),
        # SQLAlchemy counts overflow up from -pool_size; admins want "extra connections open".
        overflow=max(pool.overflow(), 0),
        max_overflow=pool._max_overflow,
    )


def _backup_facts(last_backup_at: datetime | None) -> BackupFacts:
    if last_backup_at is None:
        return BackupFacts(last_at=None, age_hours=None)
    age = (datetime.now(UTC) - last_backup_at).total_seconds() / 3600
    return BackupFacts(last_at=last_backup_at.isoformat(), age_hours=round(age, 2))


def _warnings(
    engine: EngineKind, environment: str, schema: SchemaFacts, backup: BackupFacts
) -> list[HealthWarning]:
    found: list[HealthWarning] = []
    if engine == "sqlite" and environment == "production":
        found.append(
            SqliteInProductionWarning(
                code="sqlite_in_production",
                params=NoParams(),
                message="Production is running on SQLite, which serves one writer at a time.",
                action="Move to PostgreSQL: see docs/POSTGRES_MIGRATION_GUIDE.md.",
            )
        )
    if not schema.up_to_date:
        found.append(
            SchemaBehindWarning(
                code="schema_behind",
                params=SchemaBehindParams(current=schema.current, head=schema.head),
                message=f"The schema is at {schema.current}, the code expects {schema.head}.",
                action="Run `python -m backend.db.migrations upgrade`.",
            )
        )
    age = backup.age_hours
    if age is None or age > BACKUP_MAX_AGE_HOURS:
        found.append(
            NoRecentBackupWarning(
                code="no_recent_backup",
                params=NoRecentBackupParams(age_hours=age, max_age_hours=BACKUP_MAX_AGE_HOURS),
                message="No backup in the last 24 hours." if age is not None else "No backup was found.",
                action="Create one in Control Panel → Backups or `python -m backend.scripts.backup create`.",
            )
        )
    return found


_NOT_WRITABLE: dict[str, str] = {
    "file": "The database file {path} is not writable by the user SMS runs as.",
    "side_file": "{path} is not writable by the user SMS runs as (often a file left by another user).",
    "folder": "The database folder {path} is not writable by the user SMS runs as.",
    "filesystem": "The database folder {path} is on a read-only filesystem.",
    "refused": "SQLite refused to start a write on {path}.",
    "standby": "The PostgreSQL server is a standby (in recovery) and accepts no writes.",
    "read_only": "The PostgreSQL server makes every transaction read-only (default_transaction_read_only).",
}


def _fault_warnings(
    engine: Engine, unwritable: tuple[write_probe.Reason, str | None] | None
) -> list[HealthWarning]:
    found: list[HealthWarning] = []
    if unwritable is not None:
        reason, path = unwritable
        found.append(
            NotWritableWarning(
                code="not_writable",
                params=NotWritableParams(reason=reason, path=path),
                message=_NOT_WRITABLE[reason].format(path=path),
                action="Every save fails until this is fixed: give the user SMS runs as write access "
                "(or mount the volume read-write), or point SMS at the primary server.",
            )
        )
    seen = last_disk_full(engine)
    if seen is not None and (datetime.now(UTC) - seen).total_seconds() < DISK_FULL_REPORT_HOURS * 3600:
        found.append(
            DiskFullWarning(
                code="disk_full",
                params=DiskFullParams(seen_at=seen.isoformat()),
                message=f"A save failed at {seen:%Y-%m-%d %H:%M} UTC because the disk was full.",
                action="Free space on the disk that holds the database (old backups, logs), then check "
                "that saving works.",
            )
        )
    return found
