"""The sessions step (steps.SESSIONS): a target that others are using is never replaced.

Replacing the tables of a database the app (or psql, or another tool) is connected to would
pull the data from under it, or hand it rows it never wrote. So before anything is erased or
written, the target's other sessions are listed from ``pg_stat_activity``: any at all stops the
run (exit 2) unless the caller forces it; a dry run reports them. PostgreSQL shows every
user the existence, database and application name of other users' sessions; their client
address only to a superuser or a member of pg_read_all_stats, so it may read "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

from backend.transfer.errors import UsageError

if TYPE_CHECKING:
    from backend.transfer.report import MigrationReport

# Client backends only: autovacuum and other background workers also name the database.
_OTHER_SESSIONS = text(
    "SELECT coalesce(application_name, ''), "
    "CASE WHEN client_addr IS NOT NULL THEN host(client_addr) "
    "WHEN client_port = -1 THEN 'local socket' ELSE 'unknown' END, count(*) "
    "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND coalesce(backend_type, 'client backend') = 'client backend' "
    "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2"
)


@dataclass(frozen=True)
class SessionGroup:
    """Sessions of one application from one client."""

    application_name: str
    client: str
    count: int

    def as_dict(self) -> dict[str, Any]:
        return {"application_name": self.application_name, "client": self.client, "count": self.count}

    def describe(self) -> str:
        name = f"'{self.application_name}'" if self.application_name else "no application name"
        return f"{name} from {self.client} ({self.count})"


def other_sessions(engine: Engine) -> list[SessionGroup]:
    """The target database's sessions other than this process's own."""
    # This process's idle pooled connections would count as others: close them first.
    engine.dispose()
    with engine.connect() as connection:
        rows = connection.execute(_OTHER_SESSIONS).all()
        connection.rollback()
    return [SessionGroup(str(name), str(client), int(count)) for name, client, count in rows]


def describe_sessions(groups: list[SessionGroup]) -> str:
    total = sum(group.count for group in groups)
    return f"{total} other session(s): " + ", ".join(group.describe() for group in groups)


def refuse_live_target(groups: list[SessionGroup], *, target: str) -> None:
    """Exit 2, naming the sessions, when anything else is connected to the target."""
    if groups:
        raise UsageError(
            f"the target {target} is in use: {describe_sessions(groups)}; stop them (the app, psql, "
            "another tool) and rerun, or rerun with --force-live-target; nothing was written",
            details=[group.as_dict() for group in groups],
        )


def check_target_sessions(engine: Engine, report: MigrationReport, *, dry_run: bool, force: bool) -> None:
    """steps.SESSIONS: refuse a target others use, unless forced; a dry run names them."""
    groups = other_sessions(engine)
    report.target_sessions = [group.as_dict() for group in groups]
    if not groups:
        return
    if dry_run:
        report.warnings.append(
            f"the target is in use: {describe_sessions(groups)}; a real run stops (exit 2) unless "
            "--force-live-target"
        )
    elif force:
        report.warnings.append(
            f"the target is in use: {describe_sessions(groups)}; going on (--force-live-target)"
        )
    else:
        refuse_live_target(groups, target=report.target)
