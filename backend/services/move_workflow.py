"""The move job: the migration tool run in its own process by a DBOS workflow on the move queue.

The workflow has one step, which starts the tool (``backend.jobs.child``), turns its
``--progress-json`` lines into the job's ``progress`` event (any replica reads it from the
database), stops it when a cancel is asked for, and finally publishes ``exited``, then
``outcome`` and ``report``, and writes the audit row of the end. A cancel asked for before the
tool ended is the outcome, however it ended, unless it committed. The password reaches the
tool through its environment, opened from the sealed copy in the job's inputs, never through
its arguments.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dbos import DBOS

from backend.cli import exit_codes
from backend.config import REPO_ROOT
from backend.core.logging import redact
from backend.db.session import session_scope
from backend.jobs import runtime
from backend.jobs.child import run_child
from backend.jobs.sealed import SealBroken, unseal
from backend.services.audit import Actor, record
from backend.services.move_target import MoveTarget

log = logging.getLogger(__name__)
QUEUE = runtime.declare_queue("sms_move", concurrency=1)
TOOL = "backend.scripts.migrate_sqlite_to_postgres"
ENTITY = "move_job"
# The event that says the tool has exited and the outcome is being decided.
EXITED = "exited"
# How often the progress event is written even when nothing moved: the job's heartbeat.
HEARTBEAT_SECONDS = 1.0
ERROR_CODES = {
    exit_codes.FAILED: "move_failed",
    exit_codes.USAGE: "move_failed_usage",
    exit_codes.SCHEMA: "move_failed_schema",
    exit_codes.DATA: "move_failed_data",
    exit_codes.VERIFY: "move_failed_verify",
}


def cancel_id(job_id: str) -> str:
    """The id of the workflow that records a cancel request for ``job_id`` (one per job)."""
    return f"{job_id}-cancel"


@DBOS.workflow(name="sms_move_cancel_request")
def cancel_request(requested_by: str) -> str:
    """A cancel request, kept in the database: the running step looks for it."""
    return requested_by


@DBOS.workflow(name="sms_move")
def move_workflow(spec: dict[str, Any]) -> dict[str, Any]:
    return run_move(spec)


@DBOS.step(name="sms_move_run")
def run_move(spec: dict[str, Any]) -> dict[str, Any]:
    job_id = DBOS.workflow_id
    assert job_id is not None
    if DBOS.get_event(job_id, "started", timeout_seconds=0) is not None:
        # Run again after its process died: the tool rolled back when its input closed;
        # running it once more unasked would surprise the admin.
        outcome = _outcome("failed", None, {"code": "move_interrupted", "params": {}})
        _finish(spec, job_id, outcome, None)
        return outcome
    context = runtime.context()
    DBOS.set_event("started", {"at": time.time()})
    try:
        password = unseal(spec["password"], secret_key=context.secret_key) if spec.get("password") else None
    except SealBroken:
        outcome = _outcome("failed", exit_codes.USAGE, {"code": "move_secret_lost", "params": {}})
        _finish(spec, job_id, outcome, None)
        return outcome
    target = MoveTarget(password=password, **spec["target"])
    tracker = ProgressTracker(job_id)
    with tempfile.TemporaryDirectory(prefix="sms-move-") as folder:
        report_path = Path(folder) / "report.json"
        result = run_child(
            _argv(spec, report_path),
            env={**os.environ, **target.env(), "PYTHONUNBUFFERED": "1"},
            on_event=tracker.take,
            tick=tracker.tick,
            cwd=str(REPO_ROOT),
        )
        report = _read_report(report_path, [password] if password else [])
    tracker.publish(force=True)
    # Said before the last look for a cancel: one asked for after it finds the job exited and
    # waits for the outcome (move_jobs.cancel_job) instead of promising 'cancelling'.
    DBOS.set_event(EXITED, {"exit_code": result.exit_code})
    if result.exit_code == exit_codes.OK:
        # Committed: a cancel that reached the tool only after its commit cannot undo it.
        outcome = _outcome("succeeded", 0, None, report)
    elif result.stopped or tracker.cancel_asked():
        # Asked to stop, and nothing committed, whether the stop or a failure that came before
        # the next tick ended the tool (a lost connection while the cancel was on its way).
        outcome = _outcome("cancelled", result.exit_code, None)
    else:
        params: dict[str, Any] = {"exit_code": result.exit_code}
        if report and report.get("error"):
            params["message"] = report["error"]
        code = ERROR_CODES.get(result.exit_code, "move_failed")
        outcome = _outcome("failed", result.exit_code, {"code": code, "params": params}, report)
        if not report:
            log.warning(
                "move job %s: the tool exited %s: %s",
                job_id,
                result.exit_code,
                redact(" | ".join(result.stderr_tail[-3:]), [password or ""]),
            )
    _finish(spec, job_id, outcome, report)
    return outcome


def _argv(spec: dict[str, Any], report_path: Path) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        TOOL,
        "--sqlite-path",
        spec["sqlite_path"],
        "--report-json",
        str(report_path),
        "--progress-json",
        "-",
        "--exit-on-stdin-close",
        "--quiet",
    ]
    if spec["kind"] == "dry_run":
        argv.append("--dry-run")
    else:
        argv.append("--yes")
    if spec.get("force_live_target"):
        argv.append("--force-live-target")
    if spec.get("source_encoding"):
        argv += ["--source-encoding", spec["source_encoding"]]
    return argv


def _read_report(path: Path, secrets: list[str]) -> dict[str, Any] | None:
    try:
        loaded = json.loads(redact(path.read_text(encoding="utf-8"), secrets))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def _outcome(
    state: str, exit_code: int | None, error: dict[str, Any] | None, report: dict[str, Any] | None = None
) -> dict[str, Any]:
    summary = None
    next_step = None
    if report and state == "succeeded":
        totals = report.get("totals") or {}
        verification = report.get("verification") or {}
        summary = {
            "tables": len(report.get("tables") or []),
            "rows": int(totals.get("rows_written") or totals.get("rows_read") or 0),
            "verified": not report.get("dry_run")
            and all(v.get("content_match") for v in verification.values()),
            "seconds": float(report.get("seconds") or 0.0),
        }
        step = report.get("next_step")
        if step:
            commands = step.get("restart_commands") or {}
            first = (step.get("restart") or ["local"])[0]
            next_step = {
                "env_lines": list(step.get("env_lines") or []),
                "restart_command": (commands.get(first) or {}).get("command", "make run"),
            }
    return {
        "state": state,
        "exit_code": exit_code,
        "error": error,
        "summary": summary,
        "next_step": next_step,
        "finished_at": time.time(),
    }


def _finish(
    spec: dict[str, Any], job_id: str, outcome: dict[str, Any], report: dict[str, Any] | None
) -> None:
    if report is not None:
        DBOS.set_event("report", report)
    DBOS.set_event("outcome", outcome)
    audit_end(spec, job_id, outcome)


def audit_end(spec: dict[str, Any], job_id: str, outcome: dict[str, Any]) -> None:
    """The audit row of a job's end, in the app's database, as the admin who started it."""
    who = spec.get("actor") or {}
    actor = Actor(user_id=who.get("user_id"), email=who.get("email"), ip_address=who.get("ip_address"))
    with session_scope(runtime.context().sessions) as session:
        record(
            session=session,
            actor=actor,
            action="move_job_end",
            entity_type=ENTITY,
            entity_id=job_id,
            details={
                "kind": spec["kind"],
                "target": masked_target(spec["target"]),
                "outcome": outcome["state"],
                "exit_code": outcome["exit_code"],
                "error": (outcome["error"] or {}).get("code"),
            },
        )


def masked_target(target: dict[str, Any]) -> str:
    """``user@host:port/database``: what the audit trail names (no password)."""
    return f"{target['user']}@{target['host']}:{target['port']}/{target['database']}"


MIN_ESTIMATE_SECONDS = 1.0  # no rate nor time left before the copy has run this long


class ProgressTracker:
    """The tool's progress lines as the job's ``progress`` event, written at most every HEARTBEAT_SECONDS."""

    def __init__(self, job_id: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.job_id = job_id
        self.tables: dict[str, dict[str, Any]] = {}
        self.clock = clock
        self.copy_started: float | None = None
        self.published = 0.0

    def take(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "plan":
            self.tables = {
                t["name"]: {
                    "name": t["name"],
                    "rows_done": 0,
                    "rows_total": int(t["rows_total"]),
                    "state": "waiting",
                }
                for t in event.get("tables", [])
            }
        elif kind in ("start", "batch", "finish") and event.get("table") in self.tables:
            if self.copy_started is None:
                self.copy_started = self.clock()
            table = self.tables[event["table"]]
            table.update(
                rows_done=int(event["rows_done"]), rows_total=int(event["rows_total"]), state="copying"
            )
        elif kind == "verified" and event.get("table") in self.tables:
            self.tables[event["table"]]["state"] = "verified"
        self.publish()

    def tick(self) -> bool:
        """Keep the heartbeat going; True when a cancel was asked for, or the job was given up."""
        self.publish()
        if self.cancel_asked():
            return True
        # Taken for dead (move_jobs.STALE_SECONDS) and set aside by a newer start: stop at once.
        own = DBOS.get_workflow_status(self.job_id)
        return own is not None and own.status == "CANCELLED"

    def cancel_asked(self) -> bool:
        return DBOS.get_workflow_status(cancel_id(self.job_id)) is not None

    def publish(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.published < HEARTBEAT_SECONDS:
            return
        self.published = now
        DBOS.set_event("progress", {**self.snapshot(), "updated_at": time.time()})

    def snapshot(self) -> dict[str, Any]:
        tables = list(self.tables.values())
        done, total = sum(t["rows_done"] for t in tables), sum(t["rows_total"] for t in tables)
        # The rate of the whole copy so far, pauses for keys and checks included: one small
        # table's start-up rate would promise hours for a move of minutes.
        elapsed = 0.0 if self.copy_started is None else self.clock() - self.copy_started
        rate = round(done / elapsed, 1) if done and elapsed >= MIN_ESTIMATE_SECONDS else None
        left = round((total - done) / rate, 1) if rate else None
        return {
            "tables": tables,
            "rows_done": done,
            "rows_total": total,
            "rows_per_second": rate,
            "seconds_left": left,
        }
