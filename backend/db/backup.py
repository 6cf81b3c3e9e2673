"""Backups of the active database (SQLite online backup API, pg_dump) and restore.

The API's Control Panel and ``python -m backend.scripts.backup`` both call these functions.
A backup is a file plus ``<name>.meta.json``; nothing is restored until the file has passed
its checksum, a format check and the schema-revision rule, so a refused restore changes nothing.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backend.db import backup_postgres, backup_sqlite, migrations
from backend.db.backup_store import (
    METADATA_SUFFIX,
    BackupError,
    BackupInfo,
    apply_retention,
    backup_file,
    exclusive,
    list_backups,
    new_name,
    read_metadata,
    validate_name,
    write_metadata,
)
from backend.db.backup_store import delete_backup as _delete
from backend.db.backup_store import file_digest as _file_digest
from backend.db.session import Database

if TYPE_CHECKING:
    from backend.config import Settings

__all__ = [
    "METADATA_SUFFIX",
    "BackupError",
    "BackupInfo",
    "BackupOptions",
    "CreateReport",
    "RestoreReport",
    "backup_file",
    "create_backup",
    "delete_backup",
    "get_backup",
    "last_backup_at",
    "list_backups",
    "restore_backup",
    "validate_name",
]


@dataclass(frozen=True)
class BackupOptions:
    backup_dir: Path
    retention: int = 10
    lock_timeout_s: float = 30.0
    connect_timeout: int = 10
    pg_bin_dir: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> BackupOptions:
        return cls(
            backup_dir=settings.resolve_path(settings.BACKUP_DIR),
            retention=settings.BACKUP_RETENTION,
            lock_timeout_s=settings.SQLITE_BUSY_TIMEOUT_MS / 1000,
            connect_timeout=settings.DB_CONNECT_TIMEOUT,
            pg_bin_dir=settings.PG_BIN_DIR,
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


def create_backup(*, database: Database, options: BackupOptions) -> CreateReport:
    """Back up the active database, write its metadata and apply retention."""
    started, created_at = time.perf_counter(), datetime.now(UTC)
    kind = database.resolved.kind
    with exclusive(options.backup_dir):
        name = new_name(options.backup_dir, engine=kind, created_at=created_at)
        partial = options.backup_dir / f".{name}.partial"
        try:
            if kind == "sqlite":
                live = database.resolved.sqlite_path
                assert live is not None
                facts = backup_sqlite.create(live=live, target=partial, timeout_s=options.lock_timeout_s)
                fmt = backup_sqlite.FORMAT
            else:
                facts = backup_postgres.create(
                    engine=database.engine,
                    url=database.resolved.url,
                    target=partial,
                    connect_timeout=options.connect_timeout,
                    lock_timeout_s=options.lock_timeout_s,
                    pg_bin_dir=options.pg_bin_dir,
                )
                fmt = backup_postgres.FORMAT
            size, sha = _file_digest(partial)
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
            write_metadata(options.backup_dir, info)
        finally:
            partial.unlink(missing_ok=True)
        removed = apply_retention(options.backup_dir, keep=options.retention)
    return CreateReport(info, removed, time.perf_counter() - started)


def get_backup(*, backup_dir: Path, name: str) -> BackupInfo:
    """The metadata of one backup (BackupError if the name is bad or it does not exist)."""
    return read_metadata(backup_dir, name)


def delete_backup(*, backup_dir: Path, name: str) -> None:
    """Delete a backup file and its metadata."""
    validate_name(name)
    with exclusive(backup_dir):
        _delete(backup_dir, name)


def restore_backup(*, database: Database, options: BackupOptions, name: str) -> RestoreReport:
    """Replace the live data with a backup, or refuse and change nothing."""
    started = time.perf_counter()
    kind = database.resolved.kind
    with exclusive(options.backup_dir):
        info = read_metadata(options.backup_dir, name)
        upgrade = _needs_upgrade(info, kind)
        path = backup_file(options.backup_dir, name)
        # Pooled connections are closed before and after, so none outlives the old data.
        database.dispose()
        try:
            if kind == "sqlite":
                live = database.resolved.sqlite_path
                assert live is not None
                counts = backup_sqlite.restore(
                    info=info,
                    backup=path,
                    live=live,
                    work_dir=options.backup_dir,
                    timeout_s=options.lock_timeout_s,
                    upgrade=upgrade,
                )
            else:
                counts = backup_postgres.restore(
                    engine=database.engine,
                    url=database.resolved.url,
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


def last_backup_at(backup_dir: Path) -> datetime | None:
    """The creation time of the newest backup whose metadata file is readable."""
    newest: datetime | None = None
    if not backup_dir.is_dir():
        return None
    for meta in backup_dir.glob(f"*{METADATA_SUFFIX}"):
        try:
            created = datetime.fromisoformat(json.loads(meta.read_text())["created_at"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if newest is None or created > newest:
            newest = created
    return newest
