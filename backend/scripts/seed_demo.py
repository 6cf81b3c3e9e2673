"""Fill a database with a deterministic demo school: ``python -m backend.scripts.seed_demo``.

Rows come from ``--seed`` alone (no clock, no hash randomisation), so the same seed and size
give the same content on SQLite and on PostgreSQL. The data is what a Greek school really
holds, awkward where real data is: Greek text, apostrophes, quotes, tabs, newlines,
backslashes, emoji, empty strings beside NULLs, floats binary cannot represent, microsecond
timestamps. A rerun is safe: it refuses a database whose school tables already hold rows
rather than mixing two schools.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from backend.db import migrations
from backend.db.engine_builder import mask_url
from backend.db.errors import describe_db_error
from backend.models import Base, User
from backend.transfer.plan import ColumnPlan, Kind, school_tables, table_plan
from backend.transfer.sequences import reset_sequences

Row = tuple[Any, ...]
EPOCH = datetime(2025, 9, 1, 6, 0, tzinfo=UTC)
TERM_START = date(2025, 9, 15)
MALE = ["Γιώργος", "Δημήτρης", "Νίκος", "Κωνσταντίνος", "Ιωάννης", "Παναγιώτης", "Άγγελος", "Σπύρος"]
FEMALE = ["Μαρία", "Ελένη", "Κατερίνα", "Σοφία", "Αγγελική", "Δέσποινα", "Χριστίνα", "Ζωή"]
SURNAMES = [("Παπαδόπουλος", "Παπαδοπούλου"), ("Οικονόμου", "Οικονόμου"), ("Γεωργίου", "Γεωργίου"),
            ("Νικολάου", "Νικολάου"), ("Κωνσταντινίδης", "Κωνσταντινίδου"), ("Αλεξίου", "Αλεξίου"),
            ("Μαυρίδης", "Μαυρίδου"), ("O'Brien", "O'Brien"), ("Δ'Αγγέλου", "Δ'Αγγέλου"),
            ("Σαββίδης-Πάππας", "Σαββίδου-Πάππα")]  # fmt: skip
SUBJECTS = ["Μαθηματικά", "Φυσική", "Χημεία", "Βιολογία", "Ιστορία", "Αρχαία Ελληνικά", "Νέα Ελληνικά",
            "Πληροφορική", "Αγγλικά", "Γεωγραφία", "Οικονομία", "Φιλοσοφία"]  # fmt: skip
NOTES = [
    "Αλλεργία στα φιστίκια — ενημερώθηκε ο κηδεμόνας",
    'Είπε: "θα το φέρω αύριο"',
    "O'Brien's note, with commas, and 'quotes'",
    "γραμμή 1\nγραμμή 2\n\tεσοχή με tab",
    "Windows line\r\nending",
    "C:\\Users\\μαθητής\\εργασία.docx, a literal \\n and \\N",
    "\\.",  # COPY's end-of-data marker as a whole value
    "🎓 πολύ καλή πρόοδος 📚✨ 👩‍🏫",
    "",  # an empty string, which must stay distinct from NULL
    "   κενά μπροστά και πίσω   ",
    "tab\tseparated\tvalues",
    "ελληνικό ερωτηματικό; και άνω τελεία·",
    "NULL",  # the word, not the value
]
WEIGHTS = [1.0, 0.5, 0.1, 1 / 3, 0.1 + 0.2, 2 / 3, 1e-7, 12345.678901234567]
ASSIGNMENTS = ["Διαγώνισμα Α΄", "Εργασία «Το 1821»", 'Project: "Ρομπότ", ομάδα 2']
USERS = [("admin", "demo-admin@school.gr", "Διευθύντρια Σχολείου"),
         ("teacher", "demo-teacher1@school.gr", "Γιάννης Παπαδάκης"),
         ("teacher", "demo-teacher2@school.gr", "Ελένη O'Connor"),
         ("teacher", "demo-teacher3@school.gr", 'Νίκος "ο Φυσικός" Λάμπρου'),
         ("viewer", "demo-viewer1@school.gr", "Γραμματεία"),
         ("viewer", "demo-viewer2@school.gr", "")]  # fmt: skip
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"


class SeedError(RuntimeError):
    """The database cannot be seeded; the message says why and what to do."""


@dataclass
class SeedReport:
    database: str
    seed: int
    students: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def as_dict(self) -> dict[str, Any]:
        report = {"database": self.database, "seed": self.seed, "students": self.students, "rows": self.rows}
        return {**report, "total_rows": self.total_rows, "seconds": round(self.seconds, 3)}


class School:
    """The rows of one demo school, table by table, in the models' column order."""

    def __init__(self, *, students: int, seed: int, first_user_id: int = 1) -> None:
        self.students, self.seed, self.first_user_id = students, seed, first_user_id
        self.courses = max(8, students // 50)
        self.per_student = min(5, self.courses)

    def rng(self, table: str) -> random.Random:
        return random.Random(f"{self.seed}:{table}")  # str seeds are hashed with SHA-512: stable

    def stamp(self, rng: random.Random, days: int = 120) -> datetime:
        return EPOCH + timedelta(seconds=rng.randrange(days * 86400), microseconds=rng.randrange(1_000_000))

    def note(self, rng: random.Random, chance: float = 0.3) -> str | None:
        return rng.choice(NOTES) if rng.random() < chance else None

    def tables(self) -> list[tuple[str, Callable[[], Iterator[Row]]]]:
        return [("users", self.users), ("courses", self.course_rows), ("students", self.student_rows),
                ("course_enrollments", self.enrollments), ("grades", self.grades),
                ("attendance", self.attendance), ("daily_performance", self.performance),
                ("highlights", self.highlights), ("audit_log", self.audit)]  # fmt: skip

    def enrolled(self, student: int) -> list[int]:
        """The courses a student takes: deterministic, distinct, no RNG state needed."""
        start, step = (student * 7) % self.courses, 3 if self.courses % 3 else 1
        return [(start + k * step) % self.courses + 1 for k in range(self.per_student)]

    def users(self) -> Iterator[Row]:
        rng = self.rng("users")
        for i, (role, email, name) in enumerate(USERS):
            fake_hash = hashlib.sha256(f"{self.seed}:{email}".encode()).hexdigest()
            created = self.stamp(rng, 10)
            last_login = created + timedelta(days=3, microseconds=rng.randrange(10**6)) if i % 3 else None
            # An unverifiable hash: demo accounts exist for the audit trail, not to log in with.
            # The demo admin is inactive, so the app still creates its real first admin.
            yield (self.first_user_id + i, email, name, f"$demo$disabled${fake_hash}", role, i not in (0, 5),
                   fake_hash[:32], False, last_login, created, created)  # fmt: skip

    def course_rows(self) -> Iterator[Row]:
        rng = self.rng("courses")
        for cid in range(1, self.courses + 1):
            subject = SUBJECTS[(cid - 1) % len(SUBJECTS)]
            # Chains of four: 2 -> 1, 3 -> 4 (a forward reference), 4 -> 1.
            prereq = {1: cid - 1, 2: cid + 1, 3: cid - 3}.get((cid - 1) % 4)
            prereq = prereq if prereq and prereq <= self.courses else None
            exam = rng.choice([50, 60, 70])
            rules = [{"category": "exam", "weight": exam},
                     {"category": "homework", "weight": 100 - exam - 10},
                     {"category": "participation", "weight": 10, "σχόλιο": "στην τάξη"}]  # fmt: skip
            created = self.stamp(rng, 5)
            yield (cid, f"{subject[:3].upper()}-{cid:04d}", f"{subject} {'ΑΒΓ'[cid % 3]}΄ τάξη",
                   self.note(rng, 0.6), rng.choice([2, 3, 4]), rng.choice(["Χειμερινό", "Εαρινό"]), 2025,
                   rng.choice([None, "Μαρία Κ. Οικονόμου", "Π. O'Neil", ""]),
                   rng.choice([2.5, 3.0, 1 / 3, 0.1 * 3]), Decimal(rng.choice(["0.25", "0.50", "1.10", "0"])),
                   Decimal(rng.choice(["20", "100"])), Decimal("10" if cid % 2 else "50.5"),
                   rules if cid % 5 else None, prereq, cid % 9 != 0, created, created,
                   created + timedelta(days=30) if cid % 11 == 0 else None)  # fmt: skip

    def student_rows(self) -> Iterator[Row]:
        rng = self.rng("students")
        for sid in range(1, self.students + 1):
            female = rng.random() < 0.5
            first = rng.choice(FEMALE if female else MALE)
            last = rng.choice(SURNAMES)[1 if female else 0]
            born = date(2007, 1, 1) + timedelta(days=rng.randrange(2200)) if rng.random() < 0.95 else None
            phone = rng.choice([f"+30 69{rng.randrange(10**8):08d}", None, ""])
            created = self.stamp(rng, 30)
            yield (sid, f"S{2025_000000 + sid}", first, last, f"student{sid:06d}@school.gr", born, phone,
                   date(2025, 9, 1) - timedelta(days=365 * rng.randrange(6)), rng.randrange(1, 7),
                   rng.random() < 0.97, self.note(rng), created,
                   created + timedelta(minutes=rng.randrange(999)),
                   created + timedelta(days=40) if sid % 97 == 0 else None)  # fmt: skip

    def enrollments(self) -> Iterator[Row]:
        rng, ids = self.rng("course_enrollments"), itertools.count(1)
        for sid in range(1, self.students + 1):
            for cid in self.enrolled(sid):
                status = rng.choices(["active", "completed", "dropped"], [90, 7, 3])[0]
                yield next(ids), sid, cid, status, self.stamp(rng, 14)

    def grades(self) -> Iterator[Row]:
        rng, ids = self.rng("grades"), itertools.count(1)
        for sid in range(1, self.students + 1):
            for cid in self.enrolled(sid):
                for n, category in enumerate(["exam", "homework", "project"]):
                    scale = 20 if cid % 2 else 100
                    grade = Decimal(rng.randrange(scale * 100 + 1)) / 100
                    assigned = TERM_START + timedelta(days=rng.randrange(90))
                    submitted = assigned + timedelta(days=rng.randrange(10)) if rng.random() < 0.9 else None
                    created = self.stamp(rng)
                    yield (next(ids), sid, cid, ASSIGNMENTS[n],
                           category, grade, Decimal(scale), rng.choice(WEIGHTS), assigned, submitted,
                           self.note(rng, 0.15), created, created)  # fmt: skip

    def attendance(self) -> Iterator[Row]:
        rng, ids = self.rng("attendance"), itertools.count(1)
        days = [d for d in (TERM_START + timedelta(days=n) for n in range(28)) if d.weekday() < 5]
        for sid in range(1, self.students + 1):
            courses = self.enrolled(sid)
            for n, day in enumerate(days):
                status = rng.choices(["present", "absent", "late", "excused"], [85, 8, 5, 2])[0]
                created = datetime.combine(day, datetime.min.time(), UTC) + timedelta(
                    hours=8, microseconds=rng.randrange(3_600_000_000)
                )
                yield (next(ids), sid, courses[n % len(courses)], day, status, 1 + n % 7,
                       self.note(rng, 0.5) if status != "present" else None, created, created)  # fmt: skip

    def performance(self) -> Iterator[Row]:
        rng, ids = self.rng("daily_performance"), itertools.count(1)
        for sid in range(1, self.students + 1):
            courses = self.enrolled(sid)
            for n in range(7 + sid % 2):
                score = rng.uniform(0, 10) if n % 3 == 0 else round(rng.uniform(0, 10), 1)
                created = self.stamp(rng)
                yield (next(ids), sid, courses[n % len(courses)], TERM_START + timedelta(days=n * 3),
                       rng.choice(["oral", "quiz", "lab", "συμμετοχή"]), score, 10.0, self.note(rng, 0.1),
                       created, created)  # fmt: skip

    def highlights(self) -> Iterator[Row]:
        rng = self.rng("highlights")
        for sid in range(1, self.students + 1):
            created = self.stamp(rng)
            text_ = rng.choice(
                ["Εξαιρετική συμμετοχή στο «Πείραμα»", "Βοήθησε συμμαθητή 🤝", NOTES[3], NOTES[5]]
            )
            yield (sid, sid, "Χειμερινό 2025", rng.choice(["academic", "behaviour", "sports"]),
                   rng.choice([None, 1, 2, 3, 4, 5]), text_, TERM_START + timedelta(days=rng.randrange(90)),
                   rng.random() < 0.8, created, created)  # fmt: skip

    def audit(self) -> Iterator[Row]:
        rng = self.rng("audit_log")
        for aid in range(1, max(10, self.students // 4) + 1):
            user = rng.randrange(len(USERS) + 1)
            entity = rng.choice(["student", "course", "grade", "attendance"])
            details = {"changed": {"notes": [None, rng.choice(NOTES)]}, "score": rng.uniform(0, 20),
                       "σχόλιο": "αλλαγή από τη γραμματεία", "ok": True}  # fmt: skip
            yield (aid, self.first_user_id + user if user < len(USERS) else None,
                   USERS[user][1] if user < len(USERS) else None, rng.choice(["CREATE", "UPDATE", "DELETE"]),
                   entity, str(rng.randrange(1, self.students + 1)), details if aid % 7 else None,
                   rng.choice(["192.168.1.23", "2001:db8::7", None]), self.stamp(rng))  # fmt: skip


def seed_demo(*, engine: Engine, students: int, seed: int = 42, batch_size: int = 5000) -> SeedReport:
    """Insert a demo school of ``students`` students into an empty database at schema head."""
    if students < 1:
        raise SeedError(f"--students must be at least 1, not {students}")
    started = time.perf_counter()
    current, head = migrations.current_revision(engine), migrations.head_revision()
    if current != head:
        raise SeedError(
            f"the schema is at {current or 'none (empty database)'}, not at head {head}: run "
            "`python -m backend.db.migrations upgrade` first, or pass --migrate"
        )
    school = School(students=students, seed=seed, first_user_id=_first_free_user_id(engine))
    report = SeedReport(database=mask_url(engine.url), seed=seed, students=students)
    write = _write_sqlite if engine.dialect.name == "sqlite" else _write_postgres
    report.rows = write(engine, school, batch_size)
    report.seconds = time.perf_counter() - started
    return report


def _first_free_user_id(engine: Engine) -> int:
    """Refuse a database whose school tables hold rows; users may exist (the app's first admin)."""
    with engine.connect() as connection:
        for table in school_tables():  # not the bookkeeping, such as the read-only flag
            if table.name != "users" and connection.execute(select(func.count()).select_from(table)).scalar():
                raise SeedError(
                    f"table {table.name} already holds rows: seed_demo fills an empty school, so point it "
                    "at a fresh database (e.g. --sqlite-path data/demo.db)"
                )
        if connection.execute(select(func.count()).where(User.email.in_([u[1] for u in USERS]))).scalar():
            raise SeedError("the demo users already exist: point seed_demo at a fresh database")
        return int(connection.execute(select(func.max(User.id))).scalar() or 0) + 1


def _batched(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _sqlite_value(column: ColumnPlan) -> Callable[[Any], Any] | None:
    """How SQLAlchemy stores a value of this kind on SQLite, so the demo looks app-written."""
    return {
        Kind.DATETIME: lambda v: v.astimezone(UTC).strftime(SQLITE_DATETIME),
        Kind.DATE: date.isoformat,
        Kind.NUMERIC: float,
        Kind.JSON: json.dumps,
    }.get(column.kind)


def _converted(table: str, rows: Iterator[Row], *, sqlite: bool) -> Iterator[Row]:
    columns = table_plan(Base.metadata.tables[table]).columns
    converters = [(i, f) for i, c in enumerate(columns) if (f := _sqlite_value(c)) is not None]
    if not sqlite:  # psycopg adapts everything but JSON, which COPY takes as its text
        converters = [(i, f) for i, f in converters if f is json.dumps]
    for row in rows:
        values = list(row)
        for i, convert in converters:
            if values[i] is not None:
                values[i] = convert(values[i])
        yield tuple(values)


def _write_sqlite(engine: Engine, school: School, batch_size: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None
        connection.execute("BEGIN IMMEDIATE")
        # Course prerequisites point forward as well as back: check FKs once, at commit.
        connection.execute("PRAGMA defer_foreign_keys = ON")
        try:
            for name, generate in school.tables():
                columns = [c.name for c in Base.metadata.tables[name].columns]
                sql = f'INSERT INTO "{name}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
                counts[name] = 0
                for batch in _batched(_converted(name, generate(), sqlite=True), batch_size):
                    connection.executemany(sql, batch)
                    counts[name] += len(batch)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    finally:
        raw.close()
    return counts


def _write_postgres(engine: Engine, school: School, batch_size: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL TimeZone = 'UTC'"))
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for name, generate in school.tables():
            columns = ", ".join(c.name for c in Base.metadata.tables[name].columns)
            counts[name] = 0
            with cursor.copy(f'COPY "{name}" ({columns}) FROM STDIN') as copy:
                for batch in _batched(_converted(name, generate(), sqlite=False), batch_size):
                    for row in batch:
                        copy.write_row(row)
                    counts[name] += len(batch)
        reset_sequences(connection, list(counts))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m backend.scripts.seed_demo",
        description="Fill an empty database at schema head with a deterministic demo school.",
        epilog="Also installed as sms-seed. Exit codes: docs/CLI.md.",
    )
    parser.add_argument("--students", type=int, default=200, help="school size; 20000 gives ~1M rows")
    parser.add_argument("--seed", type=int, default=42, help="random seed: same seed, same data (default 42)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", help="database to fill (default: what the settings resolve to)")
    where.add_argument("--sqlite-path", help="SQLite file to fill (default: what the settings resolve to)")
    parser.add_argument("--migrate", action="store_true", help="apply schema migrations first")
    parser.add_argument("--batch-size", type=int, default=5000, help="rows per insert batch (default 5000)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)

    import sqlite3

    import psycopg

    from backend.cli import exit_codes
    from backend.cli.errors import database_error_code, fail
    from backend.config import ConfigError, load_database_settings
    from backend.db.engine_builder import DatabaseConfigError, create_database_engine, resolve_database

    try:
        # A database named on the command line replaces the settings' one, so it is resolved here.
        given = args.database_url or args.sqlite_path
        settings = load_database_settings(resolve=not given)
        if given:
            url = args.database_url or f"sqlite:///{Path(args.sqlite_path).resolve()}"
            resolved = resolve_database(
                database_engine=None, database_url=url, sqlite_path=settings.SQLITE_PATH, base_dir=Path.cwd()
            )
        else:
            resolved = settings.database
    except (ConfigError, DatabaseConfigError) as exc:
        return fail(exit_codes.USAGE, str(exc))
    engine = create_database_engine(resolved, settings.engine_options)
    try:
        if args.migrate:
            migrations.upgrade(engine)
        report = seed_demo(engine=engine, students=args.students, seed=args.seed, batch_size=args.batch_size)
    except SeedError as exc:  # a non-empty database, a schema not at head without --migrate, a bad size
        return fail(exit_codes.USAGE, str(exc))
    except SQLAlchemyError as exc:
        return fail(database_error_code(exc), f"{resolved.masked_url}: {describe_db_error(exc)}")
    except (sqlite3.Error, psycopg.Error) as exc:  # the writers use the driver's own connection
        return fail(exit_codes.FAILED, f"{resolved.masked_url}: {describe_db_error(exc)}: nothing written")
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
        return exit_codes.OK
    for name, count in report.rows.items():
        print(f"{name:<20} {count:>10,}")
    print(f"seeded {report.total_rows:,} rows into {report.database} in {report.seconds:.1f}s")
    return exit_codes.OK


if __name__ == "__main__":
    raise SystemExit(main())
