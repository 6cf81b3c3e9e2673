"""school year: academic years and terms, course teachers, periods per day, drops kept in history

New tables academic_years, terms (at most one current of each: a partial unique index) and
course_teachers. courses gain term_id and periods_per_day; course_enrollments gain dropped_on,
drop_reason and dropped_by_user_id.

Existing courses are placed in terms so an existing school keeps working: every distinct
``year`` becomes an academic year named after it (the calendar year, widened to cover any
attendance already taken in its courses), every distinct (year, semester) a term of it with the
same dates. The latest year is current, and of its terms the one with most courses. A course
whose ``teacher_name`` matches exactly one teacher's or admin's full name (case and outer
spaces ignored) gets that user as its teacher. A course's periods_per_day is the highest period
its attendance was already marked in (at least 1).

SQLite rebuilds courses and course_enrollments (a foreign key cannot be added in place, and
one added inline with ADD COLUMN is reflected without its name and ON DELETE). With foreign
keys enforced, dropping the old table would run ON DELETE CASCADE on every enrolment, grade
and attendance row, so those rows are kept aside and put back with revision 0005's helper.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column[Any]]:
    return [
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
    ]


def _children_kept(bind: sa.Connection, table: str) -> AbstractContextManager[None]:
    """Revision 0005's guard: a SQLite rebuild of ``table`` must not cascade to its children."""
    script = op.get_context().script
    assert script is not None
    return script.get_revision("0005").module._children_kept(bind, table)  # type: ignore[union-attr,no-any-return]


def upgrade() -> None:
    op.create_table(
        "academic_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("is_current", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("year_end_applied_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("starts_on < ends_on", name=op.f("ck_academic_years_starts_before_ends")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_academic_years")),
        sa.UniqueConstraint("name", name=op.f("uq_academic_years_name")),
    )
    op.create_index(
        "uq_academic_years_is_current",
        "academic_years",
        ["is_current"],
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )
    op.create_table(
        "terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("academic_year_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("is_current", sa.Boolean(), server_default=sa.false(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("starts_on < ends_on", name=op.f("ck_terms_starts_before_ends")),
        sa.ForeignKeyConstraint(
            ["academic_year_id"],
            ["academic_years.id"],
            name=op.f("fk_terms_academic_year_id_academic_years"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terms")),
        sa.UniqueConstraint("academic_year_id", "name", name=op.f("uq_terms_academic_year_id_name")),
    )
    op.create_index(
        "uq_terms_is_current",
        "terms",
        ["is_current"],
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )
    bind = op.get_bind()
    with _children_kept(bind, "courses"), op.batch_alter_table("courses") as batch_op:
        batch_op.add_column(sa.Column("term_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("periods_per_day", sa.Integer(), server_default="1", nullable=False))
        batch_op.create_index(batch_op.f("ix_courses_term_id"), ["term_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_courses_term_id_terms"), "terms", ["term_id"], ["id"], ondelete="RESTRICT"
        )
    with _children_kept(bind, "course_enrollments"), op.batch_alter_table("course_enrollments") as batch_op:
        batch_op.add_column(sa.Column("dropped_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("drop_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("dropped_by_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_course_enrollments_dropped_by_user_id_users"),
            "users",
            ["dropped_by_user_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "course_teachers",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_course_teachers_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_course_teachers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("course_id", "user_id", name=op.f("pk_course_teachers")),
    )
    op.create_index(op.f("ix_course_teachers_user_id"), "course_teachers", ["user_id"], unique=False)

    _place_courses_in_terms(bind)
    _link_teachers_by_name()
    # Attendance is now checked against periods_per_day: a course already marked in period 3 has 3.
    op.execute(
        "UPDATE courses SET periods_per_day = "
        "(SELECT max(a.period_number) FROM attendance a WHERE a.course_id = courses.id) "
        "WHERE (SELECT max(a.period_number) FROM attendance a WHERE a.course_id = courses.id) > 1"
    )


def _as_date(value: object) -> date | None:
    # SQLite hands aggregates of dates back as text.
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]


def _place_courses_in_terms(bind: sa.Connection) -> None:
    groups = bind.execute(
        sa.text(
            "SELECT c.year, c.semester, count(DISTINCT c.id), min(a.date), max(a.date) "
            "FROM courses c LEFT JOIN attendance a ON a.course_id = c.id "
            "GROUP BY c.year, c.semester ORDER BY c.year, c.semester"
        )
    ).all()
    if not groups:
        return
    years: dict[int, tuple[date, date]] = {}
    for year, _, _, first, last in groups:
        starts, ends = years.get(year, (date(year, 1, 1), date(year, 12, 31)))
        first, last = _as_date(first), _as_date(last)
        years[year] = (min(starts, first or starts), max(ends, last or ends))
    latest = max(years)
    current_term = max((g for g in groups if g[0] == latest), key=lambda g: (g[2], [-ord(ch) for ch in g[1]]))
    academic_years = sa.table(
        "academic_years",
        sa.column("id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("starts_on", sa.Date()),
        sa.column("ends_on", sa.Date()),
        sa.column("is_current", sa.Boolean()),
    )
    terms = sa.table(
        "terms",
        sa.column("id", sa.Integer()),
        sa.column("academic_year_id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("starts_on", sa.Date()),
        sa.column("ends_on", sa.Date()),
        sa.column("is_current", sa.Boolean()),
    )
    year_ids = {}
    for year, (starts, ends) in years.items():
        year_ids[year] = bind.execute(
            sa.insert(academic_years)
            .values(name=str(year), starts_on=starts, ends_on=ends, is_current=year == latest)
            .returning(academic_years.c.id)
        ).scalar_one()
    for year, semester, *_ in groups:
        starts, ends = years[year]
        term_id = bind.execute(
            sa.insert(terms)
            .values(
                academic_year_id=year_ids[year],
                name=semester,
                starts_on=starts,
                ends_on=ends,
                is_current=(year, semester) == current_term[:2],
            )
            .returning(terms.c.id)
        ).scalar_one()
        bind.execute(
            sa.text("UPDATE courses SET term_id = :term WHERE year = :year AND semester = :semester"),
            {"term": term_id, "year": year, "semester": semester},
        )


def _link_teachers_by_name() -> None:
    op.execute(
        "INSERT INTO course_teachers (course_id, user_id) "
        "SELECT c.id, u.id FROM courses c JOIN users u "
        "ON lower(trim(u.full_name)) = lower(trim(c.teacher_name)) "
        "WHERE u.role IN ('teacher', 'admin') AND ("
        "  SELECT count(*) FROM users other"
        "  WHERE lower(trim(other.full_name)) = lower(trim(c.teacher_name))"
        "  AND other.role IN ('teacher', 'admin')"
        ") = 1"
    )


def downgrade() -> None:
    bind = op.get_bind()
    # Dropping a column drops its foreign key with it, on both engines.
    with _children_kept(bind, "course_enrollments"), op.batch_alter_table("course_enrollments") as batch_op:
        batch_op.drop_column("dropped_by_user_id")
        batch_op.drop_column("drop_reason")
        batch_op.drop_column("dropped_on")

    op.drop_index(op.f("ix_course_teachers_user_id"), table_name="course_teachers")
    op.drop_table("course_teachers")
    with _children_kept(bind, "courses"), op.batch_alter_table("courses") as batch_op:
        batch_op.drop_index(batch_op.f("ix_courses_term_id"))
        batch_op.drop_column("term_id")
        batch_op.drop_column("periods_per_day")

    op.drop_index("uq_terms_is_current", table_name="terms")
    op.drop_table("terms")
    op.drop_index("uq_academic_years_is_current", table_name="academic_years")
    op.drop_table("academic_years")
