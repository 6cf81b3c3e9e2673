"""The one bulk upsert: a page that posts a whole course at once (grade entry, attendance).

Two posts for the same course may arrive together (two teachers, a double click). The course
row is read ``FOR UPDATE`` first: a row lock on PostgreSQL, the write lock on SQLite, so the
posts run one after the other and each sees what the one before it wrote. Only then are the
existing rows read, updated in place and the missing ones inserted. ``INSERT .. ON CONFLICT``
cannot serve both pages: a grade has no unique key to conflict on (a student may have two
grades of one name), and the created/updated counts and the audit row need what existed
before the write, which a read outside the lock cannot promise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Attendance, Course, Grade
from backend.services import audit
from backend.services.audit import Actor
from backend.services.errors import FieldInvalid, RuleViolation
from backend.services.records import enrolled_ids, live_course

RowT = TypeVar("RowT", Attendance, Grade)


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
class Upserted(Generic[RowT]):
    """The rows of an upsert, in the order posted, and which of them existed before."""

    key: Mapping[str, Any]
    tracked: str
    rows: list[RowT] = field(default_factory=list)
    created: list[RowT] = field(default_factory=list)
    # Each updated row with the value of the tracked column it had before.
    updated: list[tuple[RowT, Any]] = field(default_factory=list)


def upsert_per_student(
    *,
    session: Session,
    model: type[RowT],
    key: Mapping[str, Any],
    values: Mapping[int, Mapping[str, Any]],
    tracked: str,
) -> Upserted[RowT]:
    """Give each listed student one row matching ``key``: update theirs, insert the missing ones.

    ``values`` maps a student id to the columns to set; call it with the course locked.
    """
    match = [getattr(model, name) == value for name, value in key.items()]
    stmt = select(model).where(*match, model.student_id.in_(list(values)))
    existing = {row.student_id: row for row in session.scalars(stmt)}
    result: Upserted[RowT] = Upserted(key=key, tracked=tracked)
    for student_id, columns in values.items():
        row = existing.get(student_id)
        if row is None:
            row = model(student_id=student_id, **key, **columns)
            session.add(row)
            result.created.append(row)
        else:
            result.updated.append((row, getattr(row, tracked)))
            for name, value in columns.items():
                setattr(row, name, value)
        result.rows.append(row)
    session.flush()
    return result


def audit_upsert(
    *,
    session: Session,
    actor: Actor,
    result: Upserted[RowT],
    entity_type: str,
    entity_id: str,
    created: list[int],
) -> None:
    """One audit row for the whole post: its key, the ``created`` ids, each tracked value changed."""
    updated = [
        {"student_id": row.student_id, "before": before, "after": getattr(row, result.tracked)}
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
