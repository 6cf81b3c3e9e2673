"""Sessions: the per-request FastAPI dependency and ``session_scope()`` for scripts.

The transaction rule, the one place it is written: a request gets one session and one
transaction. The dependency commits it when the route returns (before the response is sent,
so a 2xx is never followed by a failed commit) and rolls it back when the route raises. Routes
and services never commit; a service that needs database-generated values calls
``session.flush()``. On SQLite the write lock is taken at the transaction's first write, not
up front (``backend.db.sqlite_transactions``), so reads and lock-free work such as checking a
password never queue behind writers; code whose read must still hold when it writes reads
with ``with_for_update()``. A GET or HEAD request's session refuses to write, and on PostgreSQL
runs each statement on its own instead of in a transaction (``backend.db.read_sessions``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from backend.db.admission import RequestSlots
from backend.db.engine_builder import ResolvedDatabase
from backend.db.read_sessions import READ_METHODS, read_only_engine


@dataclass
class Database:
    """The engine of the running app and its session factories."""

    resolved: ResolvedDatabase
    engine: Engine
    # GET requests on PostgreSQL read without BEGIN/COMMIT (backend.db.read_sessions); off
    # behind PgBouncer, where the timeouts are set in each transaction.
    autocommit_reads: bool = False
    # The served app's bound on requests holding a connection at once (backend.db.admission);
    # scripts and tests that open sessions themselves leave it None.
    slots: RequestSlots | None = None

    def __post_init__(self) -> None:
        # On SQLite the engine's writers already take turns with every process on the file
        # (create_database_engine installs backend.core.sqlite_write_queue).
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        autocommit = self.autocommit_reads and self.resolved.kind == "postgresql"
        reads = read_only_engine(self.engine, autocommit=autocommit)
        self.read_sessions = sessionmaker(reads, expire_on_commit=False)

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


async def database_dependency(request: Request) -> Database:
    # async: FastAPI would run a plain function in its thread pool, a hop dearer than the lookup.
    return get_database(request)


def _finish(session: Session, *, commit: bool) -> None:
    """Commit (or roll back) and close: session_scope's ending, in one thread-pool call."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


_FINISHED = "sms_finished"


def finish_in_place(session: Session) -> None:
    """Commit and close the request's session now, in the caller's thread (``backend.api.routing``).

    The dependency below then has nothing left to do: it skips its own trip to the thread pool.
    """
    session.info[_FINISHED] = True
    _finish(session, commit=True)


def _session_dependency(
    sessions_for: Callable[[Database, Request], sessionmaker[Session]],
) -> Callable[[Request], AsyncIterator[Session]]:
    async def request_session(request: Request) -> AsyncIterator[Session]:
        # async: opening a Session touches no database, so it needs no thread-pool hop (a sync
        # generator dependency costs two); the commit or rollback, which do, still run in the
        # pool unless the route already ended the transaction in its own thread (finish_in_place).
        database = get_database(request)
        async with database.slots.slot() if database.slots else nullcontext():
            session = sessions_for(database, request)()
            try:
                yield session
            except BaseException:
                if not session.info.get(_FINISHED):
                    with anyio.CancelScope(shield=True):
                        await run_in_threadpool(_finish, session, commit=False)
                raise
            if not session.info.get(_FINISHED):
                await run_in_threadpool(_finish, session, commit=True)

    return request_session


# A GET's session reads only (backend.db.read_sessions); every other request's may write.
get_session = _session_dependency(
    lambda database, request: database.read_sessions if request.method in READ_METHODS else database.sessions
)
# For the rare GET that must write, such as the audit entry of a backup's download.
get_write_session = _session_dependency(lambda database, _request: database.sessions)

# scope="function": commit (or roll back) when the route returns, before the response goes
# out, so a client never sees 201 for a write whose commit then failed.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
DatabaseDep = Annotated[Database, Depends(database_dependency)]
