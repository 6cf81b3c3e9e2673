"""The pool's pre-ping on a real PostgreSQL (backend.db.liveness): skipped only when it is safe.

What the server saw is read from ``pg_stat_activity.query``, the last statement each server
process ran: the ping is the empty statement ``;``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL, Connection, Engine, create_engine, text

from backend.db import liveness
from backend.db.engine_builder import EngineOptions, create_database_engine, resolve_database

PING = ";"


@pytest.fixture
def engine(postgres_server: URL) -> Iterator[Engine]:
    """The app's engine with a pool of one, so every checkout lends the same connection."""
    resolved = resolve_database(
        database_engine="postgresql",
        database_url=postgres_server.render_as_string(hide_password=False),
        sqlite_path="unused.db",
        base_dir=Path("/"),
    )
    built = create_database_engine(resolved, EngineOptions(pool_size=1, max_overflow=0))
    try:
        yield built
    finally:
        built.dispose()


@pytest.fixture
def observer(postgres_server: URL) -> Iterator[Connection]:
    """A connection of its own, to read what the engine's server process last ran."""
    watching = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with watching.connect() as conn:
        yield conn
    watching.dispose()


def _use(engine: Engine) -> tuple[int, str]:
    """Run a statement nobody else runs; return the server process's pid and the statement."""
    marker = f"SELECT 'sms-liveness-{uuid.uuid4().hex}'"
    # Autocommit: no ROLLBACK follows the marker when the connection goes back to the pool.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(marker))
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        conn.execute(text(marker))  # the last statement this process runs before it is returned
    return pid, marker


def _last_statement(observer: Connection, pid: int) -> str | None:
    statement = text("SELECT query FROM pg_stat_activity WHERE pid = :pid")
    return observer.execute(statement, {"pid": pid}).scalar()


@pytest.mark.parametrize(
    ("idle_seconds", "pinged"),
    [(0.0, False), (liveness.RECENT_SECONDS + 0.2, True)],
    ids=["returned-a-moment-ago", "idle-past-the-window"],
)
def test_only_a_connection_idle_past_the_window_is_pinged_before_it_is_lent(
    engine: Engine, observer: Connection, idle_seconds: float, pinged: bool
) -> None:
    pid, marker = _use(engine)
    time.sleep(idle_seconds)
    with engine.connect() as conn:
        assert conn.connection.dbapi_connection.info.backend_pid == pid  # type: ignore[union-attr]
        assert _last_statement(observer, pid) == (PING if pinged else marker)


def test_a_connection_held_silent_past_the_window_is_pinged_though_just_returned(
    engine: Engine, observer: Connection
) -> None:
    """What counts is when the server last answered, not when the pool got the connection back."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        time.sleep(liveness.RECENT_SECONDS + 0.2)  # checked out, nothing sent
    with engine.connect() as conn:
        assert conn.connection.dbapi_connection.info.backend_pid == pid  # type: ignore[union-attr]
        assert _last_statement(observer, pid) == PING


def test_a_connection_the_server_ended_a_moment_ago_is_replaced_not_lent(
    engine: Engine, observer: Connection
) -> None:
    """A restart or pg_terminate_backend right after a request: the next one must still work."""
    pid, _ = _use(engine)
    assert observer.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}).scalar_one()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 41 + 1")).scalar_one() == 42
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid


def test_a_connection_lent_in_the_middle_of_a_transaction_is_not_trusted(engine: Engine) -> None:
    """Only a connection at rest (no transaction open, nothing unread) skips the ping."""
    with engine.connect() as conn:
        dbapi_connection = conn.connection.dbapi_connection
        conn.execute(text("SELECT 1"))  # SQLAlchemy's connection has begun a transaction
        assert not liveness._silent_and_idle(dbapi_connection)
        conn.rollback()
        assert liveness._silent_and_idle(dbapi_connection)
