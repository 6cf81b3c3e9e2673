"""The CLIs that write beside a served app: a hurried admin's drill, on both engines.

A real server (``python -m backend.serve`` with two workers, as the image runs it) serves the
database under concurrent writes (logins, then student records too) while the admin seeds the
demo school and switches read-only mode on and off several times with the CLIs. Nothing may
fail with "database is locked", every write the app or a CLI acknowledged must be in the
database afterwards, and every wait is bounded. On SQLite the CLIs take the app's writer turn
(backend/core/sqlite_write_queue.py); the SQLite-only test below shows each one waiting for a
turn another process holds, which a CLI that bypassed the turn would not do.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import URL, create_engine, func, select
from sqlalchemy.orm import Session

from backend.core import sqlite_write_queue
from backend.db import files
from backend.models import AuditLog, Student, User, UserRole, UserSession
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from backend.tests.db.test_sqlite_write_queue_processes import turn_is_free
from backend.tests.scale import replicas

REPO = Path(__file__).resolve().parents[3]
LOGIN_THREADS = 8
STUDENT_THREADS = 24
CYCLES = 3
SEED_STUDENTS = 30
# Bounds on every wait: far below the 30 s busy timeout a starved writer would run into.
CLI_SECONDS = 15.0
REQUEST_SECONDS = 10.0
# The settings' default pool (replicas.environment's is for idle replicas): 32 clients on two
# workers with 5+4 connections each stall in the pool for its 30 s timeout, CLIs or not.
POOL = {"DB_POOL_SIZE": "10", "DB_MAX_OVERFLOW": "20"}
PASSWORD = "Load-pa55word!"
# Cheap to verify, so the load is writes, not hashing (a hash keeps the cost it was made with).
CHEAP_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
# Every CLI that writes to the database ({backup}: a backup made first, by _beside_a_copy).
WRITING_CLIS = pytest.mark.parametrize(
    "argv",
    [
        ("backend.scripts.maintenance", "on", "--reason", "drill"),
        ("backend.scripts.seed_demo", "--students", "5"),
        ("backend.scripts.backup", "restore", "{backup}", "--yes"),
        ("backend.db.migrations", "upgrade"),
    ],
    ids=["maintenance", "seed_demo", "backup-restore", "migrations"],
)


@dataclass
class Answer:
    kind: str
    status: int
    code: str | None
    seconds: float
    key: str = ""


@dataclass
class Load:
    """Threads that send ``send`` over and over until stopped; every answer is kept."""

    url: str
    send: Callable[[httpx.Client, int, int], Answer]
    threads: int
    answers: list[Answer] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _workers: list[threading.Thread] = field(default_factory=list)

    def __enter__(self) -> Load:
        for n in range(self.threads):
            worker = threading.Thread(target=self._run, args=(n,), daemon=True)
            worker.start()
            self._workers.append(worker)
        return self

    def _run(self, n: int) -> None:
        with httpx.Client(base_url=self.url, timeout=REQUEST_SECONDS * 3) as client:
            for round_ in itertools.count():
                if self._stop.is_set():
                    return
                try:
                    self.answers.append(self.send(client, n, round_))
                except httpx.HTTPError as exc:  # a timeout: a write whose outcome is unknown
                    self.failures.append(f"{type(exc).__name__}: {exc}")

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=REQUEST_SECONDS * 4)
        assert not any(worker.is_alive() for worker in self._workers), "a load thread hung"


def _answer(kind: str, response: httpx.Response, began: float, key: str = "") -> Answer:
    try:
        code = response.json().get("code") if response.content else None
    except ValueError:
        code = None
    return Answer(kind, response.status_code, code, time.monotonic() - began, key)


def _login(client: httpx.Client, n: int, _round: int) -> Answer:
    began = time.monotonic()
    body = {"email": f"load{n}@school.test", "password": PASSWORD}
    return _answer("login", client.post("/api/v1/auth/login", json=body), began)


def _student_writer(headers: dict[str, str]) -> Callable[[httpx.Client, int, int], Answer]:
    def create(client: httpx.Client, n: int, round_: int) -> Answer:
        key = f"L-{n}-{round_}"
        body = {
            "student_id": key,
            "first_name": "Load",
            "last_name": f"Writer{n}",
            "email": f"l{n}-{round_}@school.example",
            "enrollment_date": "2024-09-01",
        }
        began = time.monotonic()
        return _answer("student", client.post("/api/v1/students", json=body, headers=headers), began, key)

    return create


@dataclass
class Run:
    argv: tuple[str, ...]
    code: int
    seconds: float
    stdout: str
    stderr: str


def _cli(env: dict[str, str], *argv: str) -> Run:
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", *argv], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    return Run(argv, done.returncode, time.monotonic() - began, done.stdout, done.stderr)


def _add_load_users(url: URL) -> None:
    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        session.add_all(
            User(email=f"load{n}@school.test", hashed_password=CHEAP_HASH, role=UserRole.TEACHER)
            for n in range(LOGIN_THREADS)
        )
    engine.dispose()


@pytest.fixture
def served(database_url: URL, tmp_path: Path) -> Iterator[tuple[replicas.Replica, dict[str, str]]]:
    raw = database_url.render_as_string(hide_password=False)
    env = replicas.environment(raw, tmp_path / "backups", WEB_CONCURRENCY="2", **POOL)
    server = replicas.start("app", env, tmp_path)
    try:
        replicas.wait_ready([server], started=time.monotonic())
        yield server, env
    finally:
        server.stop()


def test_seed_and_read_only_switches_beside_an_app_under_write_load(
    served: tuple[replicas.Replica, dict[str, str]], database_url: URL
) -> None:
    server, env = served
    _add_load_users(database_url)  # after the start-up, which creates the first admin
    response = httpx.post(
        f"{server.url}/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )
    assert response.status_code == 200, response.text
    admin = {"Authorization": f"Bearer {response.json()['access_token']}"}

    runs: list[Run] = []
    with Load(server.url, _login, LOGIN_THREADS) as logins:
        time.sleep(0.5)
        # An empty school and people logging in: the admin seeds the demo school.
        runs.append(_cli(env, "backend.scripts.seed_demo", "--students", str(SEED_STUDENTS)))
        with Load(server.url, _student_writer(admin), STUDENT_THREADS) as students:
            time.sleep(0.5)
            for _ in range(CYCLES):
                runs.append(_cli(env, "backend.scripts.maintenance", "on", "--reason", "drill"))
                time.sleep(0.3)
                runs.append(_cli(env, "backend.scripts.maintenance", "off"))
                time.sleep(0.3)
        runs.append(_cli(env, "backend.scripts.maintenance", "status", "--json"))

    for run in runs:
        assert run.code == 0, f"{run.argv}: exit {run.code}\n{run.stderr}"
        assert "locked" not in run.stderr + run.stdout, run
        assert run.seconds < CLI_SECONDS, f"{run.argv} took {run.seconds:.1f} s"
    assert '"read_only": false' in runs[-1].stdout

    answers = logins.answers + students.answers
    assert logins.failures + students.failures == []
    # Refused while read-only (503 read_only) is the only answer besides success; never busy.
    unexpected = [
        a for a in answers if (a.status, a.code) not in {(200, None), (201, None), (503, "read_only")}
    ]
    assert unexpected == []
    assert all(a.status == 200 for a in logins.answers)
    slowest = max(a.seconds for a in answers)
    assert slowest < REQUEST_SECONDS, f"a request waited {slowest:.1f} s"
    created = {a.key for a in students.answers if a.status == 201}
    refused = sum(a.status == 503 for a in students.answers)
    assert len(created) > 10 and len(logins.answers) > 10
    print(
        f"\n{len(logins.answers)} logins, {len(created)} students created, {refused} refused while "
        f"read-only; slowest request {slowest:.2f} s; CLI runs "
        + ", ".join(f"{' '.join(r.argv[1:2])} {r.seconds:.1f} s" for r in runs)
    )

    # Nothing acknowledged is missing: every 201's student, every login's session, every switch.
    engine = create_engine(database_url)
    with Session(engine) as session:
        load_students = set(session.scalars(select(Student.student_id).where(Student.student_id.like("L-%"))))
        seeded = session.scalar(
            select(func.count()).select_from(Student).where(~Student.student_id.like("L-%"))
        )
        sessions = session.scalar(
            select(func.count())
            .select_from(UserSession)
            .join(User, User.id == UserSession.user_id)
            .where(User.email.like("load%"))
        )
        switches = list(
            session.scalars(
                select(AuditLog.action).where(AuditLog.action.in_(["read_only_on", "read_only_off"]))
            )
        )
    engine.dispose()
    assert load_students == created
    assert seeded == SEED_STUDENTS
    assert sessions == len(logins.answers)
    assert sorted(switches) == ["read_only_off"] * CYCLES + ["read_only_on"] * CYCLES

    output = server.output()
    assert "database is locked" not in output and "Traceback" not in output, output[-3000:]


def _has_open(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has ``path`` open (Linux: /proc/<pid>/fd)."""
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:  # it exited, or closed a descriptor while we looked
        return False
    return str(path) in links


def _beside_a_copy(
    argv: tuple[str, ...], template: Path, tmp_path: Path, **settings: str
) -> tuple[Path, dict[str, str], tuple[str, ...]]:
    """A copy of the template database, the environment a CLI gets for it, and ``argv`` with
    ``{backup}`` replaced by the name of a backup just made of it."""
    path = tmp_path / "sms.db"
    shutil.copyfile(template, path)
    env = {**replicas.environment(f"sqlite:///{path}", tmp_path / "backups"), **settings}
    if "{backup}" in argv:
        made = _cli(env, "backend.scripts.backup", "create", "--json")
        assert made.code == 0, made.stderr
        argv = tuple(json.loads(made.stdout)["name"] if a == "{backup}" else a for a in argv)
    return path, env, argv


@pytest.mark.skipif(
    sqlite_write_queue.fcntl is None or not Path("/proc/self/fd").is_dir(),
    reason="the turn across processes needs record locks; watching a CLI wait needs /proc",
)
@WRITING_CLIS
def test_each_cli_that_writes_waits_for_the_turn_the_app_holds(
    argv: tuple[str, ...], sqlite_template: Path, tmp_path: Path
) -> None:
    """A CLI that bypassed the turn would write while the app's writer has it (and race it)."""
    path, env, argv = _beside_a_copy(argv, sqlite_template, tmp_path)
    lock_file = files.writer_lock_file(path)
    # The app's writer in this process has the turn (as a worker between BEGIN and COMMIT).
    with sqlite_write_queue.turn_held(path, 5):
        assert not turn_is_free(path)
        began = time.monotonic()
        cli = subprocess.Popen(
            [sys.executable, "-m", *argv], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            # It reaches its write and opens the turn's file to wait for it ...
            while not _has_open(cli.pid, lock_file):
                assert cli.poll() is None, f"{argv} ended without waiting for the turn: {cli.communicate()}"
                assert time.monotonic() - began < CLI_SECONDS, f"{argv} never asked for the turn"
                time.sleep(0.02)
            time.sleep(1.0)
            assert cli.poll() is None, f"{argv} went on while the turn was held"  # ... and waits
            released = time.monotonic()
        except BaseException:
            cli.kill()
            cli.communicate()
            raise
    out, err = cli.communicate(timeout=CLI_SECONDS)
    assert cli.returncode == 0, f"{argv}: {out.decode()}{err.decode()}"
    # Its turn came as soon as the holder gave it back, not after a busy timeout.
    assert time.monotonic() - released < CLI_SECONDS / 3
    assert turn_is_free(path)


@WRITING_CLIS
def test_each_cli_that_writes_gives_up_after_the_busy_timeout_it_is_given(
    argv: tuple[str, ...], sqlite_template: Path, tmp_path: Path
) -> None:
    """A writer that never lets go (a stuck process holding the turn and SQLite's lock): the CLI
    waits SQLITE_BUSY_TIMEOUT_MS for the turn, as long again for the lock, then stops with one
    `error:` line and exit code 2, having changed nothing; not after a timeout of its own."""
    busy_ms = 1000
    path, env, argv = _beside_a_copy(argv, sqlite_template, tmp_path, SQLITE_BUSY_TIMEOUT_MS=str(busy_ms))
    before = _dump(path)
    holder = sqlite3.connect(path, isolation_level=None)
    # As the app leaves its file (the template is not): in rollback-journal mode the tool's own
    # switch to WAL would meet the lock first and fail at once, waiting for nothing.
    holder.execute("PRAGMA journal_mode=WAL")
    try:
        with sqlite_write_queue.turn_held(path, 5):
            holder.execute("BEGIN IMMEDIATE")
            run = _cli(env, *argv)
            holder.execute("ROLLBACK")
    finally:
        holder.close()
    assert run.code == 2, f"{argv}: {run.stdout}{run.stderr}"
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "locked" in errors[0], run.stderr
    assert "Traceback" not in run.stderr
    # Two busy timeouts and the interpreter's start-up, far from the 30 s default's 60.
    assert run.seconds < 2 * busy_ms / 1000 + 10, run.seconds
    assert _dump(path) == before


def _dump(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()
