"""Steps readonly and unchanged (steps.py): a move never leaves a write behind in the source.

Before the snapshot, read-only mode (services/maintenance.py) is turned on in the source, in
one write transaction: SQLite grants it only after the write transactions in flight have
committed, so the snapshot that follows holds them, and every SMS process sees the mode from
then on. After a successful move the source stays read-only (unless the caller says
otherwise); after a failure or Ctrl-C it goes back to what it was.

A program that is not SMS does not know the mode, so before the commit the source is checked
against the snapshot. SQLite's ``PRAGMA data_version`` tells, for free, whether any other
connection has committed to the file since the snapshot; only then are the school's tables
(plan.py: not the bookkeeping, such as the mode's own row or a job's progress) compared with
the snapshot, row for row, inside SQLite. A difference stops the run before its commit, exit 5.
"""

from __future__ import annotations

import getpass
import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from backend.db import sqlite_transactions
from backend.db.errors import describe_db_error
from backend.models.maintenance import MaintenanceMode
from backend.services import maintenance
from backend.transfer import steps
from backend.transfer.errors import UsageError, VerificationFailed
from backend.transfer.plan_types import TablePlan

if TYPE_CHECKING:
    from backend.transfer.report import MigrationReport
    from backend.transfer.snapshot import Snapshot

log = logging.getLogger(__name__)
REASON = "moving to PostgreSQL"


@dataclass(frozen=True)
class TableChange:
    name: str
    rows_then: int
    rows_now: int
    added: int
    removed: int
    changed: int

    def describe(self) -> str:
        parts = [f"{n} row(s) {verb}" for n, verb in ((self.added, "added"), (self.removed, "removed"),
                                                     (self.changed, "changed")) if n]  # fmt: skip
        return f"{self.name} ({', '.join(parts)}: {self.rows_then:,} rows copied, {self.rows_now:,} now)"


class SourceWatch:
    """A connection to the source that notices any commit made by another connection."""

    def __init__(self, source: Path, *, busy_timeout_seconds: float) -> None:
        self.source = source
        # Never writes: it reads the data version and, if that moved, compares tables.
        self._connection = sqlite3.connect(source, timeout=busy_timeout_seconds, check_same_thread=False)
        self._connection.execute("PRAGMA query_only = ON")
        self.has_mode = _has_table(self._connection, "main", MaintenanceMode.__tablename__)
        self._version = 0

    def start(self) -> None:
        """From now on, a commit by anyone else counts (call it before the snapshot is taken)."""
        self._version = self._data_version()

    def _data_version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def written(self) -> bool:
        """Whether another connection committed to the source since ``start``."""
        return self._data_version() != self._version

    def changes(self, snapshot: Path, tables: list[TablePlan]) -> list[TableChange]:
        """The school's tables whose rows differ from the snapshot's (a copy of the source as it was)."""
        connection = self._connection
        connection.execute("ATTACH DATABASE ? AS snapshot", (str(snapshot),))
        try:
            return [change for table in tables if (change := self._compare(table)) is not None]
        finally:
            connection.execute("DETACH DATABASE snapshot")

    def _compare(self, table: TablePlan) -> TableChange | None:
        name = f'"{table.name}"'
        present = [_has_table(self._connection, schema, table.name) for schema in ("main", "snapshot")]
        if not any(present):
            return None
        now = self._count("main", name) if present[0] else 0
        then = self._count("snapshot", name) if present[1] else 0
        if not all(present):
            return TableChange(table.name, then, now, now, then, 0)
        keys = ", ".join(f'"{c}"' for c in table.primary_key)
        try:
            added, removed, changed = self._connection.execute(
                f"WITH new AS (SELECT * FROM main.{name} EXCEPT SELECT * FROM snapshot.{name}), "
                f"old AS (SELECT * FROM snapshot.{name} EXCEPT SELECT * FROM main.{name}) "
                f"SELECT (SELECT count(*) FROM new), (SELECT count(*) FROM old), "
                f"(SELECT count(*) FROM new JOIN old USING ({keys}))"
            ).fetchone()
        except sqlite3.OperationalError:  # its columns changed: every row counts as changed
            return TableChange(table.name, then, now, 0, 0, max(now, then))
        if not (added or removed):
            return None
        return TableChange(table.name, then, now, added - changed, removed - changed, changed)

    def _count(self, schema: str, name: str) -> int:
        return int(self._connection.execute(f"SELECT count(*) FROM {schema}.{name}").fetchone()[0])

    def close(self) -> None:
        self._connection.close()


def _has_table(connection: sqlite3.Connection, schema: str, name: str) -> bool:
    query = f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = ?"
    return connection.execute(query, (name,)).fetchone() is not None


def refuse_changes(changes: list[TableChange], source: Path) -> None:
    """Stop before the commit (exit 5) when the source took writes the copy does not hold."""
    if changes:
        raise VerificationFailed(
            f"the source {source} changed during the migration: "
            + "; ".join(change.describe() for change in changes)
            + "; nothing was committed: stop whatever writes to it (the app, another program), then rerun",
            details=[change.describe() for change in changes],
        )


def operator() -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        user = "unknown user"
    return f"{user} (migrate_sqlite_to_postgres)"


@contextmanager
def guard_source(
    source: Path, *, read_only: bool, keep_read_only: bool, lock_timeout_seconds: float
) -> Iterator[SourceWatch]:
    """Read-only mode on in the source for the block (if ``read_only``), and a watch on it.

    The mode stays on after the block succeeds if ``keep_read_only``; after a failure it goes
    back to what it was. The watch starts once the mode is on, so it is ready before the snapshot.
    """
    watch = SourceWatch(source, busy_timeout_seconds=lock_timeout_seconds)
    with ExitStack() as stack:
        stack.callback(watch.close)
        if read_only and watch.has_mode:
            engine = create_engine(
                f"sqlite:///{source}", poolclass=NullPool, connect_args={"timeout": lock_timeout_seconds}
            )
            stack.callback(engine.dispose)
            sqlite_transactions.install(engine)
            during = maintenance.read_only_during(
                sessions=sessionmaker(engine),
                reason=REASON,
                set_by=operator(),
                keep_on_success=keep_read_only,
                # No audit row: audit_log is school data that is migrated, and the source's
                # school tables must stay exactly as the snapshot copied them.
            )
            try:
                stack.enter_context(during)
            except SQLAlchemyError as exc:
                raise UsageError(
                    f"read-only mode could not be turned on in {source}: {describe_db_error(exc)}; "
                    "nothing was written"
                ) from None
        watch.start()
        yield watch


@contextmanager
def guarded(
    source: Path, report: MigrationReport, *, dry_run: bool, keep_read_only: bool, lock_timeout_seconds: float
) -> Iterator[SourceWatch | None]:
    """steps.READ_ONLY: the source read-only and watched for the run; a dry run leaves it alone."""
    if dry_run:
        report.source_guard = {"read_only": "untouched (dry run)"}
        yield None
        return
    log.info("%s", steps.READ_ONLY.name)
    with guard_source(
        source, read_only=True, keep_read_only=keep_read_only, lock_timeout_seconds=lock_timeout_seconds
    ) as watch:
        report.source_guard = {"read_only": "on" if watch.has_mode else "unavailable"}
        if not watch.has_mode:
            report.warnings.append(
                "the source's schema is older than revision 0004 and has no read-only mode, so SMS can "
                "still write to it during the move; the check before the commit still catches any write"
            )
        try:
            yield watch
        except BaseException:
            report.source_guard["after"] = "as before the run"
            raise
        kept = keep_read_only and watch.has_mode
        report.source_guard["after"] = "read-only" if kept else "as before the run"


def check_unchanged(
    watch: SourceWatch, snapshot: Snapshot, tables: list[TablePlan], report: MigrationReport
) -> None:
    """steps.UNCHANGED: the source took no write the copy misses (exit 5 before the commit)."""
    log.info("%s", steps.UNCHANGED.name)
    started = time.perf_counter()
    written = watch.written()
    changes = watch.changes(snapshot.original, tables) if written else []
    report.source_guard.update(
        written_during_run=written,
        changed=[change.describe() for change in changes],
        check_seconds=round(time.perf_counter() - started, 3),
    )
    refuse_changes(changes, snapshot.source)
