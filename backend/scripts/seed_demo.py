"""Fill a database with a deterministic demo school: ``python -m backend.scripts.seed_demo``.

A school a head teacher would recognise (backend/seed/): two academic years of two terms,
teachers with their own classes, an admin and a viewer who can log in, courses out of 20 or
100 with evaluation rules, and only rows the API itself would accept. Rows come from
``--seed`` alone (no clock, no hash randomisation), so the same seed and size give the same
content on SQLite and on PostgreSQL; the migration benchmark loads this school too. A rerun
is safe: it refuses a database whose school tables already hold rows rather than mixing two
schools, and then changes nothing (not even a migration).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from backend.db import migrations
from backend.db.engine_builder import mask_url
from backend.db.errors import describe_db_error
from backend.models import User
from backend.seed import accounts
from backend.seed.rows import SchoolRows
from backend.seed.writers import write_postgres, write_sqlite
from backend.transfer.plan import school_tables

FRESH = (
    "seed a new database instead, e.g. `python -m backend.scripts.seed_demo --migrate "
    "--sqlite-path data/demo.db`"
)


class SeedError(RuntimeError):
    """The database cannot be seeded; the message says why and what to do."""


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    password: str


@dataclass
class SeedReport:
    database: str
    seed: int
    students: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    # The demo accounts, password included: printed once, on purpose, so a demo can begin.
    logins: list[Login] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def as_dict(self) -> dict[str, Any]:
        report = {"database": self.database, "seed": self.seed, "students": self.students, "rows": self.rows}
        logins = [vars(login) for login in self.logins]
        return {**report, "total_rows": self.total_rows, "seconds": round(self.seconds, 3), "logins": logins}


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
    require_empty(engine)
    school = SchoolRows(students=students, seed=seed, first_user_id=_first_free_user_id(engine))
    _refuse_taken_emails(engine, school)
    report = SeedReport(database=mask_url(engine.url), seed=seed, students=students)
    write = write_sqlite if engine.dialect.name == "sqlite" else write_postgres
    report.rows = write(engine, school.tables(), batch_size)
    report.seconds = time.perf_counter() - started
    password = accounts.demo_password(seed)
    first_teacher = school.plan.teachers[0].email
    report.logins = [
        Login("admin", accounts.ADMIN.email, password),
        Login("teacher", first_teacher, password),
        Login("viewer", accounts.VIEWER.email, password),
    ]
    return report


def require_empty(engine: Engine) -> None:
    """Refuse a database whose school tables hold rows, at any schema; users may exist (the first admin)."""
    with engine.connect() as connection:
        present = set(inspect(connection).get_table_names())
        for table in school_tables():  # not the bookkeeping, such as the read-only flag
            if table.name not in present or table.name == "users":
                continue
            if connection.execute(select(func.count()).select_from(table)).scalar():
                raise SeedError(
                    f"table {table.name} already holds rows and seed_demo fills an empty school only, "
                    f"so nothing was changed: {FRESH}"
                )


def _first_free_user_id(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.max(User.id))).scalar() or 0) + 1


def _refuse_taken_emails(engine: Engine, school: SchoolRows) -> None:
    emails = [s.email for s in accounts.STAFF] + [t.email for t in school.plan.teachers]
    with engine.connect() as connection:
        if connection.execute(select(func.count()).where(User.email.in_(emails))).scalar():
            raise SeedError(f"the demo users already exist, so nothing was changed: {FRESH}")


def print_report(report: SeedReport) -> None:
    for name, count in report.rows.items():
        print(f"{name:<20} {count:>10,}")
    print(f"seeded {report.total_rows:,} rows into {report.database} in {report.seconds:.1f}s")
    print("Start the app (make run) and log in with a demo account; each has this password:")
    for login in report.logins:
        print(f"  {login.role:<8} {login.email:<26} {login.password}")
    print("(Every teacher account, teacher001@school.gr and on, has it too. A demo only: the password")
    print(" follows from --seed, so never put a real school in this database.)")


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
    parser.add_argument(
        "--migrate", action="store_true", help="apply schema migrations first (an empty database only)"
    )
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
    if args.students < 1:
        return fail(exit_codes.USAGE, f"--students must be at least 1, not {args.students}")
    engine = create_database_engine(resolved, settings.engine_options)
    try:
        if args.migrate:
            require_empty(engine)  # before the upgrade: a school's database is left exactly as it was
            migrations.upgrade(engine)
        report = seed_demo(engine=engine, students=args.students, seed=args.seed, batch_size=args.batch_size)
    except SeedError as exc:  # a non-empty database, a schema not at head without --migrate, a bad size
        return fail(exit_codes.USAGE, str(exc))
    except SQLAlchemyError as exc:
        return fail(database_error_code(exc), f"{resolved.masked_url}: {describe_db_error(exc)}")
    except (sqlite3.Error, psycopg.Error) as exc:  # the writers use the driver's own connection
        return fail(
            database_error_code(exc), f"{resolved.masked_url}: {describe_db_error(exc)}: nothing written"
        )
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print_report(report)
    return exit_codes.OK


if __name__ == "__main__":
    raise SystemExit(main())
