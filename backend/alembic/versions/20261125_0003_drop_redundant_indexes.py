"""drop indexes that a composite index already covers

attendance.student_id leads uq_attendance_student_id_course_id_date_period_number,
attendance.course_id leads ix_attendance_course_id_date, and course_enrollments.student_id
leads uq_course_enrollments_student_id_course_id: each of those serves the lookups (and the
ON DELETE CASCADE checks) the single-column index did, which only cost writes and space.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 17:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REDUNDANT = (
    ("attendance", "ix_attendance_student_id", "student_id"),
    ("attendance", "ix_attendance_course_id", "course_id"),
    ("course_enrollments", "ix_course_enrollments_student_id", "student_id"),
)


def upgrade() -> None:
    for table, index, _ in REDUNDANT:
        op.drop_index(index, table_name=table)


def downgrade() -> None:
    for table, index, column in REDUNDANT:
        op.create_index(index, table, [column], unique=False)
