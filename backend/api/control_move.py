"""Control Panel → Move to PostgreSQL (admin, SQLite only): the connection, its test, the jobs.

The move itself runs as a background job (services/move_jobs.py) in its own process, never in
a request thread; these routes start, cancel and read jobs, whichever replica runs them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from backend.api.actors import AdminActor
from backend.api.deps import AdminUser
from backend.api.routing import SMSRoute
from backend.config import Settings
from backend.db.session import DatabaseDep, SessionDep
from backend.schemas.common import error_responses
from backend.schemas.move import (
    ConfiguredAnswer,
    ConfiguredConnection,
    ConnectionInput,
    ConnectionTest,
    CurrentMoveJob,
    MoveJob,
    MoveJobList,
    MoveReport,
    MoveStart,
)
from backend.services import move_jobs
from backend.services.errors import Conflict
from backend.services.move_target import check_connection, configured, target_from

router = APIRouter(route_class=SMSRoute, prefix="/api/v1/control/move", tags=["control"])
_REFUSED = error_responses(
    (401, "Not logged in"),
    (403, "Only admins may move the database"),
    (409, "The app already runs on PostgreSQL (already_postgresql)"),
)


_BAD_CONNECTION_TEXT = (
    "No PostgreSQL configured (move_not_configured), or the typed connection lacks a field "
    "(move_connection_incomplete) or cannot be used (move_connection_invalid)"
)
_BAD_CONNECTION = error_responses((400, _BAD_CONNECTION_TEXT))


def sqlite_source(_: AdminUser, database: DatabaseDep) -> Path:
    """The live SQLite file; 409 ``already_postgresql`` when there is none to move."""
    path = database.resolved.sqlite_path
    if database.resolved.kind != "sqlite" or path is None:
        raise Conflict(
            "The app already runs on PostgreSQL; there is nothing to move",
            code="already_postgresql",
            params={},
        )
    return path


SQLiteSource = Annotated[Path, Depends(sqlite_source)]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/connection", summary="Show the configured PostgreSQL connection (admin)", responses=_REFUSED)
def get_connection(_: SQLiteSource, request: Request) -> ConfiguredAnswer:
    """The POSTGRES_* settings, if set: where, never the password (only whether one is set)."""
    found = configured(_settings(request))
    if found is None:
        return ConfiguredAnswer(configured=None)
    return ConfiguredAnswer(
        configured=ConfiguredConnection(
            host=found.host,
            port=found.port,
            database=found.database,
            user=found.user,
            sslmode=found.sslmode,
            password_set=bool(found.password),
        )
    )


@router.post(
    "/connection-test",
    summary="Test a PostgreSQL connection (admin)",
    responses={**_REFUSED, **_BAD_CONNECTION},
)
def test_connection(body: ConnectionInput, _: SQLiteSource, request: Request) -> ConnectionTest:
    """Connect read-only: version, create rights, rows there, other sessions; failing is ok=false."""
    return check_connection(target_from(body, _settings(request)))


@router.post(
    "/jobs",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Start a dry run or a move (admin)",
    responses=error_responses(
        (400, _BAD_CONNECTION_TEXT + ", or an unknown source encoding (move_source_encoding_unknown)"),
        (401, "Not logged in"),
        (403, "Only admins may move the database"),
        (409, "A job is already queued or running (move_job_running), or the app runs on PostgreSQL"),
    ),
)
def start_job(
    body: MoveStart, source: SQLiteSource, actor: AdminActor, request: Request, session: SessionDep
) -> MoveJob:
    """Queue the job; it runs the migration tool in its own process. One at a time."""
    return move_jobs.start_job(
        session=session,
        actor=actor,
        sqlite_path=str(source),
        target=target_from(body.connection, _settings(request)),
        dry_run=body.dry_run,
        force_live_target=body.force_live_target,
        source_encoding=body.source_encoding,
    )


@router.get("/jobs", summary="List the move jobs, newest first (admin)", responses=_REFUSED)
def list_jobs(_: SQLiteSource) -> MoveJobList:
    """Every dry run and move, newest first."""
    return MoveJobList(items=move_jobs.list_jobs())


@router.get("/jobs/current", summary="The running move job, else the latest (admin)", responses=_REFUSED)
def current_job(_: SQLiteSource) -> CurrentMoveJob:
    """What the page shows after a reload: the job in progress, else the last one; null before any."""
    return CurrentMoveJob(move_jobs.current_job())


@router.get("/jobs/{job_id}", summary="One move job (admin)", responses=_REFUSED)
def get_job(job_id: str, _: SQLiteSource) -> MoveJob:
    """State, per-table progress, and at the end the summary, error or next step."""
    return move_jobs.get_job(job_id=job_id)


@router.post(
    "/jobs/{job_id}/cancel",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Cancel a move job (admin)",
    responses=error_responses(
        (401, "Not logged in"),
        (403, "Only admins may move the database"),
        (404, "No such job"),
        (409, "The job has already ended (move_job_finished)"),
    ),
)
def cancel_job(job_id: str, _: SQLiteSource, actor: AdminActor, session: SessionDep) -> MoveJob:
    """Stop the job: its tool rolls back and puts read-only mode back as it was."""
    return move_jobs.cancel_job(session=session, actor=actor, job_id=job_id)


@router.get(
    "/jobs/{job_id}/report",
    summary="Download a move job's JSON report (admin)",
    response_class=Response,
    responses={
        200: {"model": MoveReport, "description": "The tool's JSON report, as a file"},
        **error_responses(
            (401, "Not logged in"),
            (403, "Only admins may move the database"),
            (404, "No such job, or no report yet"),
        ),
    },
)
def download_report(job_id: str, _: SQLiteSource) -> Response:
    """The migration tool's report, secrets masked, as a file."""
    report = move_jobs.get_report(job_id=job_id)
    return Response(
        json.dumps(report, indent=2) + "\n",
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="sms-move-{job_id}.json"'},
    )
