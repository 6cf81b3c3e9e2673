"""Move to PostgreSQL: which PostgreSQL (configured or typed in), and what a test of it finds.

A target is a ``MoveTarget``: where, and the password apart from it, so that nothing that is
stored or answered ever holds the password (a job stores it sealed, see jobs/sealed.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from backend.config import REPO_ROOT, Settings
from backend.db.engine_builder import (
    DatabaseConfigError,
    EngineOptions,
    ResolvedDatabase,
    create_database_engine,
    resolve_database,
)
from backend.schemas.move import ConnectionInput, ConnectionTest, Problem, SessionGroupOut, TableRows
from backend.services.errors import ServiceError
from backend.transfer.plan import build_plan
from backend.transfer.target_sessions import other_sessions

TEST_CONNECT_TIMEOUT_SECONDS = 5
# The name the target's session list shows for SMS's own look at it.
APPLICATION_NAME = "sms-move-check"


class ConnectionIncomplete(ServiceError):
    status_code = 400


@dataclass(frozen=True)
class MoveTarget:
    host: str
    port: int
    database: str
    user: str
    sslmode: str
    options: str | None
    password: str | None

    def public(self) -> dict[str, Any]:
        """Where it points, for answers, audit rows and the job's stored inputs."""
        return {
            "host": self.host,
            "port": self.port,
            "database": self.database,
            "user": self.user,
            "sslmode": self.sslmode,
            "options": self.options,
        }

    def resolved(self) -> ResolvedDatabase:
        try:
            return resolve_database(
                database_engine="postgresql",
                database_url=None,
                sqlite_path="unused.db",
                base_dir=REPO_ROOT,
                postgres_host=self.host,
                postgres_port=self.port,
                postgres_db=self.database,
                postgres_user=self.user,
                postgres_password=self.password,
                postgres_sslmode=self.sslmode,
                postgres_options=self.options,
            )
        except DatabaseConfigError as exc:
            raise ConnectionIncomplete(str(exc), code="move_connection_invalid", params={}) from None

    def env(self) -> dict[str, str]:
        """The settings a tool run with this environment resolves to this target (POSTGRES_*)."""
        return {
            "DATABASE_ENGINE": "postgresql",
            "DATABASE_URL": "",
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_DB": self.database,
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password or "",
            "POSTGRES_SSLMODE": self.sslmode,
            "POSTGRES_OPTIONS": self.options or "",
        }


def configured(settings: Settings) -> MoveTarget | None:
    """The target POSTGRES_* names, if it names one."""
    if not (settings.POSTGRES_HOST and settings.POSTGRES_DB and settings.POSTGRES_USER):
        return None
    return MoveTarget(
        settings.POSTGRES_HOST,
        settings.POSTGRES_PORT,
        settings.POSTGRES_DB,
        settings.POSTGRES_USER,
        settings.POSTGRES_SSLMODE,
        settings.POSTGRES_OPTIONS,
        settings.POSTGRES_PASSWORD,
    )


def target_from(body: ConnectionInput, settings: Settings) -> MoveTarget:
    """The target a request names; 400 ``move_not_configured`` / ``move_connection_incomplete``."""
    if body.use_configured:
        found = configured(settings)
        if found is None:
            raise ConnectionIncomplete(
                "No PostgreSQL is configured (POSTGRES_HOST, POSTGRES_DB, POSTGRES_USER): type one in",
                code="move_not_configured",
            )
        return found
    missing = [name for name in ("host", "database", "user") if not (getattr(body, name) or "").strip()]
    if missing:
        raise ConnectionIncomplete(
            f"The connection needs {', '.join(missing)}",
            field=missing[0],
            code="move_connection_incomplete",
            params={"fields": missing},
        )
    assert body.host and body.database and body.user
    return MoveTarget(
        body.host.strip(),
        body.port or 5432,
        body.database.strip(),
        body.user.strip(),
        body.sslmode or "prefer",
        None,
        body.password or None,
    )


def connection_problem(exc: BaseException, target: MoveTarget) -> Problem:
    """A failed connection as a code the web app words; its params hold no secret."""
    message = str(getattr(exc, "orig", None) or exc).lower()
    if "password authentication failed" in message or "no password supplied" in message:
        code = "pg_auth_failed"
    elif "does not exist" in message and "database" in message:
        code = "pg_database_missing"
    elif "permission denied" in message:
        code = "pg_permission_denied"
    else:
        code = "pg_unreachable"
    return Problem(
        code=code,
        params={"host": target.host, "port": target.port, "database": target.database, "user": target.user},
    )


def _engine(target: MoveTarget) -> Engine:
    options = EngineOptions(
        pool_size=1,
        max_overflow=0,
        connect_timeout=TEST_CONNECT_TIMEOUT_SECONDS,
        application_name=APPLICATION_NAME,
        wait_deadline_seconds=TEST_CONNECT_TIMEOUT_SECONDS * 2,
    )
    return create_database_engine(target.resolved(), options)


def check_connection(target: MoveTarget) -> ConnectionTest:
    """Reach the target read-only: version, may the user create tables, what it holds, who uses it."""
    engine = _engine(target)
    try:
        with engine.connect() as connection:
            version = str(connection.execute(text("SHOW server_version")).scalar_one())
            can_create = bool(
                connection.execute(
                    text("SELECT has_schema_privilege(current_user, 'public', 'CREATE')")
                ).scalar()
            )
            present = set(
                connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                ).scalars()
            )
            rows = []
            for name in build_plan().names:
                if name in present:
                    count = int(
                        connection.execute(text(f'SELECT count(*) FROM public."{name}"')).scalar_one()
                    )
                    if count:
                        rows.append(TableRows(name=name, rows=count))
            connection.rollback()
        sessions = [SessionGroupOut(**group.as_dict()) for group in other_sessions(engine)]
    except SQLAlchemyError as exc:
        return ConnectionTest(ok=False, error=connection_problem(exc, target))
    finally:
        engine.dispose()
    return ConnectionTest(
        ok=True,
        server_version=version,
        can_create_tables=can_create,
        empty=not rows,
        tables_with_rows=rows,
        other_sessions=sessions,
    )
