"""Load run of the SMS API under a real uvicorn, on SQLite and on PostgreSQL.

    .venv/bin/python bench/api/run.py [--seconds 20] [--clients 32] [--postgres-url URL] [--json PATH]

For each engine: a fresh database is migrated and seeded, uvicorn serves the app on a
loopback port (one server per layout, ``--workers``/``--replicas``, all up at once), and
``--clients`` threads send a realistic mix (list students, get a student, post a course-day
of attendance, post an assignment's grades) for ``--seconds``. The reference, run against the
same servers in turns with the mix (``--rounds``), is GET /health/live, which never touches
the database: the mix's throughput is reported as a ratio to it, so figures from different
machines compare. Traffic goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import URL, create_engine, make_url, text
from sqlalchemy.orm import Session

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from backend.db import migrations  # noqa: E402
from backend.models import Course, CourseEnrollment, Student  # noqa: E402
from bench.api.servers import Server, local_postgres_cpu_seconds, serve  # noqa: E402
from bench.common import add_engine_arguments  # noqa: E402

ADMIN_EMAIL = "bench-admin@school.example"
ADMIN_PASSWORD = "bench-" + uuid.uuid4().hex
SECRET_KEY = uuid.uuid4().hex + uuid.uuid4().hex
STUDENTS, COURSES = 400, 16
MIX = (("list_students", 50), ("get_student", 25), ("post_attendance", 15), ("post_grades", 10))


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, op: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.latencies[op].append(seconds)
            if not ok:
                self.errors[op] += 1
                if len(self.samples) < 5:
                    self.samples.append(f"{op}: {detail}")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def seed(url: URL) -> dict[int, list[int]]:
    """Migrate and fill the database; return each course's roster of student ids."""
    engine = create_engine(url)
    migrations.upgrade(engine)
    rng = random.Random(7)
    with Session(engine) as session, session.begin():
        courses = [
            Course(
                course_code=f"B{i:03d}",
                course_name=f"Bench course {i}",
                semester="Fall",
                year=2024,
                evaluation_rules=[{"category": "exam", "weight": 60}, {"category": "homework", "weight": 40}],
            )
            for i in range(COURSES)
        ]
        students = [
            Student(
                student_id=f"BS{i:05d}",
                first_name=rng.choice(["Ana", "Ben", "Chloe", "Dimitris", "Eva"]),
                last_name=f"Surname{i:04d}",
                email=f"bench{i}@school.example",
                enrollment_date=date(2024, 9, 1),
            )
            for i in range(STUDENTS)
        ]
        session.add_all([*courses, *students])
        session.flush()
        rosters: dict[int, list[int]] = defaultdict(list)
        for index, student in enumerate(students):
            course = courses[index % COURSES]
            session.add(CourseEnrollment(student_id=student.id, course_id=course.id))
            rosters[course.id].append(student.id)
    # The planner's statistics, as a school's database has them (and SMS's own seeding gathers):
    # PostgreSQL's autovacuum would gather them only some time into the run.
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()
    return dict(rosters)


def server_env(url: URL, kind: str, args: argparse.Namespace) -> dict[str, str]:
    """The server under test is configured only through its environment."""
    return {
        **os.environ,
        "DATABASE_ENGINE": kind,
        "DATABASE_URL": url.render_as_string(hide_password=False),
        "SECRET_KEY": SECRET_KEY,
        "DEFAULT_ADMIN_EMAIL": ADMIN_EMAIL,
        "DEFAULT_ADMIN_PASSWORD": ADMIN_PASSWORD,
        # The load run acts as this admin at once; the first-login password change is not measured.
        "DEFAULT_ADMIN_MUST_CHANGE_PASSWORD": "false",
        "LOG_LEVEL": "WARNING",
        "ENVIRONMENT": "production",
        # A pooled connection for every request a worker runs at once (WEB_THREADS, 4 by default)
        # and more: the pool never makes a request wait, whatever WEB_THREADS is.
        "DB_POOL_SIZE": str(args.pool_size),
        "DB_MAX_OVERFLOW": "10",
    }


def operations(
    rosters: dict[int, list[int]], student_ids: list[int]
) -> dict[str, Callable[..., httpx.Response]]:
    course_ids = sorted(rosters)
    start = date(2024, 9, 2)

    def list_students(client: httpx.Client, rng: random.Random) -> httpx.Response:
        params: dict[str, Any] = {"limit": 50, "offset": rng.randrange(0, STUDENTS - 50), "sort": "last_name"}
        if rng.random() < 0.3:
            params = {"q": rng.choice(["ana", "ben", "surname01", "bs0003"]), "limit": 50}
        return client.get("/api/v1/students", params=params)

    def get_student(client: httpx.Client, rng: random.Random) -> httpx.Response:
        return client.get(f"/api/v1/students/{rng.choice(student_ids)}")

    def post_attendance(client: httpx.Client, rng: random.Random) -> httpx.Response:
        course = rng.choice(course_ids)
        day = start + timedelta(days=rng.randrange(60))
        records = [
            {"student_id": s, "status": rng.choice(["present"] * 8 + ["absent", "late"])}
            for s in rosters[course]
        ]
        body = {"course_id": course, "date": day.isoformat(), "period_number": 1, "records": records}
        return client.post("/api/v1/attendance/bulk", json=body)

    def post_grades(client: httpx.Client, rng: random.Random) -> httpx.Response:
        course = rng.choice(course_ids)
        body = {
            "course_id": course,
            "assignment_name": f"Homework {rng.randrange(1, 21)}",
            "category": "homework",
            "max_grade": 100,
            "grades": [{"student_id": s, "grade": rng.randrange(40, 101)} for s in rosters[course]],
        }
        return client.post("/api/v1/grades/bulk", json=body)

    return {
        "list_students": list_students,
        "get_student": get_student,
        "post_attendance": post_attendance,
        "post_grades": post_grades,
    }


def open_clients(base: str, token: str, count: int, stack: ExitStack) -> list[httpx.Client]:
    """One HTTP client per load thread, kept for every turn against one server: a client's
    set-up and its connection are made once, not inside each measured turn."""
    headers = {"Authorization": f"Bearer {token}"}
    return [
        stack.enter_context(httpx.Client(base_url=base, headers=headers, timeout=60)) for _ in range(count)
    ]


def drive(
    clients: list[httpx.Client],
    seconds: float,
    pick: Callable[[random.Random], str],
    ops: dict[str, Callable[..., httpx.Response]],
    results: Results | None = None,
) -> tuple[Results, float]:
    """One thread per client for ``seconds``; return the results (added to ``results`` when
    given) and the measured wall time."""
    results = Results() if results is None else results
    window: dict[str, float] = {}

    def open_window() -> None:
        # Runs once every thread has started, so slow thread start-up does not eat the run.
        window["start"] = time.monotonic()
        window["stop"] = window["start"] + seconds

    barrier = threading.Barrier(len(clients) + 1, action=open_window)

    def client_loop(client: httpx.Client, seed_: int) -> None:
        rng = random.Random(seed_)
        barrier.wait()
        while time.monotonic() < window["stop"]:
            op = pick(rng)
            began = time.perf_counter()
            try:
                response = ops[op](client, rng)
                ok = response.status_code < 400
                # Only a failure's body is read as text: decoding every answer is load
                # generator CPU that the server under test shares the cores with.
                detail = "" if ok else f"{response.status_code} {response.text[:160]}"
            except httpx.HTTPError as exc:
                ok, detail = False, f"{type(exc).__name__}: {exc}"
            results.add(op, time.perf_counter() - began, ok, detail)

    seeds = random.Random(len(results.samples) + sum(map(len, results.latencies.values())))
    threads = [
        threading.Thread(target=client_loop, args=(client, seeds.randrange(2**32))) for client in clients
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return results, time.monotonic() - window["start"]


def summarize(results: Results, wall: float) -> dict[str, Any]:
    every = [s for values in results.latencies.values() for s in values]
    per_op = {
        op: {
            "requests": len(values),
            "errors": results.errors.get(op, 0),
            "p50_ms": round(percentile(values, 50) * 1000, 1),
            "p95_ms": round(percentile(values, 95) * 1000, 1),
        }
        for op, values in sorted(results.latencies.items())
    }
    return {
        "requests": len(every),
        "errors": sum(results.errors.values()),
        "throughput_rps": round(len(every) / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(every, 50) * 1000, 1),
        "p95_ms": round(percentile(every, 95) * 1000, 1),
        "p99_ms": round(percentile(every, 99) * 1000, 1),
        "mean_ms": round(statistics.fmean(every) * 1000, 1) if every else 0.0,
        "operations": per_op,
        "error_samples": results.samples,
    }


@dataclass
class Tally:
    """One kind of run against one server (the mix, the reference, an operation alone), summed
    over its turns: requests, wall time, and the CPU the server, the load generator (this
    process) and, when PostgreSQL runs on this machine, the database spent meanwhile."""

    touches_database: bool = True
    results: Results = field(default_factory=Results)
    wall: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    database_cpu: float | None = 0.0
    busy: float = 0.0
    idle: float = 0.0
    # Each turn's requests per second, in the order they ran.
    turns: list[float] = field(default_factory=list)

    def requests(self) -> int:
        return sum(len(values) for values in self.results.latencies.values())

    def summary(self) -> dict[str, Any]:
        found = summarize(self.results, self.wall)
        count = found["requests"]

        def per_request(seconds: float | None) -> float | None:
            return round(seconds * 1000 / count, 2) if count and seconds is not None else None

        found["cpu_ms_per_request"] = per_request(self.server_cpu)
        found["client_cpu_ms_per_request"] = per_request(self.client_cpu)
        found["db_cpu_ms_per_request"] = per_request(self.database_cpu if self.touches_database else None)
        total = self.busy + self.idle
        found["machine_idle_share"] = round(self.idle / total, 3) if total else None
        found["turns_rps"] = self.turns
        return found


def measured(
    server: Server,
    kind: str,
    clients: list[httpx.Client],
    seconds: float,
    pick: Callable[[random.Random], str],
    ops: Any,
    tally: Tally,
) -> None:
    """One turn of a drive, added to ``tally`` with the CPU spent meanwhile: the server's, the
    load generator's and, when PostgreSQL runs on this machine, the database's (every one of
    its processes: only a figure while nothing else uses that server); and the share of the
    machine left idle, which says whether the cores or one process's lock were the limit."""
    before, database_before = server.cpu_seconds(), local_postgres_cpu_seconds()
    client_before, machine_before = time.process_time(), _machine_busy_idle()
    requests_before = tally.requests()
    _, wall = drive(clients, seconds, pick, ops, tally.results)
    database_after = local_postgres_cpu_seconds()
    tally.server_cpu += server.cpu_seconds() - before
    tally.client_cpu += time.process_time() - client_before
    busy, idle = (after - first for after, first in zip(_machine_busy_idle(), machine_before, strict=True))
    tally.busy, tally.idle = tally.busy + busy, tally.idle + idle
    if kind == "postgresql" and database_before is not None and database_after is not None:
        tally.database_cpu = (tally.database_cpu or 0.0) + database_after - database_before
    else:
        tally.database_cpu = None
    tally.wall += wall
    tally.turns.append(round((tally.requests() - requests_before) / wall, 1) if wall else 0.0)


def _machine_busy_idle() -> tuple[float, float]:
    """This machine's busy and idle CPU time so far (every core), from /proc/stat's first line."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return float(sum(values[:8]) - idle), float(idle)


@dataclass
class Layout:
    """One way of serving (workers x replicas), its server, its clients, and what they measured."""

    kind: str
    workers: int
    replicas: int
    server: Server
    clients: list[httpx.Client]
    mix: Tally = field(default_factory=Tally)
    reference: Tally = field(default_factory=lambda: Tally(touches_database=False))
    alone: dict[str, Tally] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"[{self.kind} w{self.workers} r{self.replicas}]"

    def measure(self, seconds: float, pick: Callable[[random.Random], str], ops: Any, tally: Tally) -> None:
        measured(self.server, self.kind, self.clients, seconds, pick, ops, tally)

    def report(self) -> dict[str, Any]:
        mix, reference = self.mix.summary(), self.reference.summary()
        mix["ratio_to_reference"] = (
            round(mix["throughput_rps"] / reference["throughput_rps"], 3)
            if reference["throughput_rps"]
            else None
        )
        rounds = [
            {"round": number, "mix_rps": m, "reference_rps": r, "ratio": round(m / r, 3) if r else None}
            for number, (m, r) in enumerate(zip(self.mix.turns, self.reference.turns, strict=True), start=1)
        ]
        return {
            "engine": self.kind,
            "workers": self.workers,
            "replicas": self.replicas,
            "mix": mix,
            "reference": reference,
            "rounds": rounds,
            "alone": {name: tally.summary() for name, tally in self.alone.items()},
        }


def start_layout(
    stack: ExitStack, kind: str, url: URL, workers: int, replicas: int, ops: Any, args: argparse.Namespace
) -> Layout:
    """Serve one layout until ``stack`` closes: logged in, and warmed up by an unmeasured mix."""
    server = stack.enter_context(serve(server_env(url, kind, args), workers=workers, replicas=replicas))
    login = httpx.post(
        f"{server.base}/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )
    login.raise_for_status()
    clients = open_clients(server.base, login.json()["access_token"], args.clients, stack)
    layout = Layout(kind, workers, replicas, server, clients)
    if args.warm_seconds:
        # FastAPI builds each route's handler at its first request (about a second of CPU for
        # the app's routes on this machine, once per process), and each pooled connection
        # plans a statement until it has used it five times: not part of any figure.
        print(f"{layout.label} warm-up: the mix, {args.warm_seconds:g} s (not measured)", flush=True)
        drive(clients, args.warm_seconds, mixed, ops)
    return layout


def mixed(rng: random.Random) -> str:
    return rng.choices([name for name, _ in MIX], [weight for _, weight in MIX])[0]


def take_turn(layout: Layout, ops: Any, args: argparse.Namespace) -> None:
    """One round of a layout: its reference, then its mix, each a ``--rounds``-th of its length."""
    reference_seconds, mix_seconds = args.reference_seconds / args.rounds, args.seconds / args.rounds
    print(
        f"{layout.label} reference: GET /health/live, {len(layout.clients)} clients, {reference_seconds:g} s"
    )
    layout.measure(reference_seconds, lambda _rng: "health_live", ops, layout.reference)
    print(f"{layout.label} mix: {len(layout.clients)} clients, {mix_seconds:g} s", flush=True)
    layout.measure(mix_seconds, mixed, ops, layout.mix)


def each_alone(layout: Layout, ops: Any, args: argparse.Namespace) -> None:
    """Each operation alone, for its CPU milliseconds per request."""
    print(f"{layout.label} each operation alone for its CPU: {args.cpu_seconds:g} s each", flush=True)
    for name, _ in MIX:
        tally = layout.alone.setdefault(name, Tally())
        layout.measure(args.cpu_seconds, lambda _rng, n=name: n, ops, tally)


def layouts(args: argparse.Namespace) -> list[tuple[int, int]]:
    """(workers, replicas) to serve with: each --workers count, then each --replicas count > 1."""
    found = [(w, 1) for w in args.workers] + [(1, r) for r in args.replicas if r > 1]
    return list(dict.fromkeys(found))


def serving_groups(kind: str, url: URL, args: argparse.Namespace) -> list[list[tuple[int, int]]]:
    """Which layouts are served at once: all of them, so that their turns interleave, unless
    their connections would not fit PostgreSQL's ``max_connections``; then one at a time."""
    every = layouts(args)
    if kind != "postgresql" or len(every) == 1:
        return [every]
    # Each layout's processes hold at most one connection per client in flight, and a few each
    # for the job library: a generous bound.
    needed = sum(args.clients + 6 * workers * replicas for workers, replicas in every) + 5
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            limit = int(conn.execute(text("SHOW max_connections")).scalar_one())
            reserved = int(conn.execute(text("SHOW superuser_reserved_connections")).scalar_one())
            busy = int(conn.execute(text("SELECT count(*) FROM pg_stat_activity")).scalar_one())
    finally:
        engine.dispose()
    if needed <= limit - reserved - busy:
        return [every]
    print(
        f"[{kind}] the layouts served at once could need {needed} connections, more than the "
        f"{limit - reserved - busy} free: serving them one at a time (their turns do not interleave)",
        flush=True,
    )
    return [[layout] for layout in every]


def run_engine(kind: str, url: URL, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Serve every layout at once and measure them in ``--rounds`` turns, the layouts taking
    turns within each round (1 2, then 2 1, ...): this machine's speed drifts by a fifth within
    minutes, and a drift then falls on every layout, and on the mix and its reference, alike."""
    print(f"[{kind}] seeding {STUDENTS} students in {COURSES} courses ...", flush=True)
    rosters = seed(url)
    ops = operations(rosters, [s for roster in rosters.values() for s in roster])
    ops["health_live"] = lambda client, _rng: client.get("/health/live")
    reports = []
    for group in serving_groups(kind, url, args):
        with ExitStack() as stack:
            served = [
                start_layout(stack, kind, url, workers, replicas, ops, args) for workers, replicas in group
            ]
            for number in range(1, args.rounds + 1):
                if args.rounds > 1:
                    print(f"[{kind}] round {number} of {args.rounds}", flush=True)
                for layout in served if number % 2 else served[::-1]:
                    take_turn(layout, ops, args)
            if args.cpu_seconds:
                for layout in served:
                    each_alone(layout, ops, args)
            reports.extend(layout.report() for layout in served)
    return reports


@contextmanager
def postgres_database(server_url: str) -> Iterator[URL]:
    server = make_url(server_url).set(drivername="postgresql+psycopg")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"sms_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure here means this server cannot be used
        admin.dispose()
        line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SystemExit(
            f"error: cannot create a database on {server.render_as_string()}: {line}; "
            "pass --postgres-url postgresql://user@host:5432/postgres"
        ) from None
    try:
        yield server.set(database=name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _layout(report: dict[str, Any]) -> str:
    return f"{report['engine']} w{report['workers']} r{report['replicas']}"


def _or_dash(value: float | None) -> str:
    return "-" if value is None else str(value)


def print_table(reports: list[dict[str, Any]]) -> None:
    header = f"{'server':<17}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    print("\n" + header + f"{'ref req/s':>11}{'ratio':>8}{'CPU ms/req':>12}{'DB ms/req':>11}")
    for report in reports:
        m, r = report["mix"], report["reference"]
        print(
            f"{_layout(report):<17}{m['requests']:>9}{m['errors']:>8}{m['throughput_rps']:>9}{m['p50_ms']:>9}"
            f"{m['p95_ms']:>9}{m['p99_ms']:>9}{r['throughput_rps']:>11}{m['ratio_to_reference']:>8}"
            f"{m['cpu_ms_per_request']:>12}{_or_dash(m['db_cpu_ms_per_request']):>11}"
        )
    for report in reports:
        print(f"\n{_layout(report)} per operation (in the mix; CPU and DB ms/req from it run alone):")
        for op, figures in report["mix"]["operations"].items():
            alone = report["alone"].get(op)
            database = _or_dash(alone["db_cpu_ms_per_request"]) if alone else ""
            cpu = (
                f"  CPU {alone['cpu_ms_per_request']:>6} ms/req, DB {database:>5}"
                f" ({alone['throughput_rps']} req/s alone)"
                if alone
                else ""
            )
            print(
                f"  {op:<17}{figures['requests']:>7} req {figures['errors']:>4} err "
                f"p50 {figures['p50_ms']:>7} ms  p95 {figures['p95_ms']:>7} ms{cpu}"
            )
        reference = report["reference"]
        print(
            f"  {'health_live':<17} reference CPU {reference['cpu_ms_per_request']} ms/req; "
            f"{', '.join(str(rate) for rate in reference['turns_rps'])} req/s in its turns"
        )
        for name, run in (("mix", report["mix"]), ("reference", reference)):
            print(f"  {name:<17} {_machine_share(run)}")
        for sample in report["mix"]["error_samples"]:
            print(f"  error: {sample}")


def _machine_share(run: dict[str, Any]) -> str:
    """Where the machine's CPU went per request: the load generator shares the cores it measures."""
    database = run["db_cpu_ms_per_request"]
    return (
        f"per request: server {run['cpu_ms_per_request']} ms"
        + ("" if database is None else f", database {database} ms")
        + f", load generator {run['client_cpu_ms_per_request']} ms of CPU;"
        f" machine idle {run['machine_idle_share'] * 100:.0f} %"
    )


def _against(report: dict[str, Any], base: dict[str, Any], run: str) -> float:
    rate = base[run]["throughput_rps"]
    return float(report[run]["throughput_rps"] / rate) if rate else 0.0


def scalings(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each layout's throughput against the same engine's one worker (mix and reference): over
    the whole run, and within each round."""
    single = {r["engine"]: r for r in reports if r["workers"] == 1 and r["replicas"] == 1}
    found = []
    for report in reports:
        base = single.get(report["engine"])
        if base is None or report is base:
            continue
        each = [
            round(mine["mix_rps"] / theirs["mix_rps"], 2) if theirs["mix_rps"] else 0.0
            for mine, theirs in zip(report["rounds"], base["rounds"], strict=True)
        ]
        found.append(
            {
                "layout": _layout(report),
                "mix": round(_against(report, base, "mix"), 2),
                "reference": round(_against(report, base, "reference"), 2),
                "mix_each_round": each,
            }
        )
    return found


def print_scaling(reports: list[dict[str, Any]]) -> None:
    lines = []
    for entry in scalings(reports):
        rounds = entry["mix_each_round"]
        each = f"   rounds: {', '.join(f'x{v:.2f}' for v in rounds)}" if len(rounds) > 1 else ""
        lines.append(
            f"  {entry['layout']:<17} mix x{entry['mix']:.2f}   "
            f"reference x{entry['reference']:.2f}   (against w1 r1){each}"
        )
    if lines:
        print("\nscaling:")
        print("\n".join(lines))


def print_rounds(reports: list[dict[str, Any]]) -> None:
    """With --rounds: every round's mix, reference and ratio, layout by layout."""
    print("\nevery round (the table above sums them):")
    for report in reports:
        for turn in report["rounds"]:
            print(
                f"  round {turn['round']}  {_layout(report):<17}{turn['mix_rps']:>9} req/s"
                f"{turn['reference_rps']:>9} ref{_or_dash(turn['ratio']):>8}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=20, help="length of each layout's mixed run (over all its rounds)"
    )
    parser.add_argument(
        "--reference-seconds",
        type=float,
        default=8,
        help="length of each layout's /health/live run (over all its rounds)",
    )
    parser.add_argument(
        "--warm-seconds", type=float, default=3, help="unmeasured mix before each server's runs (0: none)"
    )
    parser.add_argument("--clients", type=int, default=32, help="concurrent client threads")
    parser.add_argument("--pool-size", type=int, default=40, help="DB_POOL_SIZE of the server under test")
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1],
        help="serve with each of these worker counts (e.g. 1 2)",
    )
    parser.add_argument(
        "--replicas",
        type=int,
        nargs="+",
        default=[1],
        help="also serve with each of these numbers of uvicorn processes sharing the port (SO_REUSEPORT)",
    )
    parser.add_argument(
        "--cpu-seconds",
        type=float,
        default=5,
        help="run each operation alone this long for its CPU ms per request (0: skip)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="split each layout's runs into this many turns, the layouts (all served at once) taking turns",
    )
    add_engine_arguments(parser)
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 256 or not 1 <= args.seconds <= 600:
        parser.error("--clients must be 1-256 and --seconds 1-600")
    if not all(1 <= n <= 16 for n in [*args.workers, *args.replicas]):
        parser.error("--workers and --replicas must be 1-16")
    if not 1 <= args.rounds <= 20:
        parser.error("--rounds must be 1-20")
    if args.seconds / args.rounds < 1 or args.reference_seconds / args.rounds < 1:
        parser.error(
            "each round needs at least 1 s of mix and of reference: fewer --rounds or more --seconds"
        )

    reports = []
    for kind in args.engines:
        if kind == "sqlite":
            with tempfile.TemporaryDirectory(prefix="sms-bench-") as folder:
                reports.extend(run_engine(kind, URL.create("sqlite", database=f"{folder}/bench.db"), args))
        else:
            with postgres_database(args.postgres_url) as url:
                reports.extend(run_engine(kind, url, args))
    print_table(reports)
    if args.rounds > 1:
        print_rounds(reports)
    print_scaling(reports)
    if args.json:
        figures = {
            "clients": args.clients,
            "seconds": args.seconds,
            "rounds": args.rounds,
            "engines": reports,
            "scaling": scalings(reports),
        }
        args.json.write_text(json.dumps(figures, indent=2))
    errors = sum(
        report["mix"]["errors"]
        + report["reference"]["errors"]
        + sum(a["errors"] for a in report["alone"].values())
        for report in reports
    )
    print(f"\n{'FAIL' if errors else 'ok'}: {errors} errors across {len(reports)} server run(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
