"""What the trash reads before an erase: the counts a purge would take with it."""

from __future__ import annotations

from pydantic import Field

from backend.schemas.common import OutputModel


class PurgePreview(OutputModel):
    entity_type: str
    id: int
    would_delete: dict[str, int] = Field(
        description=(
            "Rows a purge would remove per table, the record itself included (the keys of the purge "
            "report: course_enrollments, grades, attendance, daily_performance, highlights, "
            "prerequisite_links_cleared, students or courses)"
        )
    )
