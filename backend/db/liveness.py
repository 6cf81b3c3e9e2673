"""The pool's pre-ping, without a round trip for a connection whose server answered a moment ago.

``pool_pre_ping`` sends an empty statement to the server before every checkout. On a busy app
that is one round trip in three of a page read, costing the app and the server about as much
CPU as the read itself, to learn what the connection's last statement, a few milliseconds
earlier, already showed: that it works. So a connection whose server answered a statement less
than ``RECENT_SECONDS`` ago is taken as alive without asking, as HikariCP does for 500 ms (its
``aliveBypassWindowMs``), but only if no transaction is open on it and its socket has been
silent since: a server that ends a connection (a restart, a failover, ``pg_terminate_backend``,
PgBouncer closing it) sends a message and closes the socket, which makes it readable, and such
a connection gets the full ping and is replaced. Every other checkout, of a connection that
has not heard from its server for longer or is in any doubt, gets the full ping as before.
"""

from __future__ import annotations

import select
import time
from typing import Any

from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, event

# As HikariCP's default: long enough that a busy pool never pings, short enough that a
# connection idle through a network change or a server restart is always checked.
RECENT_SECONDS = 0.5
_ANSWERED_AT = "_sms_answered_at"


def recently_used_skip_ping(engine: Engine) -> None:
    """Ping on checkout only connections that have not heard from their server just now."""
    dialect = engine.dialect
    full_ping = dialect.do_ping

    # After each statement, not at check-in: a connection held a long time without a statement
    # and then returned has not heard from its server for all that time.
    @event.listens_for(engine, "after_cursor_execute")
    def _answered(_conn: Any, cursor: Any, *_rest: Any) -> None:
        setattr(cursor.connection, _ANSWERED_AT, time.monotonic())

    def do_ping(dbapi_connection: Any) -> bool:
        answered_at = getattr(dbapi_connection, _ANSWERED_AT, None)
        recent = answered_at is not None and time.monotonic() - answered_at < RECENT_SECONDS
        if recent and _silent_and_idle(dbapi_connection):
            return True
        alive = bool(full_ping(dbapi_connection))
        setattr(dbapi_connection, _ANSWERED_AT, time.monotonic())
        return alive

    # The dialect is this engine's own: other engines keep the plain ping.
    dialect.do_ping = do_ping  # type: ignore[method-assign]


def _silent_and_idle(dbapi_connection: Any) -> bool:
    """Open, outside any transaction, and nothing arrived from the server since its last reply."""
    if dbapi_connection.closed or dbapi_connection.info.transaction_status != TransactionStatus.IDLE:
        return False
    try:
        return not _readable(dbapi_connection.fileno())
    except (OSError, ValueError):  # whatever the socket's trouble, the full ping finds out
        return False


def _readable(fd: int) -> bool:
    """Whether the socket has something to read (a message, or the end of the connection)."""
    if hasattr(select, "poll"):  # select() cannot watch a descriptor above 1023
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP)
        return bool(poller.poll(0))
    readable, _, failed = select.select([fd], [], [fd], 0)  # Windows
    return bool(readable or failed)
