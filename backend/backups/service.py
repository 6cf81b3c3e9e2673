"""Create, list, delete and restore backups of the active database, and audit each action.

The Control Panel and ``python -m backend.scripts.backup`` both call these functions. A backup
is a file plus ``<name>.meta.json``; nothing is restored until the file has passed its checksum,
a format check and the schema-revision rule, so a refused restore changes nothing.

Given a session and an actor (the Control Panel), each action is recorded through
``services.audit`` in that session's transaction, which its owner commits. The command line
passes neither: it acts for the operator, not for an app user.
"""

from __future__ import annotations

import logging
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, select
from sqlalchemy.orm import Session

from backend.backups import postgres, sqlite, store, tidy
from backend.backups.errors import BackupError
from backend.backups.store import BackupInfo, exclusive
from backend.db import locks, migrations
from backend.db.session import Database
from backend.models import User
from backend.services import audit
from backend.services.audit import Actor

if TYPE_CHECKING:
    from backend.config import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupOptions:
    backup_dir: Path
    retention: int = 10
    lock_timeout_s: float = 30.0
    connect_timeout: int = 10
    pg_bin_dir: str | None = None
    # pg_dump and pg_restore need a session of their own: behind PgBouncer, POSTGRES_DIRECT_URL
    # (the app's database reached directly); None: the URL of the database each call is given.
    server_url: URL | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> BackupOptions:
        return cls(
            backup_dir=settings.resolve_path(settings.BACKUP_DIR),
            retention=settings.BACKUP_RETENTION,
            lock_timeout_s=settings.SQLITE_BUSY_TIMEOUT_MS / 1000,
            connect_timeout=settings.DB_CONNECT_TIMEOUT,
            pg_bin_dir=settings.PG_BIN_DIR,
            # Only behind PgBouncer: otherwise the database handed to each call is the one to use.
            server_url=settings.session_database.url if settings.POSTGRES_PGBOUNCER else None,
        )


@dataclass(frozen=True)
class CreateReport:
    backup: BackupInfo
    removed: list[str]
    duration_s: float


@dataclass(frozen=True)
class RestoreReport:
    backup: BackupInfo
    upgraded_from: str | None
    schema_revision: str | None
    row_counts: dict[str, int]
    restored_at: datetime
    duration_s: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.backup.name,
            "engine": self.backup.engine,
            "backup_created_at": self.backup.created_at.isoformat(),
            "schema_revision": self.schema_revision,
            "upgraded_from": self.upgraded_from,
            "row_counts": self.row_counts,
            "restored_at": self.restored_at.isoformat(),
            "duration_s": round(self.duration_s, 3),
        }


def app_version() -> str:
    try:
        return metadata.version("sms")
    except metadata.PackageNotFoundError:
        return "unknown"


def list_backups(*, backup_dir: Path) -> list[BackupInfo]:
    """List every backup with readable metadata and its file present, newest first."""
    return store.scan(backup_dir)


def get_backup(*, backup_dir: Path, name: str) -> BackupInfo:
    """Read the metadata of one backup (BackupError if the name is bad or it does not exist)."""
    return store.read_metadata(backup_dir, name)


def create_backup(
    *, session: Session | None = None, actor: Actor | None = None, database: Database, options: BackupOptions
) -> CreateReport:
    """Back up the active database, write its metadata and apply retention."""
    started, created_at = time.perf_counter(), datetime.now(UTC)
    kind = database.resolved.kind
    with exclusive(options.backup_dir), _one_in_the_database(database):
        # Holding the lock, whatever a killed run left is stale: sweep it before adding more.
        tidy.sweep_leftovers(options.backup_dir)
        name = store.new_name(options.backup_dir, engine=kind, created_at=created_at)
        partial = options.backup_dir / f".{name}.partial"
        try:
            # Created 0600 before SQLite or pg_dump writes into it: they keep an existing file's mode.
            store.open_private(partial).close()
            if kind == "sqlite":
                live = database.resolved.sqlite_path
                assert live is not None
                facts = sqlite.create(live=live, target=partial, timeout_s=options.lock_timeout_s)
                fmt = sqlite.FORMAT
            else:
                facts = postgres.create(
                    engine=database.engine,
                    url=options.server_url or database.resolved.url,
                    target=partial,
                    connect_timeout=options.connect_timeout,
                    lock_timeout_s=options.lock_timeout_s,
                    pg_bin_dir=options.pg_bin_dir,
                )
                fmt = postgres.FORMAT
            size, sha = store.file_digest(partial)
            info = BackupInfo(
                name=name,
                engine=kind,
                created_at=created_at,
                schema_revision=facts.schema_revision,
                row_counts=facts.row_counts,
                size_bytes=size,
                sha256=sha,
                app_version=app_version(),
                format=fmt,
                server_version=facts.server_version,
                tool_version=facts.tool_version,
            )
            partial.replace(options.backup_dir / name)
            store.write_metadata(options.backup_dir, info)
        finally:
            partial.unlink(missing_ok=True)
        removed = tidy.apply_retention(options.backup_dir, keep=options.retention)
    report = CreateReport(info, removed, time.perf_counter() - started)
    log.info("backup %s created (%d bytes, %.2f s)", info.name, info.size_bytes, report.duration_s)
    _audit(session, actor, "create", name, {"size_bytes": info.size_bytes, "removed_by_retention": removed})
    return report


def download_backup(*, session: Session, actor: Actor, backup_dir: Path, name: str) -> Path:
    """Return the file of a backup to send to ``actor``, and audit the download."""
    info = store.read_metadata(backup_dir, name)
    _audit(session, actor, "download", info.name, {"size_bytes": info.size_bytes})
    return store.backup_file(backup_dir, info.name)


def delete_backup(
    *, session: Session | None = None, actor: Actor | None = None, backup_dir: Path, name: str
) -> None:
    """Delete a backup file and its metadata."""
    store.validate_name(name)
    with exclusive(backup_dir):
        store.remove(backup_dir, name)
    _audit(session, actor, "delete", name, {})


def restore_backup(
    *,
    session: Session | None = None,
    actor: Actor | None = None,
    database: Database,
    options: BackupOptions,
    name: str,
) -> RestoreReport:
    """Replace the live data with a backup, or refuse and change nothing."""
    if session is not None:
        # A restore replaces every table, so the caller's transaction must not stay open across
        # it: on PostgreSQL its SELECTs hold table locks until it ends, and pg_restore's DROP
        # TABLE would wait for them until the restore gives up as busy. It has written nothing
        # yet; the audit row below starts a new transaction, on the restored data.
        session.close()
    try:
        report = _restore(database=database, options=options, name=name)
    except BackupError as exc:
        log.warning("restore of %s refused: %s", name[:120], exc)
        raise
    info = report.backup
    log.warning("database restored from backup %s by %s", info.name, actor.email if actor else "the CLI")
    if session is not None and actor is not None:
        # After a restore the acting account may be missing from the restored data, or be another.
        user_id = session.scalar(select(User.id).where(User.id == actor.user_id, User.email == actor.email))
        details = {"backup_created_at": info.created_at.isoformat(), "upgraded_from": report.upgraded_from}
        _audit(session, replace(actor, user_id=user_id), "restore", info.name, details)
    return report


def _restore(*, database: Database, options: BackupOptions, name: str) -> RestoreReport:
    started = time.perf_counter()
    kind = database.resolved.kind
    with exclusive(options.backup_dir), _one_in_the_database(database):
        tidy.sweep_leftovers(options.backup_dir)
        info = store.read_metadata(options.backup_dir, name)
        upgrade = _needs_upgrade(info, kind)
        path = store.backup_file(options.backup_dir, name)
        # Pooled connections are closed before and after, so none outlives the old data.
        database.dispose()
        try:
            if kind == "sqlite":
                live = database.resolved.sqlite_path
                assert live is not None
                counts = sqlite.restore(
                    info=info,
                    backup=path,
                    live=live,
                    work_dir=options.backup_dir,
                    timeout_s=options.lock_timeout_s,
                    upgrade=upgrade,
                )
            else:
                counts = postgres.restore(
                    engine=database.engine,
                    url=options.server_url or database.resolved.url,
                    info=info,
                    backup=path,
                    connect_timeout=options.connect_timeout,
                    lock_timeout_s=options.lock_timeout_s,
                    pg_bin_dir=options.pg_bin_dir,
                )
        finally:
            database.dispose()
    return RestoreReport(
        backup=info,
        upgraded_from=info.schema_revision if upgrade else None,
        schema_revision=migrations.head_revision() if upgrade else info.schema_revision,
        row_counts=counts,
        restored_at=datetime.now(UTC),
        duration_s=time.perf_counter() - started,
    )


def _one_in_the_database(database: Database) -> AbstractContextManager[None]:
    """One backup or restore at a time across replicas, which may not share a backup folder.

    The folder's lock (``store.exclusive``) covers the processes of one machine; on PostgreSQL a
    database lock covers every replica of the school (``backend.db.locks``).
    """
    return locks.held_while(database.engine, locks.BACKUPS, busy=store.busy_error())


def _audit(
    session: Session | None, actor: Actor | None, action: str, name: str, details: dict[str, Any]
) -> None:
    if session is None or actor is None:
        return
    audit.record(
        session=session,
        actor=actor,
        action=action,
        entity_type="backup",
        entity_id=name[:64],
        details={"name": name, **details},
    )


def _needs_upgrade(info: BackupInfo, kind: str) -> bool:
    """Decide the schema rule: same revision restores, an older one upgrades (SQLite), else refuse."""
    if info.engine != kind:
        raise BackupError(
            "conflict",
            f"backup {info.name} was made from {_label(info.engine)} but this app runs on {_label(kind)}: "
            "restore it on the engine that made it (to move SQLite data to PostgreSQL, use "
            "python -m backend.scripts.migrate_sqlite_to_postgres)",
        )
    head = migrations.head_revision()
    if info.schema_revision == head:
        return False
    if info.schema_revision not in migrations.known_revisions():
        raise BackupError(
            "conflict",
            f"backup {info.name} has schema {info.schema_revision or 'none'}, which this SMS version "
            f"does not know (it expects {head}): restore it with the SMS version that made it "
            f"({info.app_version}) or a newer one",
        )
    if kind == "postgresql":
        raise BackupError(
            "conflict",
            f"backup {info.name} has the older schema {info.schema_revision} (this code expects {head}) "
            "and a PostgreSQL restore cannot be upgraded in the same transaction: restore it with SMS "
            f"{info.app_version}, then run `python -m backend.db.migrations upgrade`",
        )
    return True


def _label(kind: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(kind, kind)
