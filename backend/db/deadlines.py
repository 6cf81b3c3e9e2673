"""A bound on every wait for the PostgreSQL server, for a server that hangs instead of failing.

``statement_timeout`` is enforced by the server and TCP keepalives are answered by its kernel,
so neither ends a wait on a *frozen* server (a stopped VM, a hung storage volume, a stalled
proxy): the socket stays open, the kernel keeps ACKing, and nothing ever comes back. psycopg
runs every exchange with the server (connect aside, which ``connect_timeout`` bounds) through
``Connection.wait``; this module's connection class gives that wait a deadline. Past it the
connection is closed (the pool sees a broken connection and drops it), the worker thread is
free again, and the caller gets ``DatabaseDeadlineExceeded``, which the API answers with a 503.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import psycopg
from psycopg import errors
from psycopg.abc import PQGen

RV = TypeVar("RV")

# A shorter bound for one block of work (the readiness probe), seen by the threads it runs in.
_override: ContextVar[float | None] = ContextVar("sms_db_deadline", default=None)


class DatabaseDeadlineExceeded(psycopg.OperationalError):
    """The server did not answer within the deadline; the connection was closed."""


class DeadlineConnection(psycopg.Connection[Any]):
    """A psycopg connection whose every wait on the server ends after ``deadline_seconds``."""

    deadline_seconds: float | None = None

    def wait(self, gen: PQGen[RV], interval: float = 0.1, timeout: float | None = None) -> RV:
        bounds = [b for b in (_override.get(), self.deadline_seconds) if b]
        limit = min(bounds) if bounds else None
        if limit is None or (timeout is not None and timeout <= limit):
            return super().wait(gen, interval=interval, timeout=timeout)
        try:
            return super().wait(gen, interval=interval, timeout=limit)
        except errors._WaitTimeout:
            # The exchange stopped half-way: the connection cannot be used again.
            self.close()
            raise DatabaseDeadlineExceeded(
                f"the database server did not answer within {limit:g} s; the connection was closed"
            ) from None


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Bound the database waits of this block (and of the threads it starts) to ``seconds``."""
    token = _override.set(seconds)
    try:
        yield
    finally:
        _override.reset(token)
