"""Load run of the SMS API under a real uvicorn, on SQLite and on PostgreSQL.

    .venv/bin/python bench/api/run.py [--seconds 20] [--clients 32] [--postgres-url URL] [--json PATH]

For each engine: a fresh database is migrated and seeded, uvicorn serves the app on a
loopback port, and ``--clients`` threads send a realistic mix (list students, get a
student, post a course-day of attendance, post an assignment's grades) for ``--seconds``.
The reference, run in the same invocation against the same server, is GET /health/live,
which never touches the database: the mix's throughput is reported as a ratio to it, so
figures from different machines compare. Traffic goes to 127.0.0.1 only and stops by itself.
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
from contextlib import contextmanager
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


def drive(
    base: str,
    token: str,
    clients: int,
    seconds: float,
    pick: Callable[[random.Random], str],
    ops: dict[str, Callable[..., httpx.Response]],
) -> tuple[Results, float]:
    """Run ``clients`` threads for ``seconds``; return the results and the measured wall time."""
    results = Results()
    window: dict[str, float] = {}

    def open_window() -> None:
        # Runs once every client is connected, so slow thread start-up does not eat the run.
        window["start"] = time.monotonic()
        window["stop"] = window["start"] + seconds

    barrier = threading.Barrier(clients + 1, action=open_window)

    def client_loop(seed_: int) -> None:
        rng = random.Random(seed_)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            barrier.wait()
            while time.monotonic() < window["stop"]:
                op = pick(rng)
                began = time.perf_counter()
                try:
                    response = ops[op](client, rng)
                    ok = response.status_code < 400
                    detail = f"{response.status_code} {response.text[:160]}"
                except httpx.HTTPError as exc:
                    ok, detail = False, f"{type(exc).__name__}: {exc}"
                results.add(op, time.perf_counter() - began, ok, detail)

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
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


def measured(
    server: Server,
    kind: str,
    token: str,
    clients: int,
    seconds: float,
    pick: Callable[[random.Random], str],
    ops: Any,
) -> dict[str, Any]:
    """A drive whose summary also carries CPU milliseconds per request: the server's, the load
    generator's (this process) and, when PostgreSQL runs on this machine, the database's (every
    one of its processes: only a figure while nothing else uses that server); and the share of
    the machine left idle, which says whether the cores or one process's lock were the limit."""
    before, database_before = server.cpu_seconds(), local_postgres_cpu_seconds()
    client_before, machine_before = time.process_time(), _machine_busy_idle()
    summary = summarize(*drive(server.base, token, clients, seconds, pick, ops))
    used, database_after = server.cpu_seconds() - before, local_postgres_cpu_seconds()
    client_used = time.process_time() - client_before
    busy, idle = (after - first for after, first in zip(_machine_busy_idle(), machine_before, strict=True))
    requests = summary["requests"]
    summary["client_cpu_ms_per_request"] = round(client_used * 1000 / requests, 2) if requests else None
    summary["machine_idle_share"] = round(idle / (busy + idle), 3) if busy + idle else None
    summary["cpu_ms_per_request"] = round(used * 1000 / requests, 2) if requests else None
    database_used = (
        database_after - database_before
        if kind == "postgresql" and database_before is not None and database_after is not None
        else None
    )
    summary["db_cpu_ms_per_request"] = (
        round(database_used * 1000 / requests, 2) if requests and database_used is not None else None
    )
    return summary


def _machine_busy_idle() -> tuple[float, float]:
    """This machine's busy and idle CPU time so far (every core), from /proc/stat's first line."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return float(sum(values[:8]) - idle), float(idle)


def run_layout(
    kind: str, url: URL, rosters: dict[int, list[int]], workers: int, replicas: int, args: argparse.Namespace
) -> dict[str, Any]:
    """Reference, mix and (with --cpu-seconds) each operation alone, against one server."""
    student_ids = [s for roster in rosters.values() for s in roster]
    label = f"[{kind} w{workers} r{replicas}]"
    with serve(server_env(url, kind, args), workers=workers, replicas=replicas) as server:
        login = httpx.post(
            f"{server.base}/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
        login.raise_for_status()
        token = login.json()["access_token"]
        ops = operations(rosters, student_ids)
        ops["health_live"] = lambda client, _rng: client.get("/health/live")
        names, weights = [name for name, _ in MIX], [weight for _, weight in MIX]

        def mixed(rng: random.Random) -> str:
            return rng.choices(names, weights)[0]

        if args.warm_seconds:
            # FastAPI builds each route's handler at its first request (about a second of CPU
            # for the app's routes on this machine, once per process): not part of any figure.
            print(f"{label} warm-up: the mix, {args.warm_seconds:g} s (not measured)", flush=True)
            drive(server.base, token, args.clients, args.warm_seconds, mixed, ops)

        def reference_run(when: str) -> dict[str, Any]:
            print(
                f"{label} reference {when} the mix: GET /health/live, {args.clients} clients, "
                f"{args.reference_seconds:g} s",
                flush=True,
            )
            return measured(
                server, kind, token, args.clients, args.reference_seconds, lambda _rng: "health_live", ops
            )

        first = reference_run("before")
        print(f"{label} mix: {args.clients} clients, {args.seconds:g} s", flush=True)
        mix = measured(server, kind, token, args.clients, args.seconds, mixed, ops)
        # On both sides of the mix: this machine's speed drifts, and a reference taken on one
        # side only may catch it faster or slower than the mix ran.
        reference = both_sides(first, reference_run("after"))
        alone: dict[str, Any] = {}
        if args.cpu_seconds:
            print(f"{label} each operation alone for its CPU: {args.cpu_seconds:g} s each", flush=True)
            for name in names:
                alone[name] = measured(
                    server, kind, token, args.clients, args.cpu_seconds, lambda _rng, n=name: n, ops
                )
    mix["ratio_to_reference"] = (
        round(mix["throughput_rps"] / reference["throughput_rps"], 3) if reference["throughput_rps"] else None
    )
    return {
        "engine": kind,
        "workers": workers,
        "replicas": replicas,
        "mix": mix,
        "reference": reference,
        "alone": alone,
    }


def both_sides(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The reference runs before and after the mix (equally long) as one: their mean rate."""
    requests = before["requests"] + after["requests"]
    cpu = [(run["cpu_ms_per_request"] or 0) * run["requests"] for run in (before, after)]
    client = [(run["client_cpu_ms_per_request"] or 0) * run["requests"] for run in (before, after)]
    return {
        "requests": requests,
        "errors": before["errors"] + after["errors"],
        "throughput_rps": round((before["throughput_rps"] + after["throughput_rps"]) / 2, 1),
        "cpu_ms_per_request": round(sum(cpu) / requests, 2) if requests else None,
        "client_cpu_ms_per_request": round(sum(client) / requests, 2) if requests else None,
        "machine_idle_share": round((before["machine_idle_share"] + after["machine_idle_share"]) / 2, 3),
        "db_cpu_ms_per_request": None,  # /health/live does not touch it
        "before_mix": before,
        "after_mix": after,
    }


def layouts(args: argparse.Namespace) -> list[tuple[int, int]]:
    """(workers, replicas) to serve with: each --workers count, then each --replicas count > 1."""
    found = [(w, 1) for w in args.workers] + [(1, r) for r in args.replicas if r > 1]
    return list(dict.fromkeys(found))


def run_engine(kind: str, url: URL, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every layout, ``--rounds`` times over, the layouts taking turns within each round."""
    print(f"[{kind}] seeding {STUDENTS} students in {COURSES} courses ...", flush=True)
    rosters = seed(url)
    reports = []
    for number in range(1, args.rounds + 1):
        if args.rounds > 1:
            print(f"[{kind}] round {number} of {args.rounds}", flush=True)
        # Turns alternate (1 2, then 2 1): a drift over the run favours no layout.
        order = layouts(args) if number % 2 else layouts(args)[::-1]
        for workers, replicas in order:
            report = run_layout(kind, url, rosters, workers, replicas, args)
            reports.append({**report, "round": number})
    return reports


def _ratio(report: dict[str, Any]) -> float:
    return float(report["mix"]["ratio_to_reference"] or 0)


def median_rounds(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per layout, its round with the median ratio to the reference (the lower of two middles).

    This machine's speed drifts by a fifth within minutes: with layouts taking turns round by
    round, each layout's median round is the figure a drift moved least.
    """
    by_layout: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for report in reports:
        by_layout[_layout(report)].append(report)
    shown = []
    for rounds in by_layout.values():
        ordered = sorted(rounds, key=_ratio)
        shown.append({**ordered[(len(ordered) - 1) // 2], "rounds": len(rounds)})
    return shown


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
            f"{reference['before_mix']['throughput_rps']} req/s before the mix, "
            f"{reference['after_mix']['throughput_rps']} after"
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
    """Each layout's throughput against the same engine's one worker of the same round (mix and
    reference), and the median over the rounds."""
    single = {
        (r["engine"], r.get("round", 1)): r for r in reports if r["workers"] == 1 and r["replicas"] == 1
    }
    found: dict[str, dict[str, Any]] = {}
    for report in reports:
        base = single.get((report["engine"], report.get("round", 1)))
        if base is None or report is base:
            continue
        entry = found.setdefault(_layout(report), {"layout": _layout(report), "mix": [], "reference": []})
        entry["mix"].append(round(_against(report, base, "mix"), 2))
        entry["reference"].append(round(_against(report, base, "reference"), 2))
    for entry in found.values():
        entry["median_mix"] = statistics.median_low(entry["mix"])
        entry["median_reference"] = statistics.median_low(entry["reference"])
    return list(found.values())


def print_scaling(reports: list[dict[str, Any]]) -> None:
    lines = []
    for entry in scalings(reports):
        each = f"   rounds: {', '.join(f'x{v:.2f}' for v in entry['mix'])}" if len(entry["mix"]) > 1 else ""
        lines.append(
            f"  {entry['layout']:<17} mix x{entry['median_mix']:.2f}   "
            f"reference x{entry['median_reference']:.2f}   (against w1 r1){each}"
        )
    if lines:
        print("\nscaling:")
        print("\n".join(lines))


def print_rounds(reports: list[dict[str, Any]]) -> None:
    """With --rounds: every round's mix, reference and ratio, in the order they ran."""
    print("\nevery round (the table above shows each layout's median round):")
    for report in reports:
        print(
            f"  round {report['round']}  {_layout(report):<17}{report['mix']['throughput_rps']:>9} req/s"
            f"{report['reference']['throughput_rps']:>9} ref{_ratio(report):>8}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of the mixed run per engine")
    parser.add_argument("--reference-seconds", type=float, default=5, help="length of the /health/live run")
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
        default=1,
        help="serve every layout this many times, taking turns, and show each one's median round",
    )
    add_engine_arguments(parser)
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 256 or not 1 <= args.seconds <= 600:
        parser.error("--clients must be 1-256 and --seconds 1-600")
    if not all(1 <= n <= 16 for n in [*args.workers, *args.replicas]):
        parser.error("--workers and --replicas must be 1-16")
    if not 1 <= args.rounds <= 9:
        parser.error("--rounds must be 1-9")

    reports = []
    for kind in args.engines:
        if kind == "sqlite":
            with tempfile.TemporaryDirectory(prefix="sms-bench-") as folder:
                reports.extend(run_engine(kind, URL.create("sqlite", database=f"{folder}/bench.db"), args))
        else:
            with postgres_database(args.postgres_url) as url:
                reports.extend(run_engine(kind, url, args))
    shown = median_rounds(reports)
    print_table(shown)
    if args.rounds > 1:
        print_rounds(reports)
    print_scaling(reports)
    if args.json:
        figures = {
            "clients": args.clients,
            "seconds": args.seconds,
            "rounds": args.rounds,
            "engines": shown,
            "scaling": scalings(reports),
            "every_round": reports if args.rounds > 1 else [],
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
