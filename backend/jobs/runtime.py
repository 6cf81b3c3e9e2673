"""DBOS, started with the app and stopped with it: one per process, state beside the app's data.

On PostgreSQL the library's tables live in the app's database, in their own schema
(``SCHEMA``). On SQLite they live in a file of their own beside the database
(``student_management-jobs.db`` next to ``student_management.db``): a job that writes its
progress into the school's file while the migration tool copies it makes the tool's check
that the source did not change compare every table row for row (8.6 s of a 34 s move of a
20,000-student school, bench/jobs/README.md); a file of its own leaves that check free. Every
app replica that uses the database takes work from the same queues.

DBOS is a process-wide singleton while tests build many apps one after another (and sometimes
two at once): the first ``start`` launches it, the last ``stop`` destroys it.

Each process gets an executor id of its own, so a replica that starts never "recovers" (runs
again) a workflow another live replica is running; a job whose process died is recognised by
its silence instead (see ``services/move_jobs.py``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from dbos import DBOS, DBOSConfig, Queue
from dbos import _workflow_commands as dbos_sweeps
from sqlalchemy import URL
from sqlalchemy.orm import Session, sessionmaker

from backend.db import files
from backend.db.engine_builder import ResolvedDatabase

log = logging.getLogger(__name__)
# DBOS gives its logger a console handler of its own unless it has one: with this one its lines
# go through SMS's logging instead (one format, secrets masked), and no handler keeps a stream
# that was closed since (a test's captured stderr).
logging.getLogger("dbos").addHandler(logging.NullHandler())
APP_NAME = "sms"
# PostgreSQL only: on SQLite the tables have a file of their own (jobs_file).
SCHEMA = "sms_jobs"
# A fixed version, not DBOS's hash of the code: a job queued before an upgrade is still
# taken by the upgraded replicas instead of waiting for the old code forever.
APP_VERSION = "sms-jobs-1"
# How often each replica looks for queued jobs: the start latency of a job, at most. Each look is
# a few queries on every replica, busy or idle: five a second cost an idle process 25-40 ms of
# CPU a second. A move runs for minutes, so waiting up to a second to start it is invisible.
POLL_SECONDS = 1.0
SWEEP_SECONDS = 60.0
NOTIFY_SECONDS = 0.25


@dataclass(frozen=True)
class JobContext:
    """What a job running in this process may use: the app's database and its secret key."""

    resolved: ResolvedDatabase
    sessions: sessionmaker[Session]
    secret_key: str


_lock = threading.Lock()
_users = 0
_context: JobContext | None = None
# Queue name -> how many of its jobs may run at once, across every replica.
_queues: dict[str, int] = {}


def declare_queue(name: str, *, concurrency: int) -> str:
    """Declare a queue (at import time); ``start`` registers it in the database."""
    _queues[name] = concurrency
    return name


def jobs_file(sqlite_path: Path) -> Path:
    """Where a SQLite database's jobs are kept: a file of their own beside it."""
    return sqlite_path.with_name(f"{sqlite_path.stem}-jobs{sqlite_path.suffix or '.db'}")


def system_url(resolved: ResolvedDatabase) -> str:
    """The database DBOS keeps its state in (the password included: DBOS masks it in its log)."""
    if resolved.sqlite_path is not None:
        return URL.create("sqlite", database=str(jobs_file(resolved.sqlite_path))).render_as_string()
    url = resolved.url
    if url.host and url.host.startswith("/"):
        # POSTGRES_HOST may name the folder of the server's Unix socket, as libpq allows. Written
        # as the URL's host it reads back as part of the database's name, and DBOS parses this
        # string again: it reached the default socket (another server, or none) and created a
        # database of that name there. As the query's host it reads back as it was.
        url = URL.create(
            url.drivername,
            username=url.username,
            password=url.password,
            port=url.port,
            database=url.database,
            query={**url.query, "host": url.host},
        )
    return url.render_as_string(hide_password=False)


def config_for(resolved: ResolvedDatabase) -> DBOSConfig:
    """The library's settings for this database."""
    return {
        "name": APP_NAME,
        "system_database_url": system_url(resolved),
        "dbos_system_schema": SCHEMA,
        "application_version": APP_VERSION,
        "executor_id": f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}",
        # SMS never waits on a notification (it reads events with timeout 0): no need to poll often.
        "notification_listener_polling_interval_sec": 1.0,
        "notification_coalesce_sec": NOTIFY_SECONDS,
        "log_level": logging.getLevelName(max(logging.WARNING, log.getEffectiveLevel())),
    }


def start(context: JobContext) -> bool:
    """Launch the library for this process, or join it; False (no jobs) for a second database.

    DBOS serves one database per process. A second app on another database in the same
    process (only tests build one) runs without jobs rather than fail to start.
    """
    global _users, _context
    with _lock:
        if _users and _context is not None and _context.resolved.url != context.resolved.url:
            log.warning("background jobs already run on another database in this process: none for this app")
            return False
        if not _users:
            # The library's sweep (delayed jobs, job deadlines: SMS uses neither) runs every
            # second in every process, two queries each time; once a minute is plenty. It is
            # read when DBOS.launch starts the sweep's thread.
            dbos_sweeps._BACKGROUND_JOBS_INTERVAL_SEC = SWEEP_SECONDS
            DBOS(config=config_for(context.resolved))
            try:
                DBOS.launch()
                if context.resolved.sqlite_path is not None:
                    # It holds who started what and sealed secrets: private, as the database is.
                    files.secure_sqlite_files(jobs_file(context.resolved.sqlite_path))
                for name, concurrency in _queues.items():
                    DBOS.register_queue(
                        name, global_concurrency=concurrency, polling_interval_sec=POLL_SECONDS
                    )
            except BaseException:
                DBOS.destroy()
                raise
        _users += 1
        _context = context
        return True


def stop() -> None:
    """Leave the library; the last user destroys it (jobs still running are recovered as failed)."""
    global _users, _context
    with _lock:
        if not _users:
            return
        _users -= 1
        if not _users:
            DBOS.destroy()
            _context = None


def context() -> JobContext:
    """The running app's context, for a job's steps."""
    if _context is None:
        raise RuntimeError("background jobs are not running in this process")
    return _context


def queue(name: str) -> Queue:
    """A declared queue, to enqueue on."""
    found = DBOS.retrieve_queue(name)
    if found is None:
        raise RuntimeError(f"the queue {name} was not declared before the jobs started")
    return found
