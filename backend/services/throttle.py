"""Login throttling: every attempt is counted in the database before its password is checked.

Two counters answer each attempt: one per account (``account:<email>``, known or not, so the
answers never tell which accounts exist) and one per client address (``client:<address>``).
After a number of free attempts, each further one must wait twice as long as the one before
(up to a maximum) since the previous attempt; a refused attempt does not move that clock, so
nobody can keep an account shut by knocking. The count starts again after a quiet window.

The claim runs in its own short transaction, committed before argon2 runs: the rows are read
``FOR UPDATE`` (row locks on PostgreSQL, the write lock for a few milliseconds on SQLite), so
25 parallel guesses get 25 distinct counts and the slow hash never holds a lock.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backend.models import LoginThrottle
from backend.services.errors import ServiceError

# The first throttled attempt waits this long; each later one twice the one before.
BASE_DELAY_SECONDS = 1.0
# Keys are bounded: the login body's email is at most 255 characters.
_MAX_KEY = 320


@dataclass(frozen=True)
class ThrottlePolicy:
    free_attempts: int
    max_delay_seconds: float
    window: timedelta

    def delay_after(self, attempts: int) -> float:
        """Seconds the next attempt must wait after ``attempts`` counted ones."""
        if attempts < self.free_attempts:
            return 0.0
        return min(BASE_DELAY_SECONDS * 2 ** (attempts - self.free_attempts), self.max_delay_seconds)


@dataclass(frozen=True)
class Counter:
    """One key an attempt counts against, with the policy of its kind."""

    key: str
    policy: ThrottlePolicy


class LoginThrottled(ServiceError):
    status_code = 429

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            f"Too many login attempts: wait {retry_after_seconds} seconds and try again",
            code="login_throttled",
            params={"retry_after_seconds": retry_after_seconds},
        )
        self.retry_after_seconds = retry_after_seconds
        self.headers = {"Retry-After": str(retry_after_seconds)}


def account_key(email: str) -> str:
    return ("account:" + email.strip().lower())[:_MAX_KEY]


def client_key(address: str | None) -> str:
    return ("client:" + (address or "unknown"))[:_MAX_KEY]


def claim_attempt(*, session: Session, counters: Sequence[Counter], now: datetime) -> None:
    """Count one attempt against every counter, or raise LoginThrottled (counting nothing)."""
    ordered = sorted(counters, key=lambda c: c.key)  # one lock order: no deadlock between claims
    _insert_missing(session, [c.key for c in ordered], now)
    rows = {
        row.key: row
        for row in session.scalars(
            select(LoginThrottle)
            .where(LoginThrottle.key.in_([c.key for c in ordered]))
            .order_by(LoginThrottle.key)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    }
    waits = []
    for counter in ordered:
        row = rows[counter.key]
        if now - row.last_attempt_at >= counter.policy.window:
            row.failures, row.window_start, row.blocked_until = 0, now, None
        if row.blocked_until is not None and row.blocked_until > now:
            waits.append((row.blocked_until - now).total_seconds())
    if waits:
        raise LoginThrottled(max(1, math.ceil(max(waits))))
    for counter in ordered:
        row = rows[counter.key]
        row.failures += 1
        row.last_attempt_at = now
        delay = counter.policy.delay_after(row.failures)
        row.blocked_until = now + timedelta(seconds=delay) if delay else None


def _insert_missing(session: Session, keys: list[str], now: datetime) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = [{"key": k, "failures": 0, "window_start": now, "last_attempt_at": now} for k in keys]
    session.execute(insert(LoginThrottle).values(values).on_conflict_do_nothing(index_elements=["key"]))


def forgive_attempt(*, session: Session, account: Counter, client: Counter, now: datetime) -> None:
    """A login succeeded: the account starts afresh, the address forgets only this attempt.

    The address keeps its earlier failures, so logging in to one's own account between
    guesses at others' does not reset the address's count.
    """
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == account.key))
    row = session.scalar(select(LoginThrottle).where(LoginThrottle.key == client.key).with_for_update())
    if row is not None and row.failures > 0:
        row.failures -= 1
        delay = client.policy.delay_after(row.failures)
        row.blocked_until = row.last_attempt_at + timedelta(seconds=delay) if delay else None
    # Counters nobody touched for a window are worth nothing: drop them (unknown emails too).
    stale = now - account.policy.window - timedelta(seconds=account.policy.max_delay_seconds)
    session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_attempt_at < stale,
            or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until < now),
        )
    )


def clear(*, session: Session, key: str) -> bool:
    """Forget one counter (an admin lifting an account's throttle); True if there was one."""
    return session.execute(delete(LoginThrottle).where(LoginThrottle.key == key)).rowcount > 0  # type: ignore[attr-defined]


def blocked_until(*, session: Session, key: str, now: datetime) -> datetime | None:
    """When the counter's next attempt is allowed, if that is still ahead."""
    until = session.scalar(select(LoginThrottle.blocked_until).where(LoginThrottle.key == key))
    return until if until is not None and until > now else None
