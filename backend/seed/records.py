"""What happened in the demo school's courses: grades, registers, daily marks, highlights, audit.

These tables hold most of the rows (about 45 a student), so the loops draw from the random
stream directly (``int(random() * n)`` rather than ``randrange``) and reuse per-course dates
and values worked out once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from backend.seed import accounts
from backend.seed.calendar import CURRENT_TERM, DEMO_TODAY, at
from backend.seed.names import HIGHLIGHTS, NOTES, PERFORMANCE, WEIGHTS
from backend.seed.plan import CourseSpec

if TYPE_CHECKING:
    from backend.seed.rows import Row, SchoolRows

HOUR_US = 3_600_000_000
MISSED_TEST = 0.02  # this term's test: the few who missed it have an incomplete final grade
PAST_FLOOR = 62.0  # last year's courses were passed by everyone who went on to this year's


@cache
def _scale(max_grade: Decimal) -> tuple[int, list[Decimal]]:
    """Steps and values of a scale: halves out of 20, whole points out of 100."""
    steps = int(max_grade) * 2 if max_grade <= 20 else int(max_grade)
    return steps, [max_grade * i / steps for i in range(steps + 1)]


@cache
def _moment(day: date, hour: int) -> datetime:
    return at(day, hour, 0)


def _grade_slots(course: CourseSpec) -> list[tuple[str, str, list[date], list[list[date]], list[datetime]]]:
    """Per rule: category, assignment, five possible dates set, their hand-in dates, when entered."""
    term = course.term
    last, span = term.last_day, (term.last_day - term.starts_on).days
    slots = []
    for n, (category, _, assignment) in enumerate(course.subject.rules):
        assigned = [term.starts_on + timedelta(days=span * (n + 2) // 5 + k) for k in range(5)]
        submitted = [[min(day + timedelta(days=d), last) for d in range(6)] for day in assigned]
        entered = [_moment(min(day + timedelta(days=3), last), 14) for day in assigned]
        slots.append((category, assignment, assigned, submitted, entered))
    return slots


def grades(school: SchoolRows) -> Iterator[Row]:
    rng, ids = school.rng("grades"), itertools.count(1)
    rand, gauss = rng.random, rng.gauss
    slots = {c.id: _grade_slots(c) for c in school.plan.courses}
    for sid in range(1, school.students + 1):
        ability = school.ability[sid]
        for c in school.taking(sid):
            steps, values = _scale(c.subject.max_grade)
            for category, assignment, assigned, submitted, entered in slots[c.id]:
                if c.current and category == "exam" and rand() < MISSED_TEST:
                    continue
                percent = min(100.0, max(0.0, gauss(ability, 9)))
                percent = percent if c.current else max(percent, PAST_FLOOR)
                k = int(rand() * 5)
                handed_in = submitted[k][int(rand() * 6)] if rand() < 0.9 else None
                note = NOTES[int(rand() * len(NOTES))] if rand() < 0.15 else None
                created = entered[k] + timedelta(microseconds=int(rand() * HOUR_US))
                yield (next(ids), sid, c.id, assignment, category, values[round(percent * steps / 100)],
                       c.subject.max_grade, WEIGHTS[int(rand() * len(WEIGHTS))], assigned[k], handed_in, note,
                       created, created)  # fmt: skip


def attendance(school: SchoolRows) -> Iterator[Row]:
    rng, ids = school.rng("attendance"), itertools.count(1)
    rand = rng.random
    lessons = {
        c.id: [(d, p, _moment(d, 8 + p)) for d in c.days for p in range(1, c.subject.periods_per_day + 1)]
        for c in school.plan.courses
    }
    for sid in range(1, school.students + 1):
        absent = school.absence[sid]
        late, excused = absent + 0.05, absent + 0.07
        for c in school.taking(sid):
            for day, period, moment in lessons[c.id]:
                draw = rand()
                status = (
                    "absent"
                    if draw < absent
                    else "late"
                    if draw < late
                    else "excused"
                    if draw < excused
                    else "present"
                )
                note = NOTES[int(rand() * len(NOTES))] if status != "present" and rand() < 0.5 else None
                created = moment + timedelta(microseconds=int(rand() * HOUR_US))
                yield next(ids), sid, c.id, day, status, period, note, created, created


def performance(school: SchoolRows) -> Iterator[Row]:
    rng, ids = school.rng("daily_performance"), itertools.count(1)
    rand, gauss = rng.random, rng.gauss
    for sid in range(1, school.students + 1):
        courses = [c for c in school.taking(sid) if c.days]
        for n in range(7 + sid % 2 if courses else 0):
            c = courses[n % len(courses)]
            day = c.days[n % len(c.days)]
            score = min(10.0, max(0.0, gauss(school.ability[sid] / 10, 1.5)))
            score = score if n % 3 == 0 else round(score, 1)  # some scores as a float holds them
            created = _moment(day, 13) + timedelta(microseconds=int(rand() * HOUR_US))
            note = NOTES[int(rand() * len(NOTES))] if rand() < 0.1 else None
            yield (next(ids), sid, c.id, day, PERFORMANCE[int(rand() * len(PERFORMANCE))], score, 10.0, note,
                   created, created)  # fmt: skip


def highlights(school: SchoolRows) -> Iterator[Row]:
    rng, span = school.rng("highlights"), (DEMO_TODAY - CURRENT_TERM.starts_on).days
    for sid in range(1, school.students + 1):
        positive, category, text = rng.choice(HIGHLIGHTS)
        day = CURRENT_TERM.starts_on + timedelta(days=rng.randrange(span + 1))
        created = at(day, 15, rng.randrange(HOUR_US))
        rating = rng.choice([None, 3, 4, 5] if positive else [None, 1, 2])
        yield sid, sid, CURRENT_TERM.label, category, rating, text, day, positive, created, created


def audit(school: SchoolRows) -> Iterator[Row]:
    """What the app would have logged: teachers correcting grades, the office editing students."""
    rng = school.rng("audit_log")
    teachers = [t for t in school.plan.teachers if t.is_active]
    for aid in range(1, max(10, school.students // 4) + 1):
        sid = rng.randrange(1, school.students + 1)
        if aid % 3:
            teacher, course = rng.choice(teachers), school.courses_of(sid)[0]
            before = float(course.subject.max_grade) * rng.randrange(40, 90) / 100
            who, entity = (teacher.id, teacher.email), ("grade", str(rng.randrange(1, 3 * school.students)))
            after = {"grade": before + 1, "notes": rng.choice(NOTES)}
            details = {"before": {"grade": before}, "after": after, "course": course.code}
        else:
            who, entity = (school.admin_id, accounts.ADMIN.email), ("student", str(sid))
            details = {"before": {"phone": None}, "after": {"phone": f"+30 69{sid:08d}"},
                       "σχόλιο": "αλλαγή από τη γραμματεία"}  # fmt: skip
        when = at(DEMO_TODAY - timedelta(days=rng.randrange(80)), 10, rng.randrange(10**10))
        ip = rng.choice(["192.168.1.23", "2001:db8::7", None])
        yield aid, *who, "update", *entity, details if aid % 7 else None, ip, when
