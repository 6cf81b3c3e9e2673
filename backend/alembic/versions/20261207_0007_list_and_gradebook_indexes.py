"""indexes for the student list's order and an assignment's grades

The student list sorts live students by ``lower(last_name), id`` (crud.list_rows sorts text
case-insensitively on both engines): a partial index on exactly that lets a page be read off
the index instead of lowering and sorting every live student at each request (PostgreSQL's
planner takes it from its own statistics, SQLite's once ANALYZE has run). A grade entry
page and its bulk post read one assignment's grades by ``course_id, assignment_name``; the
index on ``course_id`` alone made them read every grade of the course. The new index leads
with ``course_id`` and serves those lookups (and the ON DELETE CASCADE check) too, so the
single-column one goes, as revision 0003 did for attendance.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 11:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_students_live_lower_last_name",
        "students",
        [sa.text("lower(last_name)"), "id"],
        unique=False,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.create_index("ix_grades_course_id_assignment_name", "grades", ["course_id", "assignment_name"])
    op.drop_index("ix_grades_course_id", table_name="grades")


def downgrade() -> None:
    op.create_index("ix_grades_course_id", "grades", ["course_id"], unique=False)
    op.drop_index("ix_grades_course_id_assignment_name", table_name="grades")
    op.drop_index("ix_students_live_lower_last_name", table_name="students")
