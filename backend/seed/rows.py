"""The demo school's rows, table by table, each with the columns it fills.

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

from backend.seed import accounts
from backend.seed.calendar import CURRENT_TERM, DEMO_TODAY, TERMS, YEARS, at
from backend.seed.names import DROP_REASONS, FEMALE, HIGHLIGHTS, MALE, NOTES, PERFORMANCE, SURNAMES, WEIGHTS
from backend.seed.plan import CourseSpec, SchoolPlan, study_year

Row = tuple[Any, ...]
Table = tuple[str, tuple[str, ...], Callable[[], Iterator[Row]]]
STAMPED = ("created_at", "updated_at")
HALF = Decimal("0.5")


class SchoolRows:
    """The rows of one demo school, from its plan and seed."""

    def __init__(self, *, students: int, seed: int, first_user_id: int = 1) -> None:
        self.students, self.seed = students, seed
        self.plan = SchoolPlan(students=students, seed=seed, first_user_id=first_user_id)
        rng = self.rng("ability")
        # A student's usual result in percent; about one in ten struggles, a few excel.
        self.ability = [0.0] + [min(97.0, max(25.0, rng.gauss(69, 14))) for _ in range(students)]
        # Who misses lessons: most hardly ever, those who struggle far more often.
        self.absence = [0.0] + [0.2 if a < 52 else 0.05 for a in self.ability[1:]]
        self.admin_id = first_user_id

    def rng(self, table: str) -> random.Random:
        return random.Random(f"{self.seed}:{table}")  # str seeds are hashed with SHA-512: stable

    def note(self, rng: random.Random, chance: float = 0.3) -> str | None:
        return rng.choice(NOTES) if rng.random() < chance else None

    def tables(self) -> list[Table]:
        return [
            (
                "users",
                (
                    "id",
                    "email",
                    "full_name",
                    "hashed_password",
                    "role",
                    "is_active",
                    "security_stamp",
                    "must_change_password",
                    "last_login_at",
                    *STAMPED,
                ),
                self.users,
            ),
            (
                "academic_years",
                ("id", "name", "starts_on", "ends_on", "is_current", "year_end_applied_at", *STAMPED),
                self.academic_years,
            ),
            (
                "terms",
                ("id", "academic_year_id", "name", "starts_on", "ends_on", "is_current", *STAMPED),
                self.terms,
            ),
            (
                "courses",
                (
                    "id",
                    "course_code",
                    "course_name",
                    "description",
                    "credits",
                    "semester",
                    "year",
                    "teacher_name",
                    "hours_per_week",
                    "absence_penalty",
                    "max_grade",
                    "passing_grade",
                    "evaluation_rules",
                    "prerequisite_course_id",
                    "is_active",
                    *STAMPED,
                    "deleted_at",
                    "term_id",
                    "periods_per_day",
                ),
                self.course_rows,
            ),
            ("course_teachers", ("course_id", "user_id"), self.course_teachers),
            (
                "students",
                (
                    "id",
                    "student_id",
                    "first_name",
                    "last_name",
                    "email",
                    "date_of_birth",
                    "phone",
                    "enrollment_date",
                    "study_year",
                    "is_active",
                    "notes",
                    *STAMPED,
                    "deleted_at",
                ),
                self.student_rows,
            ),
            (
                "course_enrollments",
                (
                    "id",
                    "student_id",
                    "course_id",
                    "status",
                    "enrolled_at",
                    "dropped_on",
                    "drop_reason",
                    "dropped_by_user_id",
                ),
                self.enrollments,
            ),
            (
                "grades",
                (
                    "id",
                    "student_id",
                    "course_id",
                    "assignment_name",
                    "category",
                    "grade",
                    "max_grade",
                    "weight",
                    "date_assigned",
                    "date_submitted",
                    "notes",
                    *STAMPED,
                ),
                self.grades,
            ),
            (
                "attendance",
                ("id", "student_id", "course_id", "date", "status", "period_number", "notes", *STAMPED),
                self.attendance,
            ),
            (
                "daily_performance",
                (
                    "id",
                    "student_id",
                    "course_id",
                    "date",
                    "category",
                    "score",
                    "max_score",
                    "notes",
                    *STAMPED,
                ),
                self.performance,
            ),
            (
                "highlights",
                (
                    "id",
                    "student_id",
                    "semester",
                    "category",
                    "rating",
                    "highlight_text",
                    "date_recorded",
                    "is_positive",
                    *STAMPED,
                ),
                self.highlights,
            ),
            (
                "audit_log",
                (
                    "id",
                    "user_id",
                    "user_email",
                    "action",
                    "entity_type",
                    "entity_id",
                    "details",
                    "ip_address",
                    "created_at",
                ),
                self.audit,
            ),
        ]

    # -- people and the calendar -------------------------------------------------------------

    def users(self) -> Iterator[Row]:
        rng, password = self.rng("users"), accounts.demo_password_hash(self.seed)
        people = [(s.role, s.email, s.full_name, s is not accounts.RETIRED_VIEWER) for s in accounts.STAFF]
        people += [("teacher", t.email, t.full_name, t.is_active) for t in self.plan.teachers]
        for n, (role, email, name, active) in enumerate(people):
            created = at(date(2025, 9, 1) + timedelta(days=rng.randrange(9)), 8, rng.randrange(3_600_000_000))
            stamp = hashlib.sha256(f"{self.seed}:{email}".encode()).hexdigest()[:32]
            last_login = (
                at(DEMO_TODAY - timedelta(days=rng.randrange(60)), 7, rng.randrange(10**9)) if n % 3 else None
            )
            yield (
                self.admin_id + n,
                email,
                name,
                password,
                role,
                active,
                stamp,
                False,
                last_login,
                created,
                created,
            )

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
            yield (
                c.id,
                c.code,
                c.name,
                self.note(rng, 0.2),
                s.credits,
                c.term.name,
                c.term.year.starts_on.year,
                names.get(c.teacher_ids[0]) if c.teacher_ids else None,
                s.hours_per_week,
                penalty,
                s.max_grade,
                s.passing_grade,
                rules,
                c.prerequisite_id,
                c.current,
                created,
                created,
                created + timedelta(days=1) if c.deleted else None,
                c.term.id,
                s.periods_per_day,
            )

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
            yield (
                sid,
                f"S{intake.year}{sid:06d}",
                first,
                last,
                f"student{sid:06d}@school.gr",
                born,
                phone,
                intake,
                year,
                self.active(sid),
                self.note(rng),
                created,
                created + timedelta(minutes=rng.randrange(999)),
                at(DEMO_TODAY - timedelta(days=sid % 30), 11, sid) if sid % 97 == 0 else None,
            )

    def active(self, student: int) -> bool:
        """About 3% have left the school this term (moved away): inactive, their courses dropped."""
        return (student * 7919) % 100 >= 3

    # -- what happens in the courses --------------------------------------------------------------

    def dropped(self, student: int, course: CourseSpec) -> bool:
        """Dropped this term: everything a student who left was taking, and a few other courses."""
        return course.current and (not self.active(student) or (student * 31 + course.id * 17) % 97 == 0)

    def courses_of(self, student: int) -> list[CourseSpec]:
        return [self.plan.by_id[c] for c in self.plan.enrolled(student)]

    def enrollments(self) -> Iterator[Row]:
        rng, ids = self.rng("course_enrollments"), itertools.count(1)
        for sid in range(1, self.students + 1):
            for c in self.courses_of(sid):
                enrolled = at(c.term.starts_on - timedelta(days=rng.randrange(1, 8)), 9, rng.randrange(10**9))
                if self.dropped(sid, c):
                    on = CURRENT_TERM.starts_on + timedelta(
                        days=rng.randrange((DEMO_TODAY - CURRENT_TERM.starts_on).days)
                    )
                    reason = DROP_REASONS[0] if not self.active(sid) else rng.choice(DROP_REASONS[1:])
                    yield next(ids), sid, c.id, "dropped", enrolled, on, reason, self.admin_id
                else:
                    yield (
                        next(ids),
                        sid,
                        c.id,
                        "active" if c.current else "completed",
                        enrolled,
                        None,
                        None,
                        None,
                    )

    def percent(self, rng: random.Random, student: int, course: CourseSpec) -> float:
        """One result of the student, in percent; last year's courses were passed by all who went on."""
        result = min(100.0, max(0.0, rng.gauss(self.ability[student], 9)))
        return result if course.current else max(result, 62.0)

    def grades(self) -> Iterator[Row]:
        rng, ids = self.rng("grades"), itertools.count(1)
        for sid in range(1, self.students + 1):
            for c in self.courses_of(sid):
                if self.dropped(sid, c):
                    continue
                s, term = c.subject, c.term
                span = (term.last_day - term.starts_on).days
                for n, (category, _, assignment) in enumerate(s.rules):
                    # A few students missed this term's test: their final grade is incomplete.
                    if category == "exam" and c.current and rng.random() < 0.04:
                        continue
                    value = Decimal(str(round(self.percent(rng, sid, c) / 100 * float(s.max_grade) * 2) / 2))
                    value = value if s.max_grade == 20 else value.quantize(Decimal(1))
                    assigned = term.starts_on + timedelta(days=span * (n + 2) // 5 + rng.randrange(5))
                    submitted = (
                        min(assigned + timedelta(days=rng.randrange(6)), term.last_day)
                        if rng.random() < 0.9
                        else None
                    )
                    created = at(
                        min(assigned + timedelta(days=3), term.last_day), 14, rng.randrange(3_600_000_000)
                    )
                    yield (
                        next(ids),
                        sid,
                        c.id,
                        assignment,
                        category,
                        value,
                        s.max_grade,
                        rng.choice(WEIGHTS),
                        assigned,
                        submitted,
                        self.note(rng, 0.15),
                        created,
                        created,
                    )

    def attendance(self) -> Iterator[Row]:
        rng, ids = self.rng("attendance"), itertools.count(1)
        for sid in range(1, self.students + 1):
            absence = self.absence[sid]
            for c in self.courses_of(sid):
                if self.dropped(sid, c):
                    continue
                for day in c.days:
                    for period in range(1, c.subject.periods_per_day + 1):
                        draw = rng.random()
                        status = (
                            "absent"
                            if draw < absence
                            else "late"
                            if draw < absence + 0.05
                            else ("excused" if draw < absence + 0.07 else "present")
                        )
                        created = at(day, 8 + period, rng.randrange(3_600_000_000))
                        notes = self.note(rng, 0.5) if status != "present" else None
                        yield next(ids), sid, c.id, day, status, period, notes, created, created

    def performance(self) -> Iterator[Row]:
        rng, ids = self.rng("daily_performance"), itertools.count(1)
        for sid in range(1, self.students + 1):
            courses = [c for c in self.courses_of(sid) if not self.dropped(sid, c) and c.days]
            for n in range(7 + sid % 2 if courses else 0):
                c = courses[n % len(courses)]
                day = c.days[n % len(c.days)]
                score = min(10.0, max(0.0, rng.gauss(self.ability[sid] / 10, 1.5)))
                score = score if n % 3 == 0 else round(score, 1)  # some scores as a float holds them
                created = at(day, 13, rng.randrange(3_600_000_000))
                yield (
                    next(ids),
                    sid,
                    c.id,
                    day,
                    rng.choice(PERFORMANCE),
                    score,
                    10.0,
                    self.note(rng, 0.1),
                    created,
                    created,
                )

    def highlights(self) -> Iterator[Row]:
        rng, span = self.rng("highlights"), (DEMO_TODAY - CURRENT_TERM.starts_on).days
        for sid in range(1, self.students + 1):
            positive, category, text = rng.choice(HIGHLIGHTS)
            day = CURRENT_TERM.starts_on + timedelta(days=rng.randrange(span + 1))
            created = at(day, 15, rng.randrange(3_600_000_000))
            yield (
                sid,
                sid,
                CURRENT_TERM.label,
                category,
                rng.choice([None, 3, 4, 5] if positive else [None, 1, 2]),
                text,
                day,
                positive,
                created,
                created,
            )

    def audit(self) -> Iterator[Row]:
        """What the app would have logged: teachers correcting grades, the office editing students."""
        rng = self.rng("audit_log")
        teachers = [t for t in self.plan.teachers if t.is_active]
        for aid in range(1, max(10, self.students // 4) + 1):
            sid = rng.randrange(1, self.students + 1)
            if aid % 3:
                teacher, course = rng.choice(teachers), self.courses_of(sid)[0]
                before = float(course.subject.max_grade) * rng.randrange(40, 90) / 100
                who, entity = (teacher.id, teacher.email), ("grade", str(rng.randrange(1, 3 * self.students)))
                details = {
                    "before": {"grade": before},
                    "after": {"grade": before + 1, "notes": rng.choice(NOTES)},
                    "course": course.code,
                }
            else:
                who, entity = (self.admin_id, accounts.ADMIN.email), ("student", str(sid))
                details = {
                    "before": {"phone": None},
                    "after": {"phone": f"+30 69{sid:08d}"},
                    "σχόλιο": "αλλαγή από τη γραμματεία",
                }
            when = at(DEMO_TODAY - timedelta(days=rng.randrange(80)), 10, rng.randrange(10**10))
            yield (
                aid,
                *who,
                "update",
                *entity,
                details if aid % 7 else None,
                rng.choice(["192.168.1.23", "2001:db8::7", None]),
                when,
            )
