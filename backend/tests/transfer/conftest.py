"""Fixtures for the migration tool: SQLite sources at head, fresh PostgreSQL targets, a CLI runner."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL, create_engine, text

from backend.config import Settings
from backend.scripts import migrate_sqlite_to_postgres as cli
from backend.scripts.seed_demo import seed_demo


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _no_env_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's .env must not steer the tool under test."""
    monkeypatch.setattr(
        cli, "load_tool_settings", lambda: Settings(_env_file=None, ENVIRONMENT="development")
    )


@pytest.fixture
def source(tmp_path: Path, sqlite_template: Path) -> Path:
    """An empty SMS SQLite database at schema head."""
    path = tmp_path / "source" / "student_management.db"
    path.parent.mkdir()
    shutil.copyfile(sqlite_template, path)
    return path


@pytest.fixture
def target(pg_databases: Any) -> Iterator[URL]:
    """A fresh, empty PostgreSQL database (no schema)."""
    url: URL = pg_databases.create("sms_xfer")
    yield url
    pg_databases.drop(url)


def pg_url(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def seed(path: Path, students: int, seed_value: int = 7) -> None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        seed_demo(engine=engine, students=students, seed=seed_value)
    finally:
        engine.dispose()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def migrate_args(source: Path, target: URL, *extra: str) -> list[str]:
    return ["--sqlite-path", str(source), "--postgres-url", pg_url(target), *extra]


def file_hashes(path: Path) -> dict[str, str]:
    """SHA-256 of the database and each companion file that exists (-wal, -shm, -journal)."""
    hashes = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        file = path.with_name(path.name + suffix)
        if file.exists():
            hashes[suffix or "db"] = hashlib.sha256(file.read_bytes()).hexdigest()
    return hashes


def target_state(url: URL) -> dict[str, Any]:
    """Everything a test needs to see that a target did not change: schema, rows, sequences."""
    engine = create_engine(url)
    state: dict[str, Any] = {}
    with engine.connect() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ).scalars()
        for table in tables:
            rows = "coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')"
            state[table] = conn.execute(text(f'SELECT count(*), md5({rows}) FROM "{table}" t')).one()
        state["__constraints"] = conn.execute(
            text(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"
            )
        ).all()
        state["__indexes"] = conn.execute(
            text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")
        ).all()
        state["__sequences"] = conn.execute(
            text("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1")
        ).all()
    engine.dispose()
    return state


def without_constraints(db: sqlite3.Connection, table: str) -> None:
    """Rebuild a table as an old, careless SQLite schema would have it: no NOT NULL, no UNIQUE."""
    ddl = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    ddl = ddl.replace(" NOT NULL", "")
    ddl = re.sub(r",\s*CONSTRAINT uq_\w+ UNIQUE \([^)]*\)", "", ddl)
    db.execute(f"ALTER TABLE {table} RENAME TO {table}_old")
    db.execute(ddl)
    db.execute(f"INSERT INTO {table} SELECT * FROM {table}_old")
    db.execute(f"DROP TABLE {table}_old")
