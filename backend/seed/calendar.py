"""The demo school's calendar: two academic years of two terms each, holidays and lesson days.

The dates are fixed, not read from the clock, so the same seed gives the same school on any
day. The demo's "today" is DEMO_TODAY: nothing is dated after it (the API refuses attendance
in the future), and the current term is the one that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

DEMO_TODAY = date(2026, 12, 4)


@dataclass(frozen=True)
class YearSpec:
    id: int
    name: str
    starts_on: date
    ends_on: date
    is_current: bool
    # The year-end step has moved that year's students up (set once, in the summer).
    year_end_applied_at: datetime | None


@dataclass(frozen=True)
class TermSpec:
    id: int
    year: YearSpec
    index: int  # 0: Α΄ Τετράμηνο, 1: Β΄ Τετράμηνο
    starts_on: date
    ends_on: date
    is_current: bool

    @property
    def name(self) -> str:
        return f"{'ΑΒ'[self.index]}΄ Τετράμηνο"

    @property
    def code(self) -> str:
        """A short tag for course codes: 2627A is the first term of 2026-2027."""
        return f"{self.year.name[2:4]}{self.year.name[7:9]}{'AB'[self.index]}"

    @property
    def label(self) -> str:
        return f"{self.name} {self.year.name}"

    @property
    def last_day(self) -> date:
        """The last day that may hold records: the term's end, or today in the current term."""
        return min(self.ends_on, DEMO_TODAY)


PAST_YEAR = YearSpec(
    1, "2025-2026", date(2025, 9, 11), date(2026, 6, 30), False, datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
)
CURRENT_YEAR = YearSpec(2, "2026-2027", date(2026, 9, 11), date(2027, 6, 30), True, None)
YEARS = [PAST_YEAR, CURRENT_YEAR]
TERMS = [
    TermSpec(1, PAST_YEAR, 0, date(2025, 9, 11), date(2026, 1, 20), False),
    TermSpec(2, PAST_YEAR, 1, date(2026, 1, 21), date(2026, 6, 15), False),
    TermSpec(3, CURRENT_YEAR, 0, date(2026, 9, 11), date(2027, 1, 20), True),
    TermSpec(4, CURRENT_YEAR, 1, date(2027, 1, 21), date(2027, 6, 15), False),
]
PAST_TERMS, CURRENT_TERM = TERMS[:2], TERMS[2]

_BREAKS = [
    (date(2025, 12, 24), date(2026, 1, 7)),
    (date(2026, 4, 6), date(2026, 4, 17)),
    (date(2026, 12, 24), date(2027, 1, 7)),
]
_HOLIDAYS = {
    date(2025, 10, 28),
    date(2025, 11, 17),
    date(2026, 1, 30),
    date(2026, 2, 23),
    date(2026, 3, 25),
    date(2026, 5, 1),
    date(2026, 6, 1),
    date(2026, 10, 28),
    date(2026, 11, 17),
}


def is_school_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _HOLIDAYS and not any(a <= day <= b for a, b in _BREAKS)


def lesson_days(term: TermSpec, weekday: int, count: int) -> list[date]:
    """The last ``count`` school days on ``weekday`` in the term, up to its last day, oldest first."""
    day = term.last_day - timedelta(days=(term.last_day.weekday() - weekday) % 7)
    found: list[date] = []
    while len(found) < count and day >= term.starts_on:
        if is_school_day(day):
            found.append(day)
        day -= timedelta(days=7)
    return found[::-1]


def at(day: date, hour: int, microseconds: int) -> datetime:
    """A moment of a school day, in UTC, with the microseconds real timestamps have."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) + timedelta(microseconds=microseconds)
