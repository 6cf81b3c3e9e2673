"""Move jobs: start one (at most one at a time, across every replica), cancel it, and read them.

The state of a job is read from DBOS's tables and the job's events (``progress``, ``outcome``),
so every replica answers the same, and a page reload loses nothing. A job whose process died
is silent: with no heartbeat for STALE_SECONDS it reads as failed (``move_interrupted``), and
the next start frees the queue it still holds.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

from dbos import DBOS, SetEnqueueOptions, SetWorkflowID, WorkflowStatus
from dbos import error as dbos_error
from sqlalchemy.orm import Session

from backend.jobs import runtime
from backend.jobs.sealed import seal
from backend.schemas.move import JobNextStep, JobSummary, JobTable, JobTarget, MoveJob, Problem
from backend.services.audit import Actor, record
from backend.services.errors import Conflict, NotFound, ServiceError
from backend.services.move_target import MoveTarget
from backend.services.move_workflow import (
    ENTITY,
    EXITED,
    QUEUE,
    audit_end,
    cancel_id,
    cancel_request,
    masked_target,
    move_workflow,
)
from backend.transfer.errors import UsageError
from backend.transfer.preflight_rules import check_encoding

# One move at a time: DBOS refuses a second job with this key while one is queued or running.
DEDUPLICATION_ID = "move"
WORKFLOW_NAME = "sms_move"
# A running job writes its progress every second; this long without it, its process is gone.
STALE_SECONDS = 30.0
LIST_LIMIT = 50
ACTIVE = ("queued", "running", "cancelling")
# How long a cancel that found the tool already exited waits for the job's outcome (milliseconds
# away; the library notices a new event within its polling interval, a second).
OUTCOME_WAIT_SECONDS = 10.0


class MoveJobRunning(Conflict):
    def __init__(self, job_id: str | None) -> None:
        super().__init__(
            "A move to PostgreSQL is already queued or running: wait for it to end, or cancel it",
            code="move_job_running",
            params={"job_id": job_id},
        )


class MoveJobFinished(Conflict):
    def __init__(self, job_id: str, state: str) -> None:
        super().__init__(
            "This move has already ended: there is nothing to cancel",
            code="move_job_finished",
            params={"job_id": job_id, "state": state},
        )


class MoveJobNotFound(NotFound):
    def __init__(self, job_id: str) -> None:
        super().__init__("No such move job", code="move_job_not_found", params={"job_id": job_id})


def start_job(
    *,
    session: Session,
    actor: Actor,
    sqlite_path: str,
    target: MoveTarget,
    dry_run: bool,
    force_live_target: bool,
    source_encoding: str | None,
) -> MoveJob:
    """Queue a dry run or a move; 409 ``move_job_running`` while another is queued or running."""
    try:
        check_encoding(source_encoding)
    except UsageError:
        raise ServiceError(
            "The source encoding is not one Python knows: use a name such as windows-1253 or iso-8859-7",
            field="source_encoding",
            code="move_source_encoding_unknown",
            params={"encoding": source_encoding},
        ) from None
    _free_stale_holder()
    context = runtime.context()
    spec: dict[str, Any] = {
        "kind": "dry_run" if dry_run else "move",
        "sqlite_path": sqlite_path,
        "target": target.public(),
        "password": seal(target.password, secret_key=context.secret_key) if target.password else None,
        "force_live_target": force_live_target,
        "source_encoding": source_encoding,
        "actor": {"user_id": actor.user_id, "email": actor.email, "ip_address": actor.ip_address},
    }
    job_id = f"move-{uuid.uuid4().hex[:12]}"
    try:
        with SetWorkflowID(job_id), SetEnqueueOptions(deduplication_id=DEDUPLICATION_ID):
            runtime.queue(QUEUE).enqueue(move_workflow, spec)
    except dbos_error.DBOSQueueDeduplicatedError:
        raise MoveJobRunning(_holder()) from None
    record(
        session=session,
        actor=actor,
        action="move_job_start",
        entity_type=ENTITY,
        entity_id=job_id,
        details={
            "kind": spec["kind"],
            "target": masked_target(spec["target"]),
            "force_live_target": force_live_target,
            "source_encoding": source_encoding,
        },
    )
    return get_job(job_id=job_id)


def cancel_job(*, session: Session, actor: Actor, job_id: str) -> MoveJob:
    """Cancel a queued job at once, or ask the running one to stop its tool (which rolls back)."""
    job = get_job(job_id=job_id)
    if job.state not in ACTIVE:
        raise MoveJobFinished(job_id, job.state)
    status = DBOS.get_workflow_status(job_id)
    queued = status is not None and status.status == "ENQUEUED"
    if job.state != "cancelling":
        # Asked for first, queued or not: a job that starts meanwhile stops, and its view tells
        # an admin's cancel from a job set aside after its process died (_state).
        with SetWorkflowID(cancel_id(job_id)):
            DBOS.start_workflow(cancel_request, actor.email or "")
    if queued:
        DBOS.cancel_workflow(job_id)
    else:
        _refuse_if_ended(job_id)
    record(
        session=session,
        actor=actor,
        action="move_job_cancel",
        entity_type=ENTITY,
        entity_id=job_id,
        details={
            "kind": job.kind,
            "target": masked_target(job.target.model_dump()),
            "state_before": job.state,
        },
    )
    if queued and status is not None:
        # It never started, so no step will write its end: this is its end.
        audit_end(_spec(status), job_id, {"state": "cancelled", "exit_code": None, "error": None})
    return get_job(job_id=job_id)


def _refuse_if_ended(job_id: str) -> None:
    """409 if the tool had exited before the request and the job ended without it."""
    if DBOS.get_event(job_id, EXITED, timeout_seconds=0) is None:
        return  # the job's last look for a cancel comes after the request: it sees it
    DBOS.get_event(job_id, "outcome", timeout_seconds=OUTCOME_WAIT_SECONDS)
    state = get_job(job_id=job_id).state
    if state not in ("cancelled", *ACTIVE):
        raise MoveJobFinished(job_id, state)


def list_jobs() -> list[MoveJob]:
    """Every move job, newest first."""
    found = DBOS.list_workflows(name=WORKFLOW_NAME, sort_desc=True, limit=LIST_LIMIT)
    return [_view(status) for status in found]


def current_job() -> MoveJob | None:
    """The job queued or running, else the latest one; None before the first."""
    jobs = list_jobs()
    return next((job for job in jobs if job.state in ACTIVE), jobs[0] if jobs else None)


def get_job(*, job_id: str) -> MoveJob:
    statuses = DBOS.list_workflows(workflow_ids=[job_id], name=WORKFLOW_NAME)
    if not statuses:
        raise MoveJobNotFound(job_id)
    return _view(statuses[0])


def get_report(*, job_id: str) -> dict[str, Any]:
    """The tool's JSON report of a job (secrets already masked); 404 before it exists."""
    get_job(job_id=job_id)
    report = DBOS.get_event(job_id, "report", timeout_seconds=0)
    if not isinstance(report, dict):
        raise NotFound("This job has no report yet", code="move_report_missing", params={"job_id": job_id})
    return report


def _holder() -> str | None:
    active = [job for job in list_jobs() if job.state in ACTIVE]
    return active[0].id if active else None


def _free_stale_holder() -> None:
    """A job whose process died still holds the queue's key: cancel it so a new one can start."""
    for status in DBOS.list_workflows(name=WORKFLOW_NAME, status="PENDING"):
        job = _view(status)
        if job.state == "failed":
            DBOS.cancel_workflow(status.workflow_id)
            # Its process is gone, so no step will write its end: this is its end.
            audit_end(
                _spec(status),
                job.id,
                {"state": "failed", "exit_code": None, "error": {"code": "move_interrupted"}},
            )


def _spec(status: WorkflowStatus) -> dict[str, Any]:
    inputs = status.input or {"args": (), "kwargs": {}}
    args = inputs.get("args") or ()
    spec: dict[str, Any] = args[0] if args else {}
    return spec


def _time(value: float | int | None, *, ms: bool = False) -> datetime | None:
    if value is None:
        return None
    return datetime.fromtimestamp(value / 1000 if ms else value, UTC)


def _state(status: WorkflowStatus, events: dict[str, Any]) -> tuple[str, Problem | None]:
    outcome = events.get("outcome")
    if isinstance(outcome, dict):
        error = outcome.get("error")
        return str(outcome["state"]), Problem(**error) if error else None
    if status.status == "ENQUEUED":
        return "queued", None
    if status.status == "CANCELLED":
        if "started" in events and not _cancel_asked(status.workflow_id):
            # Set aside after its process died (_free_stale_holder), not by an admin's cancel.
            return "failed", Problem(code="move_interrupted", params={})
        return "cancelled", None
    if status.status == "PENDING":
        progress = events.get("progress") or {}
        beat = progress.get("updated_at") or (events.get("started") or {}).get("at")
        beat = beat or (status.updated_at or 0) / 1000
        if time.time() - beat > STALE_SECONDS:
            return "failed", Problem(code="move_interrupted", params={})
        if _cancel_asked(status.workflow_id):
            return "cancelling", None
        return "running", None
    return "failed", Problem(code="move_failed", params={"status": status.status})


def _cancel_asked(job_id: str) -> bool:
    return DBOS.get_workflow_status(cancel_id(job_id)) is not None


def _view(status: WorkflowStatus) -> MoveJob:
    events = DBOS.get_all_events(status.workflow_id)
    spec = _spec(status)
    state, error = _state(status, events)
    progress = events.get("progress") or {}
    found = events.get("outcome")
    outcome: dict[str, Any] = found if isinstance(found, dict) else {}
    target = spec.get("target") or {}
    summary, next_step = outcome.get("summary"), outcome.get("next_step")
    return MoveJob(
        id=status.workflow_id,
        kind=spec.get("kind", "move"),
        state=state,  # type: ignore[arg-type]
        started_by=(spec.get("actor") or {}).get("email"),
        created_at=_time(status.created_at, ms=True),
        started_at=_time((events.get("started") or {}).get("at")),
        finished_at=_time(outcome.get("finished_at"))
        or (_time(status.updated_at, ms=True) if state == "cancelled" else None),
        target=JobTarget(
            host=target.get("host", ""),
            port=int(target.get("port") or 5432),
            database=target.get("database", ""),
            user=target.get("user", ""),
        ),
        rows_done=int(progress.get("rows_done") or 0),
        rows_total=int(progress.get("rows_total") or 0),
        rows_per_second=progress.get("rows_per_second") if state == "running" else None,
        seconds_left=progress.get("seconds_left") if state == "running" else None,
        tables=[JobTable(**table) for table in progress.get("tables") or []],
        exit_code=outcome.get("exit_code"),
        error=error,
        summary=JobSummary(**summary) if summary else None,
        next_step=JobNextStep(**next_step) if next_step else None,
    )
