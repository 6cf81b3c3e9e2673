"""Read-only mode in the app: every write endpoint answers 503 ``read_only`` while it is on.

Two checks, because one alone is either slow or racy:

- ``refuse_writes`` (an app-wide dependency, run before any route's own) refuses a write
  request up front from a per-process copy of the state that is at most ``CACHE_SECONDS``
  old: one primary-key read per second per process, so a switch made by another replica or a
  CLI is seen within a second.
- A request it let through may still meet a switch made within that second. So the request's
  writes are checked once more just before their commit (``install``): on SQLite the
  transaction then holds the write lock, and on PostgreSQL it shares the state row's lock, so
  a switch either commits before (the write is refused) or waits for it (the write is in
  whatever the switch's author, such as the migration tool, reads next). A write the app
  answered 2xx is therefore never one that read-only mode was meant to keep out.

Logging in and out stays possible (their session and throttle rows are bookkeeping), and so
does the switch itself and the migration-readiness check, which only reads.
"""

from __future__ import annotations

import threading
import time
from contextvars import ContextVar

from fastapi import Request
from fastapi.routing import APIRoute
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from backend.db.session import Database
from backend.services import maintenance
from backend.services.maintenance import MaintenanceState, ReadOnly

# How stale a process's copy of the state may be. The issue asks that every process see a
# switch "at once": within this second is what that means here.
CACHE_SECONDS = 1.0
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/v1/"
# (method, route path) of the writes read-only mode lets through.
EXEMPT = frozenset(
    {
        ("POST", "/api/v1/auth/login"),
        ("POST", "/api/v1/auth/logout"),
        ("POST", "/api/v1/auth/logout-everywhere"),
        ("PUT", "/api/v1/control/maintenance"),
        ("POST", "/api/v1/control/migration-readiness"),  # a POST that only reads
        ("POST", "/api/v1/year-end/preview"),  # likewise: who would move up, nothing changed
        # The move's own controls: it turns the mode on itself, and a cancel must get through.
        ("POST", "/api/v1/control/move/connection-test"),
        ("POST", "/api/v1/control/move/jobs"),
        ("POST", "/api/v1/control/move/jobs/{job_id}/cancel"),
    }
)

# Set for the request whose writes must honour the mode; sessions commit-check only then.
_guarded: ContextVar[bool] = ContextVar("sms_read_only_guarded", default=False)


class StateCache:
    """This process's copy of the mode, read again when older than ``max_age`` seconds."""

    def __init__(self, max_age: float = CACHE_SECONDS) -> None:
        self.max_age = max_age
        self._lock = threading.Lock()
        self._state: MaintenanceState | None = None
        self._read_at = 0.0

    def fresh(self) -> MaintenanceState | None:
        """The copy if it is young enough, else None (the caller reads the database)."""
        if self._state is not None and time.monotonic() - self._read_at < self.max_age:
            return self._state
        return None

    def read(self, sessions: sessionmaker[Session]) -> MaintenanceState:
        with self._lock:  # one reader per process refreshes; the others take its answer
            state = self.fresh()
            if state is None:
                with sessions() as session:
                    state = maintenance.get_state(session=session)
                self.store(state)
            return state

    def store(self, state: MaintenanceState) -> None:
        self._state, self._read_at = state, time.monotonic()


def is_guarded(method: str, path: str) -> bool:
    """Whether this request (by its route's path template) is a write read-only mode refuses."""
    return method in WRITE_METHODS and path.startswith(API_PREFIX) and (method, path) not in EXEMPT


def cache_of(request: Request) -> StateCache:
    cache: StateCache = request.app.state.read_only_cache
    return cache


async def refuse_writes(request: Request) -> None:
    """503 ``read_only`` for a write while the mode is on; marks the request's writes as guarded."""
    route = request.scope.get("route")
    path = route.path if isinstance(route, APIRoute) else request.url.path
    if not is_guarded(request.method, path):
        return
    _guarded.set(True)
    cache = cache_of(request)
    state = cache.fresh()
    if state is None:  # at most once a second: the read runs off the event loop
        state = await run_in_threadpool(cache.read, request.app.state.database.sessions)
    if state.read_only:
        raise ReadOnly(state)


def install(database: Database) -> None:
    """Check a guarded request's transaction against the mode just before it commits."""

    @event.listens_for(database.sessions, "before_commit")
    def _refuse_if_read_only(session: Session) -> None:
        if not _guarded.get():
            return
        state = maintenance.state_for_write(session=session)
        if state.read_only:
            raise ReadOnly(state)
