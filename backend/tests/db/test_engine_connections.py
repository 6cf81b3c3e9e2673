"""The engine factory against real servers: passwords, libpq options and SQLite pragmas."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, text

from backend.db.engine_builder import (
    EngineOptions,
    ResolvedDatabase,
    create_database_engine,
    resolve_database,
)

PASSWORD = "p@ss:w/rd%21#x !?&"


def _postgres_settings(server: URL) -> dict[str, object]:
    host = server.host or str(server.query["host"])
    return {
        "database_engine": "postgresql",
        "database_url": None,
        "sqlite_path": "unused.db",
        "base_dir": Path("/"),
        "postgres_host": host,
        "postgres_port": server.port or 5432,
        "postgres_db": server.database,
        "postgres_user": server.username,
        "postgres_sslmode": "disable" if host.startswith("/") else "prefer",
    }


@contextmanager
def _engine(resolved: ResolvedDatabase, options: EngineOptions | None = None) -> Iterator[Engine]:
    """The engine the app would build, disposed of when the test is done with it."""
    engine = create_database_engine(resolved, options)
    try:
        yield engine
    finally:
        engine.dispose()


def _password_libpq_got(resolved: ResolvedDatabase) -> str:
    with _engine(resolved) as engine, engine.connect() as conn:
        return conn.connection.driver_connection.info.password  # type: ignore[union-attr,no-any-return]


def test_password_with_special_characters_reaches_libpq_from_postgres_password(postgres_server: URL) -> None:
    resolved = resolve_database(**_postgres_settings(postgres_server), postgres_password=PASSWORD)  # type: ignore[arg-type]
    assert _password_libpq_got(resolved) == PASSWORD


def test_percent_encoded_password_in_database_url_reaches_libpq(postgres_server: URL) -> None:
    encoded = postgres_server.set(password=PASSWORD).render_as_string(hide_password=False)
    assert "%40" in encoded and "%25" in encoded
    resolved = resolve_database(
        database_engine=None, database_url=encoded, sqlite_path="x", base_dir=Path("/")
    )
    assert _password_libpq_got(resolved) == PASSWORD


def test_postgres_options_reach_libpq(postgres_server: URL) -> None:
    resolved = resolve_database(
        **_postgres_settings(postgres_server),  # type: ignore[arg-type]
        postgres_options="application_name=sms-night&connect_timeout=7&options=-c statement_timeout=4321"
        "&target_session_attrs=read-write",
    )
    with _engine(resolved) as engine, engine.connect() as conn:
        assert conn.execute(text("SHOW application_name")).scalar_one() == "sms-night"
        assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "4321ms"
        params = conn.connection.driver_connection.info.get_parameters()  # type: ignore[union-attr]
        assert params["connect_timeout"] == "7"
        assert params["target_session_attrs"] == "read-write"


def test_application_name_and_connect_timeout_default_when_unset(postgres_server: URL) -> None:
    resolved = resolve_database(**_postgres_settings(postgres_server))  # type: ignore[arg-type]
    with _engine(resolved, EngineOptions(connect_timeout=9)) as engine:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW application_name")).scalar_one() == "sms"
            params = conn.connection.driver_connection.info.get_parameters()  # type: ignore[union-attr]
            assert params["connect_timeout"] == "9"
        assert engine.pool.size() == 10  # type: ignore[attr-defined]


def test_sqlite_pragmas_hold_on_every_connection(tmp_path: Path) -> None:
    resolved = resolve_database(
        database_engine="sqlite",
        database_url=None,
        sqlite_path=str(tmp_path / "new" / "sms.db"),
        base_dir=tmp_path,
    )
    with _engine(resolved, EngineOptions(sqlite_busy_timeout_ms=12345)) as engine:
        # Reads take no lock, so both can hold a transaction at once in this one thread.
        with engine.connect() as first, engine.connect() as second:
            assert first.connection.dbapi_connection is not second.connection.dbapi_connection
            for conn in (first, second):
                assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
                assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
                assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == 12345
                assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 1  # NORMAL
        assert (tmp_path / "new" / "sms.db").exists()  # the folder was created


def test_sqlite_enforces_foreign_keys(tmp_path: Path) -> None:
    resolved = resolve_database(
        database_engine=None, database_url=None, sqlite_path=str(tmp_path / "fk.db"), base_dir=tmp_path
    )
    with _engine(resolved) as engine:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
            conn.execute(
                text("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))")
            )
        with pytest.raises(Exception, match="FOREIGN KEY"), engine.begin() as conn:
            conn.execute(text("INSERT INTO child (parent_id) VALUES (42)"))
