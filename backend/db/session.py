"""Sessions: the per-request FastAPI dependency and ``session_scope()`` for scripts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from backend.db.engine_builder import ResolvedDatabase

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass
class Database:
    """The engine of the running app and its session factories."""

    resolved: ResolvedDatabase
    engine: Engine

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Reads on SQLite need not queue behind writers for the write lock (WAL lets them run).
        self.read_engine = self.engine.execution_options(sqlite_begin="DEFERRED")
        self.read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def session_scope(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit if the block succeeds, roll back if it raises."""
    session = sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def get_session(request: Request) -> Iterator[Session]:
    database = get_database(request)
    factory = database.read_sessions if request.method in READ_ONLY_METHODS else database.sessions
    with session_scope(factory) as session:
        yield session


# scope="function": commit (or roll back) when the route returns, before the response goes
# out, so a client never sees 201 for a write whose commit then failed.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
DatabaseDep = Annotated[Database, Depends(get_database)]
