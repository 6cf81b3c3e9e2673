"""The snapshot step (steps.SNAPSHOT): a private, consistent copy of the source, at schema head.

The source's files are copied byte for byte: the database, its ``-wal`` (rows not yet
checkpointed) and a ``-journal`` go into a temporary directory and SQLite opens the copy,
replaying the WAL there; everything after this step reads the copy. The file sizes and times
are compared before and after the copy so that a database written to meanwhile is copied
again rather than read torn. (The source itself is opened only by source_guard.py, which
turns read-only mode on and watches for commits.) A copy behind the schema head is upgraded;
the copy as it was is kept beside it, for the unchanged step to compare the source with.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError

from backend.db import migrations
from backend.db.errors import describe_db_error
from backend.transfer.errors import DamagedSource, SchemaMigrationError, UsageError

SQLITE_HEADER = b"SQLite format 3\x00"
COMPANIONS = ("", "-wal", "-journal")
ATTEMPTS = 3


@dataclass(frozen=True)
class Snapshot:
    source: Path
    path: Path
    revision: str
    upgraded_from: str | None
    # The copy at the source's own revision: ``path`` itself unless it was upgraded.
    original: Path

    def connect(self) -> sqlite3.Connection:
        """A read-only connection to the snapshot, usable from the thread that opened it."""
        connection = sqlite3.connect(self.path, check_same_thread=False)
        connection.execute("PRAGMA query_only = ON")
        return connection


def _fingerprint(source: Path) -> list[tuple[str, int, int] | None]:
    result: list[tuple[str, int, int] | None] = []
    for suffix in COMPANIONS:
        file = source.with_name(source.name + suffix)
        stat = file.stat() if file.exists() else None
        result.append((suffix, stat.st_size, stat.st_mtime_ns) if stat else None)
    return result


def _copy_files(source: Path, target: Path) -> None:
    for attempt in range(ATTEMPTS):
        before = _fingerprint(source)
        for suffix in COMPANIONS:
            file = source.with_name(source.name + suffix)
            copy = target.with_name(target.name + suffix)
            copy.unlink(missing_ok=True)
            if file.exists():
                shutil.copyfile(file, copy)
        if _fingerprint(source) == before:
            return
        if attempt == ATTEMPTS - 1:
            raise UsageError(
                f"{source} changed {ATTEMPTS} times while it was being copied: stop the app (and anything "
                "else writing to it) before migrating"
            )


def check_source(source: Path) -> None:
    """A missing file, a folder or a file that is not SQLite: exit 2 before anything opens it."""
    if not source.exists():
        raise UsageError(f"the SQLite file {source} does not exist: pass --sqlite-path with the right path")
    if not source.is_file():
        raise UsageError(f"{source} is not a file: pass --sqlite-path with the path of the .db file")
    with source.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise UsageError(f"{source} is not a SQLite database (its first bytes are not 'SQLite format 3')")


def source_error(source: Path, exc: sqlite3.DatabaseError) -> UsageError:
    """An error SQLite raised reading the source or its snapshot, as one line (exit 2)."""
    if isinstance(exc, sqlite3.OperationalError):  # locked, or unreadable: rerun when it is free
        return UsageError(f"the SQLite file {source}: {exc}; nothing was written")
    return DamagedSource(f"the SQLite file {source} is damaged ({exc}): {DamagedSource.advice}")


def _revision(path: Path) -> str | None:
    with closing(sqlite3.connect(path)) as connection:
        try:
            tables = {
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"the SQLite file cannot be read ({exc}): is it damaged?") from None
        if "alembic_version" not in tables:
            if tables & {"students", "courses", "users"}:
                raise SchemaMigrationError(
                    "the source has SMS tables but no alembic_version table, so its schema revision is "
                    "unknown: run `python -m backend.db.migrations upgrade` against it with the SMS version "
                    "that created it"
                )
            raise UsageError("the SQLite file holds no SMS tables: check --sqlite-path")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None


@contextmanager
def snapshot_source(source: Path) -> Iterator[Snapshot]:
    """Copy the source aside, bring the copy to head, and remove the copy afterwards."""
    source = source.expanduser().resolve()
    check_source(source)
    workdir = Path(tempfile.mkdtemp(prefix="sms-migrate-"))
    try:
        path = workdir / "source.db"
        _copy_files(source, path)
        revision = _revision(path)
        head = migrations.head_revision()
        upgraded_from, original = None, path
        if revision != head:
            if revision is None or revision not in migrations.known_revisions():
                raise SchemaMigrationError(
                    f"the source is at schema revision {revision or 'none'}, which this version of SMS does "
                    f"not know (its head is {head}): migrate with the SMS version that wrote the database"
                )
            original = workdir / "original.db"
            with closing(sqlite3.connect(path)) as copy, closing(sqlite3.connect(original)) as kept:
                copy.backup(kept)
            engine = create_engine(f"sqlite:///{path}")
            try:
                migrations.upgrade(engine)
            except SQLAlchemyError as exc:
                raise SchemaMigrationError(
                    f"upgrading a copy of the source from {revision} to {head} failed: "
                    f"{describe_db_error(exc)}"
                ) from None
            finally:
                engine.dispose()
            upgraded_from = revision
        yield Snapshot(source, path, head, upgraded_from, original)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
