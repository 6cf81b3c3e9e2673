"""Read-only mode, kept in the database itself (models.maintenance), on both engines.

Every process that uses the database, the app and its replicas, the CLIs and the migration
tool, reads the same row, so all of them see the mode the moment it commits. Reading it is one
row by primary key (``get_state``); no row means writable.

Like every service, these functions work in the caller's session and never commit, except
``read_only_during``, which owns its short transactions because it outlives the work it wraps.
A change takes the row's lock first: on SQLite its first statement is a write, so
``db.sqlite_transactions`` begins it ``IMMEDIATE`` and it waits for the write transactions in
flight to finish; on PostgreSQL it takes the row lock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, inspect, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from backend.models.base import utcnow
from backend.models.maintenance import STATE_ID, MaintenanceMode
from backend.services.audit import Actor, record
from backend.services.errors import ServiceError

log = logging.getLogger(__name__)
ENTITY = "maintenance_mode"
ON, OFF = "read_only_on", "read_only_off"


@dataclass(frozen=True)
class MaintenanceState:
    read_only: bool = False
    reason: str | None = None
    since: datetime | None = None
    set_by: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "read_only": self.read_only,
            "reason": self.reason,
            "since": self.since.isoformat() if self.since else None,
            "set_by": self.set_by,
        }


WRITABLE = MaintenanceState()
# How long a client refused by read-only mode is told to wait before trying again, in seconds.
RETRY_AFTER_SECONDS = 60


class ReadOnly(ServiceError):
    """A write refused because SMS is read-only; ``params.reason`` says why (from the state row)."""

    status_code = 503

    def __init__(self, state: MaintenanceState) -> None:
        reason = state.reason or "maintenance"
        super().__init__(
            f"SMS is read-only ({reason}): nothing was changed; reading works, try the change again later",
            code="read_only",
            params={"reason": reason},
        )
        self.headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}


@dataclass(frozen=True)
class Switch:
    """A change of the mode: what it was, and what it is now."""

    before: MaintenanceState
    after: MaintenanceState


def has_table(*, connection: Connection) -> bool:
    """Whether the database has the table (schema 0004 or later); older schemas are always writable."""
    return inspect(connection).has_table(MaintenanceMode.__tablename__)


def get_state(*, session: Session, for_update: bool = False) -> MaintenanceState:
    """The mode as committed (or as this transaction changed it); ``for_update`` locks the row."""
    query = select(
        MaintenanceMode.read_only, MaintenanceMode.reason, MaintenanceMode.since, MaintenanceMode.set_by
    ).where(MaintenanceMode.id == STATE_ID)
    if for_update:
        query = query.with_for_update()
    row = session.execute(query).one_or_none()
    return WRITABLE if row is None else MaintenanceState(bool(row[0]), row[1], row[2], row[3])


# Built once: every write request runs one of them just before its commit.
_FOR_WRITE = select(
    MaintenanceMode.read_only, MaintenanceMode.reason, MaintenanceMode.since, MaintenanceMode.set_by
).where(MaintenanceMode.id == STATE_ID)
_FOR_WRITE_PG = _FOR_WRITE.with_for_update(read=True)


def state_for_write(*, session: Session) -> MaintenanceState:
    """The mode as a write transaction must honour it, read last, just before its commit.

    On SQLite a transaction that has written holds the write lock, so no switch can commit
    between this read and the commit; on PostgreSQL ``FOR SHARE`` makes a switch (``FOR
    UPDATE``) wait for this commit, and this read wait for a switch in progress.
    """
    query = _FOR_WRITE_PG if session.get_bind().dialect.name == "postgresql" else _FOR_WRITE
    row = session.execute(query).one_or_none()
    return WRITABLE if row is None else MaintenanceState(bool(row[0]), row[1], row[2], row[3])


def turn_on(*, session: Session, reason: str, set_by: str, actor: Actor | None = None) -> Switch:
    """Make SMS read-only, saying why and who; an audit row when ``actor`` is given."""
    state = MaintenanceState(True, reason, utcnow(), set_by)
    return _set(session=session, state=state, actor=actor, action=ON)


def turn_off(*, session: Session, set_by: str, actor: Actor | None = None) -> Switch:
    """Make SMS writable again; an audit row when ``actor`` is given."""
    state = MaintenanceState(False, None, utcnow(), set_by)
    return _set(session=session, state=state, actor=actor, action=OFF)


def put_back(*, session: Session, state: MaintenanceState, actor: Actor | None = None) -> Switch:
    """Restore a state saved earlier, exactly (reason, since and set_by included)."""
    return _set(session=session, state=state, actor=actor, action=ON if state.read_only else OFF)


def _set(*, session: Session, state: MaintenanceState, actor: Actor | None, action: str) -> Switch:
    before = _lock(session)
    row = session.get(MaintenanceMode, STATE_ID, populate_existing=True)
    assert row is not None  # _lock made sure it exists
    row.read_only, row.reason, row.since, row.set_by = (
        state.read_only,
        state.reason,
        state.since,
        state.set_by,
    )
    session.flush()
    if actor is not None:
        record(
            session=session,
            actor=actor,
            action=action,
            entity_type=ENTITY,
            entity_id=STATE_ID,
            details={"before": before.as_dict(), "after": state.as_dict()},
        )
    return Switch(before, state)


def _lock(session: Session) -> MaintenanceState:
    """The state before the change, with the row locked (and created, writable, if missing).

    The insert comes first on purpose: as a write it makes SQLite take the write lock, which
    waits for every write transaction in flight, and on PostgreSQL the row then exists to lock.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(MaintenanceMode).values(id=STATE_ID, read_only=False).on_conflict_do_nothing())
    return get_state(session=session, for_update=True)


@contextmanager
def read_only_during(
    *,
    sessions: sessionmaker[Session],
    reason: str,
    set_by: str,
    keep_on_success: bool,
    actor: Actor | None = None,
) -> Iterator[Switch]:
    """Read-only while the block runs; afterwards the state from before comes back.

    The mode is on and committed before the block starts. When the block raises (Ctrl-C
    included) the earlier state is put back; when it succeeds, too, unless ``keep_on_success``.
    """
    with sessions() as session, session.begin():
        switch = turn_on(session=session, reason=reason, set_by=set_by, actor=actor)
    try:
        yield switch
    except BaseException:
        try:
            _restore(sessions, switch.before, actor)
        except Exception as exc:  # the block's own error is the one to report
            log.warning("read-only mode could not be put back as it was: %s", exc)
        raise
    if not keep_on_success:
        _restore(sessions, switch.before, actor)


def _restore(sessions: sessionmaker[Session], state: MaintenanceState, actor: Actor | None) -> None:
    with sessions() as session, session.begin():
        put_back(session=session, state=state, actor=actor)
