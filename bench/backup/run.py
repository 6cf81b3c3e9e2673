"""Backup and restore speed, on SQLite and PostgreSQL, against the bare tools.

    .venv/bin/python bench/backup/run.py [--students 5000] [--repeat 3] [--postgres-url URL] [--json PATH]

For each engine a fresh database is migrated and seeded (students, enrollments, grades and
attendance), then ``create_backup`` and ``restore_backup`` are timed, each against a reference
run in the same invocation on the same data:

- SQLite: the bare online backup API (``sqlite3.Connection.backup``), both directions;
- PostgreSQL: bare ``pg_dump -Fc`` and bare ``pg_restore --clean --single-transaction``.

The ratio (ours / reference) is the figure to compare across machines and commits; it is
what the checks around the tools (snapshot row counts, SHA-256, integrity check, archive
read-back) cost. Medians of ``--repeat`` runs. Everything happens in a temporary folder and a
throwaway ``sms_bench_backup_*`` database, dropped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import URL, create_engine, insert, make_url, text

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from backend.backups import pg_tools  # noqa: E402
from backend.backups.service import BackupOptions, create_backup, restore_backup  # noqa: E402
from backend.db import migrations  # noqa: E402
from backend.db.engine_builder import create_database_engine, resolve_database  # noqa: E402
from backend.db.session import Database  # noqa: E402
from backend.models import Attendance, Course, CourseEnrollment, Grade, Student  # noqa: E402
from bench.common import add_engine_arguments  # noqa: E402

COURSES, GRADES_PER_STUDENT, DAYS = 40, 10, 10


def seed(database: Database, students: int) -> None:
    """Bulk-insert a school of ``students`` with grades and attendance."""
    start = date(2025, 9, 1)
    with database.engine.begin() as connection:
        connection.execute(
            insert(Course),
            [
                {
                    "id": c,
                    "course_code": f"C{c}",
                    "course_name": f"Course {c}",
                    "semester": "Fall",
                    "year": 2025,
                }
                for c in range(1, COURSES + 1)
            ],
        )
        connection.execute(
            insert(Student),
            [
                {
                    "id": s,
                    "student_id": f"S{s:06d}",
                    "first_name": "First",
                    "last_name": f"Last {s}",
                    "email": f"s{s}@school.example",
                    "enrollment_date": start,
                }
                for s in range(1, students + 1)
            ],
        )
        connection.execute(
            insert(CourseEnrollment),
            [{"student_id": s, "course_id": s % COURSES + 1} for s in range(1, students + 1)],
        )
        connection.execute(
            insert(Grade),
            [
                {
                    "student_id": s,
                    "course_id": s % COURSES + 1,
                    "assignment_name": f"Homework {g}",
                    "category": "homework",
                    "grade": 50 + (s * g) % 50,
                }
                for s in range(1, students + 1)
                for g in range(GRADES_PER_STUDENT)
            ],
        )
        connection.execute(
            insert(Attendance),
            [
                {
                    "student_id": s,
                    "course_id": s % COURSES + 1,
                    "date": start + timedelta(days=d),
                    "status": "present" if (s + d) % 7 else "absent",
                }
                for s in range(1, students + 1)
                for d in range(DAYS)
            ],
        )
        if database.resolved.kind == "postgresql":
            for table in ("courses", "students"):
                connection.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))


def timed(action: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def bench_engine(kind: str, url: URL, work: Path, students: int, repeat: int) -> dict[str, Any]:
    resolved = resolve_database(
        database_engine=None,
        database_url=url.render_as_string(hide_password=False),
        sqlite_path="x",
        base_dir=work,
    )
    database = Database(resolved, create_database_engine(resolved))
    try:
        migrations.upgrade(database.engine)
        seed(database, students)
        options = BackupOptions(backup_dir=work / f"backups-{kind}", retention=0)
        last: list[str] = []

        def ours_create() -> None:
            last.append(create_backup(database=database, options=options).backup.name)

        create_s = timed(ours_create, repeat)
        name = last[-1]
        info_path = options.backup_dir / name
        restore_s = timed(lambda: restore_backup(database=database, options=options, name=name), repeat)

        if kind == "sqlite":
            live = resolved.sqlite_path
            assert live is not None
            copies = iter(range(repeat * 2))

            def bare_backup() -> None:
                with (
                    contextlib.closing(sqlite3.connect(live)) as source,
                    contextlib.closing(sqlite3.connect(work / f"bare-{next(copies)}.db")) as target,
                ):
                    source.backup(target)

            def bare_restore() -> None:
                with (
                    contextlib.closing(sqlite3.connect(info_path)) as source,
                    contextlib.closing(sqlite3.connect(live)) as target,
                ):
                    source.backup(target)

            create_ref = timed(bare_backup, repeat)
            restore_ref = timed(bare_restore, repeat)
            reference = f"bare sqlite3 backup API (SQLite {sqlite3.sqlite_version})"
        else:
            major = pg_tools.server_major(database.engine)
            dump = pg_tools.find_pg_tool("pg_dump", min_major=major)
            restore_tool = pg_tools.find_pg_tool("pg_restore", min_major=major)
            target = pg_tools.libpq_target(url)
            archive = work / "reference.dump"
            create_ref = timed(
                lambda: pg_tools.run_pg_tool(
                    dump, ["--format=custom", f"--file={archive}", f"--dbname={target.conninfo}"], target
                ),
                repeat,
            )
            restore_args = ["--clean", "--if-exists", "--single-transaction", "--no-owner", "--no-privileges"]
            database.dispose()
            restore_ref = timed(
                lambda: pg_tools.run_pg_tool(
                    restore_tool, [*restore_args, f"--dbname={target.conninfo}", str(archive)], target
                ),
                repeat,
            )
            reference = f"bare pg_dump/pg_restore {dump.version}"
        size = info_path.stat().st_size
        return {
            "engine": kind,
            "rows": students * (2 + GRADES_PER_STUDENT + DAYS) + COURSES,
            "backup_bytes": size,
            "create_s": round(create_s, 3),
            "create_reference_s": round(create_ref, 3),
            "create_ratio": round(create_s / create_ref, 2),
            "restore_s": round(restore_s, 3),
            "restore_reference_s": round(restore_ref, 3),
            "restore_ratio": round(restore_s / restore_ref, 2),
            "reference": reference,
        }
    finally:
        database.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=5000, help="students to seed (x22 rows in all)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported")
    add_engine_arguments(parser)
    args = parser.parse_args(argv)

    results = []
    with tempfile.TemporaryDirectory(prefix="sms-bench-backup-") as tmp:
        work = Path(tmp)
        for kind in args.engines:
            if kind == "sqlite":
                results.append(
                    bench_engine(
                        kind,
                        URL.create("sqlite", database=str(work / "live.db")),
                        work,
                        args.students,
                        args.repeat,
                    )
                )
                continue
            server = make_url(args.postgres_url).set(drivername="postgresql+psycopg")
            admin = create_engine(server, isolation_level="AUTOCOMMIT")
            name = f"sms_bench_backup_{uuid.uuid4().hex[:8]}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                results.append(
                    bench_engine(kind, server.set(database=name), work, args.students, args.repeat)
                )
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()

    header = (
        "engine",
        "rows",
        "MB",
        "create s",
        "ref s",
        "ratio",
        "restore s",
        "ref s",
        "ratio",
        "reference",
    )
    print(" | ".join(header))
    for r in results:
        print(
            f"{r['engine']} | {r['rows']} | {r['backup_bytes'] / 1e6:.1f} | {r['create_s']} | "
            f"{r['create_reference_s']} | {r['create_ratio']} | {r['restore_s']} | "
            f"{r['restore_reference_s']} | {r['restore_ratio']} | {r['reference']}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
