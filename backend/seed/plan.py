"""Who is in the demo school, who teaches what and who takes what, decided before any row.

Students come in three year groups (Α΄, Β΄, Γ΄ Λυκείου), split into classes of at most SECTION_SIZE.
Every student takes five courses: a first-year takes five this term; an older student three
this term and two it finished last school year (where it passed Mathematics, the prerequisite
of this year's). Each course is one subject for one class in one term, taught by a teacher of
that subject (the physics labs by a second, lab teacher too).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

from backend.seed.calendar import CURRENT_TERM, PAST_TERMS, TERMS, TermSpec, lesson_days
from backend.seed.names import (
    CURRENT_SUBJECTS,
    FEMALE,
    GRADE_LETTERS,
    MALE,
    PAST_SUBJECTS,
    SUBJECTS,
    SURNAMES,
    Subject,
)

SECTION_SIZE = 25
CLASSES_PER_TEACHER = 5
PHYSICS_LABS_PER_LAB_TEACHER = 10
ATTENDANCE_LESSONS = 4  # per course and student: the last four lessons the register was taken at
ADMINS_AND_VIEWERS = 3  # the admin, the office's viewer, a deactivated viewer


@dataclass(frozen=True)
class CourseSpec:
    id: int
    subject: Subject
    term: TermSpec
    grade: int  # the year group the class was in when the course ran
    section: int
    teacher_ids: tuple[int, ...]
    prerequisite_id: int | None
    days: tuple[date, ...]  # the lessons attendance was taken at
    deleted: bool = False

    @property
    def code(self) -> str:
        return f"{self.subject.code}{self.grade}-{self.section:02d}-{self.term.code}"

    @property
    def class_name(self) -> str:
        return f"{GRADE_LETTERS[self.grade - 1]}{self.section}"

    @property
    def name(self) -> str:
        return f"{self.subject.name} {GRADE_LETTERS[self.grade - 1]}΄ Λυκείου ({self.class_name})"

    @property
    def current(self) -> bool:
        return self.term is CURRENT_TERM


@dataclass(frozen=True)
class TeacherSpec:
    id: int
    email: str
    full_name: str
    subject: str  # a subject code, or LAB
    is_active: bool = True


def study_year(student: int) -> int:
    return 1 + (student - 1) % 3


class SchoolPlan:
    """The school's courses, teachers and each student's five courses, from its size alone."""

    def __init__(self, *, students: int, seed: int, first_user_id: int) -> None:
        self.students, self.first_user_id = students, first_user_id
        sizes = {year: len(range(year, students + 1, 3)) for year in (1, 2, 3)}
        self.sections = {year: math.ceil(size / SECTION_SIZE) for year, size in sizes.items()}
        classes = [(year, s) for year in (1, 2, 3) for s in range(1, self.sections[year] + 1)]
        # (subject, term, grade, section) of every course: this term's first, last year's after,
        # so this year's Mathematics points forward to last year's as its prerequisite.
        wanted = [(code, CURRENT_TERM, year, s) for year, s in classes for code in CURRENT_SUBJECTS[year]]
        wanted += [
            (code, PAST_TERMS[t], year - 1, s) for year, s in classes if year > 1 for t, code in PAST_SUBJECTS
        ]
        self.teachers = self._teachers(wanted, random.Random(f"{seed}:teachers"))
        self.courses = self._courses(wanted)
        self.classes: dict[tuple[int, int], list[int]] = {key: [] for key in classes}
        for course in self.courses:
            if not course.deleted:
                self.classes[self._class_key(course)].append(course.id)
        self.by_id = {c.id: c for c in self.courses}

    @staticmethod
    def _class_key(course: CourseSpec) -> tuple[int, int]:
        """The class as it is now: last year's Α2 is this year's Β2."""
        return (course.grade + (0 if course.current else 1), course.section)

    def _teachers(
        self, wanted: list[tuple[str, TermSpec, int, int]], rng: random.Random
    ) -> list[TeacherSpec]:
        now = [code for code, term, _, _ in wanted if term is CURRENT_TERM]
        needed = {code: math.ceil(now.count(code) / CLASSES_PER_TEACHER) for code in SUBJECTS if code in now}
        labs = math.ceil(now.count("PHYS") / PHYSICS_LABS_PER_LAB_TEACHER)
        subjects = [code for code, n in needed.items() for _ in range(n)] + ["LAB"] * labs + ["MATH"]
        teachers: list[TeacherSpec] = []
        taken = {"Ελένη O'Connor", 'Νίκος "ο Φυσικός" Λάμπρου'}
        for n, subject in enumerate(subjects, start=1):
            name = {1: "Ελένη O'Connor", 2: 'Νίκος "ο Φυσικός" Λάμπρου'}.get(n, "")
            for _ in range(20 if not name else 0):  # distinct names while the lists last
                female = rng.random() < 0.6
                name = f"{rng.choice(FEMALE if female else MALE)} {rng.choice(SURNAMES)[1 if female else 0]}"
                if name not in taken:
                    break
            taken.add(name)
            # The last one has retired: a deactivated account that teaches nothing now.
            teachers.append(
                TeacherSpec(
                    self.first_user_id + ADMINS_AND_VIEWERS + n - 1,
                    f"teacher{n:03d}@school.gr",
                    name,
                    subject,
                    n < len(subjects),
                )
            )
        return teachers

    def _courses(self, wanted: list[tuple[str, TermSpec, int, int]]) -> list[CourseSpec]:
        pools = {
            code: [t.id for t in self.teachers if t.subject == code and t.is_active] for code in SUBJECTS
        }
        labs = [t.id for t in self.teachers if t.subject == "LAB"]
        taught = dict.fromkeys(SUBJECTS, 0)
        past_math = {
            (grade + 1, s): n
            for n, (code, term, grade, s) in enumerate(wanted, 1)
            if term is not CURRENT_TERM and code == "MATH"
        }
        courses = []
        for n, (code, term, grade, section) in enumerate(wanted, start=1):
            pool = pools[code] or [t.id for t in self.teachers if t.is_active][:1]
            teacher = pool[taught[code] // CLASSES_PER_TEACHER % len(pool)]
            taught[code] += 1
            extra = (
                (labs[(taught[code] - 1) // PHYSICS_LABS_PER_LAB_TEACHER % len(labs)],)
                if code == "PHYS" and labs
                else ()
            )
            subject = SUBJECTS[code]
            lessons = ATTENDANCE_LESSONS // subject.periods_per_day
            prerequisite = (
                past_math.get((grade, section)) if code == "MATH" and term is CURRENT_TERM else None
            )
            courses.append(
                CourseSpec(
                    n,
                    subject,
                    term,
                    grade,
                    section,
                    (teacher, *extra),
                    prerequisite,
                    tuple(lesson_days(term, n % 5, lessons)),
                )
            )
        # A course made by mistake for next term and deleted: something for the trash page.
        drama = Subject(
            "DRAMA",
            "Θεατρική Αγωγή",
            SUBJECTS["HIST"].max_grade,
            SUBJECTS["HIST"].passing_grade,
            (("project", 100, "Παράσταση"),),
            1,
            1.0,
        )
        courses.append(CourseSpec(len(courses) + 1, drama, TERMS[3], 1, 1, (), None, (), deleted=True))
        return courses

    def section(self, student: int) -> int:
        """The student's class in its year group, dealt round so the classes are the same size."""
        return (student - 1) // 3 % self.sections[study_year(student)] + 1

    def enrolled(self, student: int) -> list[int]:
        """The ids of the student's five courses: this term's first."""
        return self.classes[(study_year(student), self.section(student))]
