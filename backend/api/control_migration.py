"""Control Panel → Migration readiness: what would block a move of the live SQLite data to PostgreSQL."""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

from fastapi import APIRouter, status

from backend.api.deps import AdminUser, CodedHTTPException
from backend.api.routing import SMSRoute
from backend.db.session import DatabaseDep
from backend.schemas.common import error_responses
from backend.schemas.control import MigrationReadiness, ReadinessProblem, ReadinessTable
from backend.transfer.plan import build_plan
from backend.transfer.preflight import run_preflight

router = APIRouter(route_class=SMSRoute, prefix="/api/v1/control", tags=["control"])

PLACEHOLDER_URL = "postgresql+psycopg://user:pass@host:5432/dbname"
TOOL = "python -m backend.scripts.migrate_sqlite_to_postgres"


def next_commands(sqlite_path: Path) -> list[str]:
    """The guide's dry run and migration, with this installation's SQLite file filled in."""
    base = f"{TOOL} --sqlite-path {shlex.quote(str(sqlite_path))} --postgres-url {PLACEHOLDER_URL}"
    return [f"{base} --dry-run --skip-migrations", base]


@router.post(
    "/migration-readiness",
    summary="Check whether the SQLite data can move to PostgreSQL (admin)",
    responses=error_responses(
        (401, "Not logged in"),
        (403, "Only admins may run the check"),
        (409, "The app already runs on PostgreSQL"),
    ),
)
def migration_readiness(_: AdminUser, database: DatabaseDep) -> MigrationReadiness:
    """Run the migration tool's preflight, read-only, on the live SQLite database."""
    path = database.resolved.sqlite_path
    if database.resolved.kind != "sqlite" or path is None:
        raise CodedHTTPException(
            status.HTTP_409_CONFLICT,
            "The app already runs on PostgreSQL; there is nothing to migrate.",
            code="already_postgresql",
        )
    uri = f"{path.as_uri()}?mode=ro"
    findings = run_preflight(lambda: sqlite3.connect(uri, uri=True), build_plan().tables)
    total = sum(f.problem_count for f in findings)
    return MigrationReadiness(
        engine="sqlite",
        source=str(path),
        ready=total == 0,
        tables=[
            ReadinessTable(
                name=f.name,
                rows=f.rows,
                problems=[ReadinessProblem(**p.as_dict()) for p in f.problems],
                problem_count=f.problem_count,
            )
            for f in findings
        ],
        problems_total=total,
        next_commands=next_commands(path),
    )
