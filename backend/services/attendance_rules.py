"""When and in which period a course's attendance may be marked: within its term, not ahead, a real period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from backend.models import Course
from backend.services.errors import FieldInvalid

# The server keeps no school time zone: "today" is the latest date anywhere on Earth (UTC+14),
# so a school east of the server is never refused today's register.
_EARLIEST_ZONE_AHEAD = timedelta(hours=14)


def latest_today() -> date:
    """The latest calendar date it is anywhere right now."""
    return (datetime.now(UTC) + _EARLIEST_ZONE_AHEAD).date()


def check_mark(*, course: Course, on: date, period: int, location: str = "body") -> None:
    """Refuse a mark dated in the future, outside the course's term, or in a period it does not have."""
    if on > latest_today():
        raise FieldInvalid(
            f"{on} is in the future: attendance is taken on the day or after it",
            field="date",
            location=location,
            code="attendance_date_in_future",
            params={"date": on.isoformat()},
        )
    term = course.term
    if term is not None and not term.starts_on <= on <= term.ends_on:
        raise FieldInvalid(
            f"{on} is outside {course.course_code}'s term {term.name} ({term.starts_on} to {term.ends_on})",
            field="date",
            location=location,
            code="attendance_date_outside_term",
            params={
                "date": on.isoformat(),
                "term": term.name,
                "starts_on": term.starts_on.isoformat(),
                "ends_on": term.ends_on.isoformat(),
            },
        )
    if period > course.periods_per_day:
        raise FieldInvalid(
            f"{course.course_code} has {course.periods_per_day} period(s) a day, not period {period}",
            field="period_number",
            location=location,
            code="period_out_of_range",
            params={"period": period, "periods_per_day": course.periods_per_day},
        )
