"""PostgreSQL backups with ``pg_dump -Fc`` and restore with ``pg_restore`` in one transaction.

The dump runs on a snapshot exported from our own REPEATABLE READ transaction, so the row
counts written to the metadata are exactly those of the dump, even while the app writes.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from backend.backups import pg_tools
from backend.backups.errors import BackupError
from backend.backups.store import BackupInfo, SnapshotFacts, check_digest
from backend.db.errors import describe_db_error

HEADER = b"PGDMP"
FORMAT = "pg_dump-custom"


def create(
    *,
    engine: Engine,
    url: URL,
    target: Path,
    connect_timeout: int,
    lock_timeout_s: float,
    pg_bin_dir: str | None = None,
) -> SnapshotFacts:
    """Dump the database into ``target``; return what the snapshot held."""
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            major = int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000
            server_version = str(connection.execute(text("SHOW server_version")).scalar_one())
            revision, counts = _describe(connection)
            tool = _tool("pg_dump", major, pg_bin_dir)
            libpq = pg_tools.libpq_target(url, connect_timeout=connect_timeout)
            args = [
                "--format=custom",
                f"--file={target}",
                f"--snapshot={snapshot}",
                # Behind a migration's exclusive lock, fail instead of waiting without end.
                f"--lock-wait-timeout={int(lock_timeout_s * 1000)}",
                f"--dbname={libpq.conninfo}",
            ]
            try:
                pg_tools.run_pg_tool(tool, args, libpq)
            except pg_tools.PgToolError as exc:
                busy = "could not obtain lock" in str(exc)
                raise BackupError(
                    "busy" if busy else "failed",
                    f"the PostgreSQL backup failed: {exc}" + ("; try again in a moment" if busy else ""),
                ) from None
            connection.rollback()
    except SQLAlchemyError as exc:
        raise BackupError(
            "unavailable", f"cannot read the database to back it up: {describe_db_error(exc)}"
        ) from None
    return SnapshotFacts(revision, counts, server_version, tool_version=tool.version)


def restore(
    *,
    engine: Engine,
    url: URL,
    info: BackupInfo,
    backup: Path,
    connect_timeout: int,
    lock_timeout_s: float,
    pg_bin_dir: str | None = None,
) -> dict[str, int]:
    """Check the archive, then replace the database's contents with it in one transaction."""
    check_digest(backup, info)
    with backup.open("rb") as handle:
        if handle.read(len(HEADER)) != HEADER:
            raise BackupError(
                "corrupt",
                f"{info.name} is not a pg_dump archive, so it was not restored and the live data is "
                "untouched: use a backup made by SMS on PostgreSQL",
            )
    try:
        major = pg_tools.server_major(engine)
    except SQLAlchemyError as exc:
        raise BackupError(
            "unavailable", f"cannot reach the database to restore: {describe_db_error(exc)}"
        ) from None
    tool = _tool("pg_restore", max(major, _major(info.tool_version)), pg_bin_dir)
    revision = _archive_revision(tool, backup, info)
    if revision != info.schema_revision:
        raise BackupError(
            "corrupt",
            f"backup {info.name} holds schema {revision} but its metadata says {info.schema_revision}, so "
            "it was not restored and the live data is untouched: use another backup",
        )
    app_name = f"sms-restore-{secrets.token_hex(4)}"
    libpq = pg_tools.libpq_target(url, connect_timeout=connect_timeout, application_name=app_name)
    args = [
        "--clean",
        "--if-exists",
        # One transaction: a failure anywhere leaves the old data exactly as it was.
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-privileges",
        f"--dbname={libpq.conninfo}",
        str(backup),
    ]
    watchdog = _LockWatchdog(engine, app_name, lock_timeout_s)
    try:
        pg_tools.run_pg_tool(tool, args, libpq, while_running=watchdog.check)
    except pg_tools.PgToolError as exc:
        if watchdog.cancelled:
            raise BackupError(
                "busy",
                f"restoring {info.name} waited more than {lock_timeout_s:g} s for other connections to "
                "release the tables, so it was cancelled and rolled back; the live data is unchanged: "
                "try again when fewer people are saving, or stop the app first",
            ) from None
        raise BackupError(
            "failed", f"restoring {info.name} failed and was rolled back, the live data is unchanged: {exc}"
        ) from None
    finally:
        watchdog.close()
    with engine.connect() as connection:
        return _describe(connection)[1]


def _describe(connection: Connection) -> tuple[str | None, dict[str, int]]:
    tables = connection.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    ).scalars()
    quote = connection.dialect.identifier_preparer.quote
    counts = {
        t: int(connection.execute(text(f"SELECT count(*) FROM {quote(t)}")).scalar_one()) for t in tables
    }
    revision = None
    if "alembic_version" in counts:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return revision, counts


def _archive_revision(tool: pg_tools.PgTool, backup: Path, info: BackupInfo) -> str | None:
    """Read alembic_version's row out of the archive; reading it also proves the archive is readable."""
    args = ["--data-only", "--table=alembic_version", "--file=-", str(backup)]
    try:
        done = pg_tools.run_pg_tool(tool, args, pg_tools.offline_target())
    except pg_tools.PgToolError as exc:
        raise BackupError(
            "corrupt",
            f"backup {info.name} is not a readable pg_dump archive ({exc}), so it was not restored and the "
            "live data is untouched: use another backup",
        ) from None
    lines = done.decode("utf-8", "replace").splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line:
            value = lines[index + 1] if index + 1 < len(lines) else "\\."
            return None if value == "\\." else value.split("\t")[0]
    return None


class _LockWatchdog:
    """Cancel pg_restore when one of its statements waits on a lock for too long.

    lock_timeout cannot do this: every pg_dump archive begins with ``SET lock_timeout = 0``.
    """

    def __init__(self, engine: Engine, application_name: str, timeout_s: float) -> None:
        self.engine, self.application_name, self.timeout_s = engine, application_name, timeout_s
        self.connection: Connection | None = None
        self.cancelled = False

    def check(self) -> None:
        if self.cancelled:
            return
        try:
            if self.connection is None:
                self.connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            waiting = self.connection.execute(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = :name AND "
                    "wait_event_type = 'Lock' AND clock_timestamp() - query_start > make_interval(secs => :s)"
                ),
                {"name": self.application_name, "s": self.timeout_s},
            ).scalar()
            if waiting is not None:
                self.connection.execute(text("SELECT pg_cancel_backend(:pid)"), {"pid": waiting})
                self.cancelled = True
        except SQLAlchemyError:
            # Only a safety net: pg_restore still finishes or fails on its own.
            return

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _tool(name: str, min_major: int, pg_bin_dir: str | None) -> pg_tools.PgTool:
    try:
        return pg_tools.find_pg_tool(name, min_major=min_major, bin_dir=pg_bin_dir)
    except pg_tools.PgToolError as exc:
        raise BackupError("unavailable", str(exc)) from None


def _major(version: str | None) -> int:
    try:
        return int((version or "0").split(".")[0])
    except ValueError:
        return 0
