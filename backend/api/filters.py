"""The filters a list of a student's records in a course accepts (grades, daily performance)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field

from backend.schemas.common import MAX_INT, Text
from backend.services.records import RecordFilter

OptionalId = Annotated[int | None, Field(ge=1, le=MAX_INT)]


class RecordFilterParams(BaseModel):
    # A model of the route's own query parameters rather than a dependency: own parameters are
    # listed before the list query's in OpenAPI and validated after them, as they always were.
    student_id: OptionalId = None
    course_id: OptionalId = None
    category: Annotated[Text | None, Field(max_length=50)] = None
    date_from: date | None = None
    date_to: date | None = None

    def record_filter(self) -> RecordFilter:
        return RecordFilter(**self.model_dump())


RecordFilterQuery = Annotated[RecordFilterParams, Query()]
