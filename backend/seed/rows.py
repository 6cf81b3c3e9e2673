"""The demo school's rows, table by table, in the columns ``columns.COLUMNS`` names.

Every row is one the API would accept: grades on their course's scale and in its evaluation
rules' categories, attendance on school days of the course's term and never after the demo's
today, finished courses passed by those who went on to their follow-up. Each table draws from
its own random stream (``seed:table``), so a table's rows do not depend on another's.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from backend.seed import accounts, records
from backend.seed.calendar import CURRENT_TERM, DEMO_TODAY, TERMS, YEARS, at
from backend.seed.columns import COLUMNS
from backend.seed.names import DROP_REASONS, FEMALE, MALE, NOTES, SURNAMES
from backend.seed.plan import CourseSpec, SchoolPlan, study_year

Row = tuple[Any, ...]
Table = tuple[str, tuple[str, ...], Callable[[], Iterator[Row]]]


class SchoolRows:
    """The rows of one demo school, from its plan and seed."""

    def __init__(self, *, students: int, seed: int, first_user_id: int = 1) -> None:
        self.students, self.seed, self.admin_id = students, seed, first_user_id
        self.plan = SchoolPlan(students=students, seed=seed, first_user_id=first_user_id)
        rng = self.rng("ability")
        # A student's usual result in percent; about one in ten struggles, a few excel.
        self.ability = [0.0] + [min(97.0, max(25.0, rng.gauss(69, 14))) for _ in range(students)]
        # Who misses lessons: most hardly ever, those who struggle far more often.
        self.absence = [0.0] + [0.2 if a < 52 else 0.05 for a in self.ability[1:]]

    def rng(self, table: str) -> random.Random:
        return random.Random(f"{self.seed}:{table}")  # str seeds are hashed with SHA-512: stable

    def note(self, rng: random.Random, chance: float = 0.3) -> str | None:
        return rng.choice(NOTES) if rng.random() < chance else None

    def tables(self) -> list[Table]:
        generators: dict[str, Callable[[], Iterator[Row]]] = {
            "users": self.users, "academic_years": self.academic_years, "terms": self.terms,
            "courses": self.course_rows, "course_teachers": self.course_teachers,
            "students": self.student_rows, "course_enrollments": self.enrollments,
            "grades": lambda: records.grades(self), "attendance": lambda: records.attendance(self),
            "daily_performance": lambda: records.performance(self),
            "highlights": lambda: records.highlights(self), "audit_log": lambda: records.audit(self),
        }  # fmt: skip
        return [(name, COLUMNS[name], generate) for name, generate in generators.items()]

    # -- people, the calendar, the courses ----------------------------------------------------------

    def users(self) -> Iterator[Row]:
        rng, password = self.rng("users"), accounts.demo_password_hash(self.seed)
        people = [(s.role, s.email, s.full_name, s is not accounts.RETIRED_VIEWER) for s in accounts.STAFF]
        people += [("teacher", t.email, t.full_name, t.is_active) for t in self.plan.teachers]
        for n, (role, email, name, active) in enumerate(people):
            created = at(date(2025, 9, 1) + timedelta(days=rng.randrange(9)), 8, rng.randrange(3_600_000_000))
            stamp = hashlib.sha256(f"{self.seed}:{email}".encode()).hexdigest()[:32]
            seen = (
                at(DEMO_TODAY - timedelta(days=rng.randrange(60)), 7, rng.randrange(10**9)) if n % 3 else None
            )
            yield self.admin_id + n, email, name, password, role, active, stamp, False, seen, created, created

    def academic_years(self) -> Iterator[Row]:
        for y in YEARS:
            created = at(y.starts_on - timedelta(days=20), 9, 0)
            yield y.id, y.name, y.starts_on, y.ends_on, y.is_current, y.year_end_applied_at, created, created

    def terms(self) -> Iterator[Row]:
        for t in TERMS:
            created = at(t.year.starts_on - timedelta(days=20), 9, 1)
            yield t.id, t.year.id, t.name, t.starts_on, t.ends_on, t.is_current, created, created

    def course_rows(self) -> Iterator[Row]:
        rng, names = self.rng("courses"), {t.id: t.full_name for t in self.plan.teachers}
        for c in self.plan.courses:
            s = c.subject
            rules = [{"category": category, "weight": weight} for category, weight, _ in s.rules]
            opened = DEMO_TODAY - timedelta(days=3) if c.deleted else c.term.starts_on - timedelta(days=10)
            created = at(opened, 10, rng.randrange(3_600_000_000))
            penalty = Decimal("0.25") if s.max_grade == 20 else Decimal("1.00")
            teacher = names.get(c.teacher_ids[0]) if c.teacher_ids else None
            deleted = created + timedelta(days=1) if c.deleted else None
            year = c.term.year.starts_on.year
            yield (c.id, c.code, c.name, self.note(rng, 0.2), s.credits, c.term.name, year, teacher,
                   s.hours_per_week, penalty, s.max_grade, s.passing_grade, rules, c.prerequisite_id,
                   c.current, created, created, deleted, c.term.id, s.periods_per_day)  # fmt: skip

    def course_teachers(self) -> Iterator[Row]:
        for c in self.plan.courses:
            for teacher in c.teacher_ids:
                yield c.id, teacher

    def student_rows(self) -> Iterator[Row]:
        rng = self.rng("students")
        for sid in range(1, self.students + 1):
            year = study_year(sid)
            female = rng.random() < 0.5
            first = rng.choice(FEMALE if female else MALE)
            last = rng.choice(SURNAMES)[1 if female else 0]
            intake = date(2027 - year, 9, 11)
            born = (
                date(2011 - year, 1, 1) + timedelta(days=rng.randrange(365)) if rng.random() < 0.97 else None
            )
            phone = rng.choice([f"+30 69{rng.randrange(10**8):08d}", None, ""])
            created = at(intake - timedelta(days=rng.randrange(1, 20)), 9, rng.randrange(3_600_000_000))
            deleted = at(DEMO_TODAY - timedelta(days=sid % 30), 11, sid) if sid % 97 == 0 else None
            updated = created + timedelta(minutes=rng.randrange(999))
            # Numbered S2025000001 on as ever: the migration tool's tests pick students out by it.
            yield (sid, f"S{2025_000000 + sid}", first, last, f"student{sid:06d}@school.gr", born, phone,
                   intake, year, self.active(sid), self.note(rng), created, updated, deleted)  # fmt: skip

    def active(self, student: int) -> bool:
        """About 3% have left the school this term (moved away): inactive, their courses dropped."""
        return (student * 7919) % 100 >= 3

    # -- who takes what ------------------------------------------------------------------------------

    def dropped(self, student: int, course: CourseSpec) -> bool:
        """Dropped this term: everything a student who left was taking, and a few other courses."""
        return course.current and (not self.active(student) or (student * 31 + course.id * 17) % 97 == 0)

    def courses_of(self, student: int) -> list[CourseSpec]:
        return [self.plan.by_id[c] for c in self.plan.enrolled(student)]

    def taking(self, student: int) -> list[CourseSpec]:
        """The student's courses that hold records: all but the dropped ones."""
        return [c for c in self.courses_of(student) if not self.dropped(student, c)]

    def enrollments(self) -> Iterator[Row]:
        rng, ids = self.rng("course_enrollments"), itertools.count(1)
        days_so_far = (DEMO_TODAY - CURRENT_TERM.starts_on).days
        for sid in range(1, self.students + 1):
            for c in self.courses_of(sid):
                enrolled = at(c.term.starts_on - timedelta(days=rng.randrange(1, 8)), 9, rng.randrange(10**9))
                if self.dropped(sid, c):
                    on = CURRENT_TERM.starts_on + timedelta(days=rng.randrange(days_so_far))
                    reason = DROP_REASONS[0] if not self.active(sid) else rng.choice(DROP_REASONS[1:])
                    yield next(ids), sid, c.id, "dropped", enrolled, on, reason, self.admin_id
                else:
                    status = "active" if c.current else "completed"
                    yield next(ids), sid, c.id, status, enrolled, None, None, None
