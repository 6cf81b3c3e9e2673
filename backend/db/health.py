"""The database health probe behind /health/ready and /health/database."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import QueuePool

from backend.db import migrations
from backend.db.session import Database
from backend.models import Base

BACKUP_MAX_AGE_HOURS = 24


@dataclass(frozen=True)
class Warning_:
    code: str
    message: str
    action: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "action": self.action}


def is_ready(engine: Engine) -> bool:
    """A cheap ping plus the schema-at-head check; never raises."""
    try:
        return migrations.current_revision(engine) == migrations.head_revision()
    except SQLAlchemyError:
        return False


def database_report(
    database: Database,
    *,
    environment: str,
    last_backup_at: datetime | None,
    extra_warnings: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Everything an admin needs to trust the active database; never a secret."""
    resolved, engine = database.resolved, database.read_engine
    report: dict[str, Any] = {
        "engine": resolved.kind,
        "dialect": engine.dialect.name,
        "driver": engine.dialect.driver,
        "url": resolved.masked_url,
        "resolved_from": resolved.resolved_from,
        "database": resolved.url.database,
        "host": resolved.url.host if resolved.kind == "postgresql" else None,
        "port": resolved.url.port if resolved.kind == "postgresql" else None,
        "checked_at": datetime.now(UTC).isoformat(),
    }
    warnings = [
        Warning_("settings_ignored", w, "Remove the unused POSTGRES_* values or opt in.")
        for w in (*resolved.warnings, *extra_warnings)
    ]
    try:
        started = time.perf_counter()
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            report["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
            report.update(_server_facts(connection, resolved.kind))
        report["schema"] = _schema_facts(engine)
    except SQLAlchemyError as exc:
        report.update(status="fail", error=type(getattr(exc, "orig", None) or exc).__name__)
        warnings.append(
            Warning_(
                "unreachable",
                "The database did not answer.",
                "Check that the server is running and the settings in .env are right.",
            )
        )
        report["warnings"] = [w.as_dict() for w in warnings]
        return report

    report["pool"] = _pool_facts(database.engine)
    report["backup"] = _backup_facts(last_backup_at)
    warnings.extend(_warnings(report, environment))
    report["status"] = "pass" if not warnings else "warn"
    if not report["schema"]["up_to_date"]:
        report["status"] = "fail"
    report["warnings"] = [w.as_dict() for w in warnings]
    return report


def _server_facts(connection: Any, kind: str) -> dict[str, Any]:
    tables = sorted(Base.metadata.tables)
    if kind == "sqlite":
        path = Path(connection.engine.url.database)
        wal = path.with_name(path.name + "-wal")
        existing = {
            row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        }
        return {
            "server_version": connection.execute(text("SELECT sqlite_version()")).scalar_one(),
            "size_bytes": path.stat().st_size if path.exists() else 0,
            "journal_mode": connection.execute(text("PRAGMA journal_mode")).scalar_one(),
            "wal_size_bytes": wal.stat().st_size if wal.exists() else 0,
            "row_counts_exact": True,
            "tables": [
                {
                    "name": name,
                    "rows": connection.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
                    if name in existing
                    else None,
                }
                for name in tables
            ],
        }
    estimates = dict(
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
    return {
        "server_version": connection.execute(text("SHOW server_version")).scalar_one(),
        "size_bytes": connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one(),
        "row_counts_exact": False,
        "tables": [{"name": name, "rows": estimates.get(name)} for name in tables],
    }


def _schema_facts(engine: Engine) -> dict[str, Any]:
    current, head = migrations.current_revision(engine), migrations.head_revision()
    return {"current": current, "head": head, "up_to_date": current == head}


def _pool_facts(engine: Engine) -> dict[str, Any]:
    pool = engine.pool
    if not isinstance(pool, QueuePool):
        return {"class": type(pool).__name__}
    return {
        "class": "QueuePool",
        "size": pool.size(),
        "checked_in": pool.checkedin(),
        "checked_out": pool.checkedout(),
        # SQLAlchemy counts overflow up from -pool_size; admins want "extra connections open".
        "overflow": max(pool.overflow(), 0),
        "max_overflow": pool._max_overflow,
    }


def _backup_facts(last_backup_at: datetime | None) -> dict[str, Any]:
    if last_backup_at is None:
        return {"last_at": None, "age_hours": None}
    age = (datetime.now(UTC) - last_backup_at).total_seconds() / 3600
    return {"last_at": last_backup_at.isoformat(), "age_hours": round(age, 2)}


def _warnings(report: dict[str, Any], environment: str) -> list[Warning_]:
    found = []
    if report["engine"] == "sqlite" and environment == "production":
        found.append(
            Warning_(
                "sqlite_in_production",
                "Production is running on SQLite, which serves one writer at a time.",
                "Move to PostgreSQL: see docs/POSTGRES_MIGRATION_GUIDE.md.",
            )
        )
    if not report["schema"]["up_to_date"]:
        found.append(
            Warning_(
                "schema_behind",
                f"The schema is at {report['schema']['current']}, the code expects "
                f"{report['schema']['head']}.",
                "Run `python -m backend.db.migrations upgrade`.",
            )
        )
    age = report["backup"]["age_hours"]
    if age is None or age > BACKUP_MAX_AGE_HOURS:
        found.append(
            Warning_(
                "no_recent_backup",
                "No backup in the last 24 hours." if age is not None else "No backup was found.",
                "Create one in Control Panel → Backups or `python -m backend.scripts.backup create`.",
            )
        )
    return found
