"""The one bulk upsert: a page that posts a whole course at once (grade entry, attendance).

Two posts for the same course may arrive together (two teachers, a double click). The course
row is read ``FOR UPDATE`` first: a row lock on PostgreSQL, the write lock on SQLite, so the
posts run one after the other and each sees what the one before it wrote. Only then are the
existing rows read, updated in place and the missing ones inserted. ``INSERT .. ON CONFLICT``
cannot serve both pages: a grade has no unique key to conflict on (a student may have two
grades of one name), and the created/updated counts and the audit row need what existed
before the write, which a read outside the lock cannot promise.

The rows are read, inserted and updated as plain rows (SQLAlchemy Core), not ORM objects:
one SELECT, one INSERT and one UPDATE (an executemany on SQLite) whatever the roster's size.
The ORM's unit of work cost most of these posts' CPU, and on SQLite that CPU is spent holding
the write lock. On PostgreSQL the INSERT and the UPDATE send one array per column and
``unnest`` them: statements of a few parameters, which the driver parses once and keeps. A
multi-row ``VALUES`` list has one parameter per value (two hundred for a class of 25), and
psycopg parses a statement of more than 50 parameters again at every execution, which cost a
tenth of the API's CPU under load.
What the ORM decided is kept: a row is rewritten only when a value differs, and a rewritten
row gets a new ``updated_at``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Insert, Select, Table, Update, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from backend.models import Attendance, Course, Grade
from backend.services import audit
from backend.services.audit import Actor
from backend.services.errors import FieldInvalid, RuleViolation
from backend.services.records import enrolled_ids, live_course

# A row as the response reads it: every column by name.
Row = dict[str, Any]
# Set to the write's time on insert, like the models' ``default=utcnow``.
TIMESTAMPS = ("created_at", "updated_at")


def locked_course(*, session: Session, course_id: int) -> Course:
    """The live course, locked until the request's transaction ends (see the module docstring)."""
    return live_course(session=session, course_id=course_id, field="course_id", lock=True)


def distinct_students(student_ids: Sequence[int], *, field: str) -> None:
    """Refuse a list that names a student twice."""
    if len(set(student_ids)) != len(student_ids):
        raise FieldInvalid(
            "a student appears twice: list each student once", field=field, code="duplicate_student"
        )


def all_enrolled(*, session: Session, course: Course, student_ids: Sequence[int], field: str) -> None:
    """Refuse a list with a student not enrolled in the course, naming the first one."""
    enrolled = enrolled_ids(session=session, course_id=course.id, student_ids=list(student_ids))
    for index, student_id in enumerate(student_ids):
        if student_id not in enrolled:
            raise RuleViolation(
                f"Student {student_id} is not enrolled in {course.course_code}: enroll them first",
                field=f"{field}.{index}.student_id",
                code="student_not_enrolled",
                params={"student_id": student_id, "course": course.course_code},
            )


@dataclass
class Upserted:
    """The rows of an upsert, in the order posted, and which of them existed before."""

    key: Mapping[str, Any]
    tracked: str
    rows: list[Row] = field(default_factory=list)
    created: list[Row] = field(default_factory=list)
    # Each updated row with the value of the tracked column it had before.
    updated: list[tuple[Row, Any]] = field(default_factory=list)


def insert_defaults(table: Table, now: datetime) -> Row:
    """What the model fills in for a column an insert leaves out: its default, ``now``, or null."""
    values: Row = {}
    for column in table.columns:
        default = column.default
        if column.primary_key:
            continue
        if column.name in TIMESTAMPS:
            values[column.name] = now
        elif default is None:
            values[column.name] = None
        elif default.is_scalar:
            values[column.name] = default.arg  # type: ignore[attr-defined]
        else:
            raise TypeError(f"{table.name}.{column.name}: a computed default the bulk upsert cannot fill")
    return values


@dataclass(frozen=True)
class Statements:
    """One table's upsert statements, built once: building one costs more than running it."""

    existing: Select[Any]
    insert: Insert
    update: Update


@cache
def statements(table: Table, key: tuple[str, ...]) -> Statements:
    """The statements of an upsert of ``table`` matching the ``key`` columns."""
    match = [table.c[name] == bindparam(name) for name in key]
    listed = table.c.student_id.in_(bindparam("student_ids", expanding=True))
    return Statements(
        existing=select(table).where(*match, listed),
        # Matched back by student (unique within a post): the database may return them in any order.
        insert=insert(table).returning(table.c.student_id, table.c.id),
        update=update(table).where(table.c.id == bindparam("row_id")),
    )


def upsert_per_student(
    *,
    session: Session,
    model: type[Attendance | Grade],
    key: Mapping[str, Any],
    values: Mapping[int, Mapping[str, Any]],
    tracked: str,
    touch_all: bool = False,
) -> Upserted:
    """Give each listed student one row matching ``key``: update theirs, insert the missing ones.

    ``values`` maps a student id to the columns to set; call it with the course locked. An
    existing row is rewritten when a value differs, or always with ``touch_all``.
    """
    table: Table = model.__table__  # type: ignore[assignment]
    sql = statements(table, tuple(key))
    found = session.execute(sql.existing, {**key, "student_ids": list(values)})
    existing = {row.student_id: row._asdict() for row in found}
    now = datetime.now(UTC)
    blank = {**insert_defaults(table, now), **key}
    result = Upserted(key=key, tracked=tracked)
    inserts: list[Row] = []
    updates: list[Row] = []
    for student_id, columns in values.items():
        before = existing.get(student_id)
        if before is None:
            row = {**blank, "student_id": student_id, **columns}
            inserts.append(row)
            result.created.append(row)
        else:
            row = {**before, **columns}
            if touch_all or any(before[name] != value for name, value in columns.items()):
                row["updated_at"] = now
                updates.append({"row_id": row["id"], **columns, "updated_at": now})
            result.updated.append((row, before[tracked]))
        result.rows.append(row)
    if inserts:
        ids = _insert(session=session, table=table, sql=sql, rows=inserts)
        for row in inserts:
            row["id"] = ids[row["student_id"]]
    if updates:
        _update(session=session, table=table, sql=sql, rows=updates)
    return result


def _insert(*, session: Session, table: Table, sql: Statements, rows: list[Row]) -> dict[int, int]:
    """Insert ``rows`` (all with the same columns); the new ids by student."""
    if session.get_bind().dialect.name != "postgresql":
        return {student_id: row_id for student_id, row_id in session.execute(sql.insert, rows)}
    names = tuple(rows[0])
    found = session.execute(unnest_insert(table, names), _columns(rows, names))
    return {student_id: row_id for student_id, row_id in found}


def _update(*, session: Session, table: Table, sql: Statements, rows: list[Row]) -> None:
    """Rewrite the rows named by ``row_id`` (all ``rows`` with the same columns)."""
    if session.get_bind().dialect.name != "postgresql":
        session.execute(sql.update, rows)
        return
    names = tuple(rows[0])
    session.execute(unnest_update(table, names), _columns(rows, names))


def _columns(rows: list[Row], names: tuple[str, ...]) -> dict[str, list[Any]]:
    return {name: [row[name] for row in rows] for name in names}


def _unnest(table: Table, names: tuple[str, ...], alias: str) -> Any:
    """PostgreSQL: ``unnest(:a, :b, ..) AS alias(a, b, ..)``, one array parameter per column."""
    # An ARRAY parameter is sent with its cast (``%(name)s::INTEGER[]``): no type is left to guess.
    types = {name: table.c["id" if name == "row_id" else name].type for name in names}
    arrays = [bindparam(name, type_=ARRAY(types[name])) for name in names]
    return func.unnest(*arrays).table_valued(*names).render_derived(name=alias)


@cache
def unnest_insert(table: Table, names: tuple[str, ...]) -> Insert:
    """``INSERT .. SELECT * FROM unnest(..)``: the new rows, one array per column."""
    rows = _unnest(table, names, "new_rows")
    return (
        insert(table)
        .from_select(names, select(*(rows.c[name] for name in names)))
        .returning(table.c.student_id, table.c.id)
    )


@cache
def unnest_update(table: Table, names: tuple[str, ...]) -> Update:
    """``UPDATE .. FROM unnest(..)``: each row named by ``row_id`` gets its listed columns."""
    rows = _unnest(table, names, "changed")
    columns = {name: rows.c[name] for name in names if name != "row_id"}
    return update(table).where(table.c.id == rows.c.row_id).values(columns)


def audit_upsert(
    *,
    session: Session,
    actor: Actor,
    result: Upserted,
    entity_type: str,
    entity_id: str,
    created: list[int],
) -> None:
    """One audit row for the whole post: its key, the ``created`` ids, each tracked value changed."""
    updated = [
        {"student_id": row["student_id"], "before": before, "after": row[result.tracked]}
        for row, before in result.updated
    ]
    audit.record(
        session=session,
        actor=actor,
        action="bulk_upsert",
        entity_type=entity_type,
        entity_id=entity_id,
        details={**result.key, "created": created, "updated": updated},
    )
