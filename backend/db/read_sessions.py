"""Sessions of read-only requests (GET, HEAD): refuse to write, and on PostgreSQL skip BEGIN/COMMIT.

A request in a transaction sends two statements more than its work, BEGIN before the first and
COMMIT after the last: for a page of students that is four round trips where two do the work,
each costing the app's thread and a server process their CPU. Under READ COMMITTED (the
server's default, and the app never asks for another) every statement of a transaction already
reads its own snapshot, so on PostgreSQL a request that only reads sees exactly the same rows
when each statement runs on its own (autocommit).

Such a session must never write: a write there would be committed at once, without the rest
of its request and without a rollback if the request then failed. Every statement a read
session sends is checked first, and a write (or a row lock, which autocommit would drop at
once, and which takes the write lock on SQLite) raises ``WriteInReadSession`` instead of
running: a programming error, answered 500. The check is the same on both engines, so a GET
behaves the same on SQLite and PostgreSQL.

SQLite keeps its transactions (BEGIN there is a function call, and its deferred transactions
take no lock for a read, see ``sqlite_transactions``), and so do reads behind PgBouncer, where
the server-side timeouts ride on each transaction (``SET LOCAL`` in ``engine_builder``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event

from backend.db.sqlite_transactions import locks_rows

_WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "ALTER", "DROP", "TRUNCATE", "GRANT")
_LOCKS = (" FOR UPDATE", " FOR SHARE", " FOR NO KEY UPDATE", " FOR KEY SHARE")

# Request methods that change nothing: their sessions only read.
READ_METHODS = frozenset({"GET", "HEAD"})


class WriteInReadSession(RuntimeError):
    """A read-only request's session was asked to write or lock rows."""


def read_only_engine(engine: Engine, *, autocommit: bool) -> Engine:
    """``engine``'s pool, refusing writes and row locks; each statement on its own if ``autocommit``."""
    reads = engine.execution_options(**({"isolation_level": "AUTOCOMMIT"} if autocommit else {}))

    # Registered on the option engine only: the app's other sessions are not checked.
    @event.listens_for(reads, "before_cursor_execute")
    def _refuse_writes(
        _conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
    ) -> None:
        head = statement.lstrip()[:9].upper()
        writes = context is not None and (context.isinsert or context.isupdate or context.isdelete)
        # A row lock: on SQLite, with_for_update() takes the write lock (sqlite_transactions).
        locks = locks_rows(context) or any(lock in statement for lock in _LOCKS)
        if writes or locks or head.startswith(_WRITES):
            raise WriteInReadSession(
                f"a read-only request (GET) tried to run {head.split(' ', 1)[0] or 'a statement'}: "
                "write from a POST, PUT, PATCH or DELETE route, or give the GET WriteSessionDep"
            )

    return reads
