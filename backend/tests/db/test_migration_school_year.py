"""Revision 0006 on a school with data: old courses land in terms, nothing is lost either way."""

from __future__ import annotations

from datetime import date

from sqlalchemy import URL, Engine, text

from backend.db import migrations
from backend.db.engine_builder import ResolvedDatabase, create_database_engine

COURSES = [
    # id, code, semester, year, teacher_name
    (1, "MATH1", "Fall", 2025, "Ada Lovelace"),
    (2, "MATH2", "Fall", 2025, "  ada lovelace "),
    (3, "PHYS1", "Spring", 2026, "Twin Name"),
    (4, "CHEM1", "Spring", 2026, "Nobody Known"),
    (5, "BIO1", "Fall", 2026, None),
]


def _app_engine(url: URL, kind: str) -> Engine:
    # The app's own engine: on SQLite it enforces foreign keys, the trap a table rebuild falls into.
    return create_database_engine(ResolvedDatabase(kind=kind, url=url, resolved_from="test"))


def _school_at_0005(engine: Engine) -> None:
    migrations.upgrade(engine, "0005")
    with engine.begin() as conn:
        for user_id, name, role in (
            (1, "Ada Lovelace", "teacher"),
            (2, "Twin Name", "teacher"),
            (3, "twin name", "admin"),
            (4, "Nobody Known", "viewer"),
        ):
            conn.execute(
                text(
                    "INSERT INTO users (id, email, full_name, hashed_password, role, is_active,"
                    " security_stamp, must_change_password, created_at, updated_at)"
                    " VALUES (:id, :email, :name, 'x', :role, true, 's', false,"
                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"id": user_id, "email": f"u{user_id}@school.test", "name": name, "role": role},
            )
        conn.execute(
            text(
                "INSERT INTO students (id, student_id, first_name, last_name, email, enrollment_date,"
                " study_year, is_active, created_at, updated_at) VALUES (1, 'S1', 'A', 'B', 's@x.test',"
                " '2025-09-01', 1, true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        for course_id, code, semester, year, teacher in COURSES:
            conn.execute(
                text(
                    "INSERT INTO courses (id, course_code, course_name, credits, semester, year,"
                    " teacher_name, hours_per_week, absence_penalty, max_grade, passing_grade, is_active,"
                    " created_at, updated_at) VALUES (:id, :code, :code, 3, :semester, :year, :teacher,"
                    " 3, 0, 100, 50, true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"id": course_id, "code": code, "semester": semester, "year": year, "teacher": teacher},
            )
            conn.execute(
                text(
                    "INSERT INTO course_enrollments (student_id, course_id, status, enrolled_at)"
                    " VALUES (1, :id, 'active', CURRENT_TIMESTAMP)"
                ),
                {"id": course_id},
            )
        # Attendance in January 2027 for a 2026 course: its term must reach that far.
        conn.execute(
            text(
                "INSERT INTO attendance (student_id, course_id, date, status, period_number,"
                " created_at, updated_at) VALUES (1, 5, '2027-01-15', 'present', 3,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )


def _counts(conn: object) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # type: ignore[attr-defined]
        for table in ("courses", "course_enrollments", "attendance")
    )


def test_upgrade_places_old_courses_in_terms_and_downgrade_keeps_every_row(
    empty_database_url: URL, db_kind: str
) -> None:
    engine = _app_engine(empty_database_url, db_kind)
    try:
        _school_at_0005(engine)
        migrations.upgrade(engine)
        with engine.connect() as conn:
            assert _counts(conn) == (5, 5, 1)
            years = conn.execute(
                text("SELECT name, starts_on, ends_on, is_current FROM academic_years ORDER BY name")
            ).all()
            assert [(y[0], bool(y[3])) for y in years] == [("2025", False), ("2026", True)]
            ends_2026 = years[1][2]
            assert str(ends_2026) == "2027-01-15"
            placed = conn.execute(
                text(
                    "SELECT c.course_code, t.name, y.name, t.is_current FROM courses c"
                    " JOIN terms t ON t.id = c.term_id JOIN academic_years y ON y.id = t.academic_year_id"
                    " ORDER BY c.id"
                )
            ).all()
            assert [tuple(row[:3]) for row in placed] == [
                ("MATH1", "Fall", "2025"),
                ("MATH2", "Fall", "2025"),
                ("PHYS1", "Spring", "2026"),
                ("CHEM1", "Spring", "2026"),
                ("BIO1", "Fall", "2026"),
            ]
            # The latest year's term with most courses is current, and only it.
            assert [c for c, _, _, current in placed if current] == ["PHYS1", "CHEM1"]
            teachers = conn.execute(text("SELECT course_id, user_id FROM course_teachers ORDER BY 1")).all()
            # Twin Name is ambiguous and Nobody Known is a viewer: neither is linked.
            assert [tuple(t) for t in teachers] == [(1, 1), (2, 1)]
            periods = conn.execute(text("SELECT id, periods_per_day FROM courses ORDER BY id")).all()
            assert [tuple(p) for p in periods] == [(1, 1), (2, 1), (3, 1), (4, 1), (5, 3)]
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE course_enrollments SET status = 'dropped', dropped_on = :d, drop_reason = 'moved'"
                ),
                {"d": date(2026, 3, 1)},
            )
        migrations.downgrade(engine, "0005")
        with engine.connect() as conn:
            assert _counts(conn) == (5, 5, 1)
            names = {row[0] for row in conn.execute(text("SELECT course_code FROM courses"))}
            assert names == {code for _, code, *_ in COURSES}
        migrations.upgrade(engine)
        migrations.check(engine)
    finally:
        engine.dispose()
