"""The demo school holds only what the API accepts: every row re-checked by the API's own rules.

Each table's rows go through the request schemas the API validates with, the grade and
enrolment services' checks and the final-grade service, on both engines; then the demo
accounts log in through the API with the password seed_demo printed.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import URL, create_engine, select
from sqlalchemy.orm import Session

from backend.main import create_app
from backend.models import (
    AcademicYear,
    Attendance,
    Course,
    CourseEnrollment,
    CourseTeacher,
    DailyPerformance,
    EnrollmentStatus,
    Grade,
    Highlight,
    Student,
    Term,
    User,
)
from backend.schemas.attendance import AttendanceCreate
from backend.schemas.courses import CourseCreate, EnrollmentCreate
from backend.schemas.grades import GradeCreate
from backend.schemas.performance import HighlightCreate, PerformanceCreate
from backend.schemas.students import StudentCreate
from backend.schemas.users import UserCreate
from backend.scripts.seed_demo import SeedReport, seed_demo
from backend.seed.accounts import demo_password
from backend.seed.calendar import DEMO_TODAY
from backend.services import grade_rules
from backend.services.enrollments import check_prerequisite
from backend.services.grading import final_grade
from backend.tests.conftest import login, make_settings

STUDENTS = 80  # two classes in every year group
SEED = 5


def _valid(schema: type[BaseModel], row: object, **extra: Any) -> None:
    """The row, read back, is a body the API's own schema accepts."""
    values = {name: getattr(row, name) for name in schema.model_fields if hasattr(row, name)}
    schema.model_validate({**values, **extra})


def _within(day: date | None, term: Term) -> bool:
    return day is None or term.starts_on <= day <= min(term.ends_on, DEMO_TODAY)


def _check_calendar_and_people(session: Session, report: SeedReport) -> None:
    years, terms = session.scalars(select(AcademicYear)).all(), session.scalars(select(Term)).all()
    assert [y.is_current for y in years].count(True) == 1 and [t.is_current for t in terms].count(True) == 1
    current = next(t for t in terms if t.is_current)
    assert current.starts_on <= DEMO_TODAY <= current.ends_on
    by_year = Counter(t.academic_year_id for t in terms)
    assert all(2 <= n <= 3 for n in by_year.values()) and len(by_year) == 2
    for user in session.scalars(select(User)):
        _valid(UserCreate, user, password=demo_password(SEED))
    assert {(login.role, login.email) for login in report.logins} == {
        (u.role.value, u.email)
        for u in session.scalars(select(User).where(User.email.in_([login.email for login in report.logins])))
        if u.is_active
    }
    for student in session.scalars(select(Student)):
        _valid(StudentCreate, student)


def _check_courses(session: Session) -> dict[int, Course]:
    courses = {c.id: c for c in session.scalars(select(Course))}
    teachers = {u.id: u for u in session.scalars(select(User))}
    taught = Counter(link.course_id for link in session.scalars(select(CourseTeacher)))
    for link in session.scalars(select(CourseTeacher)):
        assert teachers[link.user_id].role.value in ("teacher", "admin") and teachers[link.user_id].is_active
    scales: Counter[int] = Counter()
    for course in courses.values():
        _valid(CourseCreate, course)
        assert grade_rules.scale_problem(course.passing_grade, course.max_grade) is None
        assert course.term_id is not None
        scales[int(course.max_grade)] += 1
        if course.deleted_at is None:
            assert taught[course.id] >= 1, course.course_code
    # Some courses out of 20, most out of 100.
    assert 0 < scales[20] < scales[100]
    return courses


def _check_records(session: Session, courses: dict[int, Course]) -> dict[tuple[int, int], CourseEnrollment]:
    terms = {t.id: t for t in session.scalars(select(Term))}
    term_of = {c.id: terms[c.term_id or 0] for c in courses.values()}
    enrolments = {(e.student_id, e.course_id): e for e in session.scalars(select(CourseEnrollment))}
    for e in enrolments.values():
        _valid(EnrollmentCreate, e)
        if e.status.value == "dropped":
            assert e.drop_reason and e.dropped_by_user_id and _within(e.dropped_on, term_of[e.course_id])
        elif courses[e.course_id].prerequisite_course_id:
            student = session.get_one(Student, e.student_id)
            check_prerequisite(session=session, student=student, course=courses[e.course_id])
    taking = {key for key, e in enrolments.items() if e.status.value != "dropped"}
    categories: Counter[tuple[int, str]] = Counter()
    for grade in session.scalars(select(Grade)):
        course = courses[grade.course_id]
        _valid(GradeCreate, grade)
        assert grade_rules.scale_problem(grade.grade, grade.max_grade) is None
        assert grade_rules.category_problem(course, grade.category) is None
        assert grade_rules.canonical_category(course, grade.category) == grade.category
        assert grade.max_grade == course.max_grade and (grade.student_id, grade.course_id) in taking
        assert _within(grade.date_assigned, term_of[course.id]) and _within(
            grade.date_submitted, term_of[course.id]
        )
        categories[(course.id, grade.category)] += 1
    # Every category a course's rules count has grades in it (no rule left empty by design).
    for course in courses.values():
        if course.deleted_at is None:
            assert all(categories[(course.id, r["category"])] for r in course.evaluation_rules or []), (
                course.course_code
            )
    for mark in session.scalars(select(Attendance)):
        course = courses[mark.course_id]
        _valid(AttendanceCreate, mark)
        assert _within(mark.date, term_of[course.id]) and mark.date.weekday() < 5
        assert mark.period_number <= course.periods_per_day and (mark.student_id, mark.course_id) in taking
    for row in session.scalars(select(DailyPerformance)):
        _valid(PerformanceCreate, row)
        assert row.score <= row.max_score and _within(row.date, term_of[row.course_id])
    for highlight in session.scalars(select(Highlight)):
        _valid(HighlightCreate, highlight)
        assert highlight.date_recorded <= DEMO_TODAY
    return enrolments


def _results(
    session: Session, courses: dict[int, Course], enrolments: dict[tuple[int, int], CourseEnrollment]
) -> Counter[str]:
    """Each student's standing in each course they take, by the final-grade service."""
    students = {s.id: s for s in session.scalars(select(Student))}
    results: Counter[str] = Counter()
    for (sid, cid), e in enrolments.items():
        if e.status.value == "dropped":
            continue
        result = final_grade(session=session, student=students[sid], course=courses[cid])
        if e.status.value == "completed":
            assert result.complete and result.passed, (sid, courses[cid].course_code)
            continue
        assert not result.uncounted_categories
        results["passed" if result.passed else "failing" if result.complete else "incomplete"] += 1
    return results


def test_every_row_is_one_the_api_accepts_and_most_students_pass(database_url: URL, tmp_path: Path) -> None:
    engine = create_engine(database_url)
    report = seed_demo(engine=engine, students=STUDENTS, seed=SEED)
    with Session(engine) as session:
        _check_calendar_and_people(session, report)
        courses = _check_courses(session)
        enrolments = _check_records(session, courses)
        results = _results(session, courses, enrolments)
    engine.dispose()
    total = sum(results.values())
    # A believable spread this term: most pass, some fail so far, a few missed the test.
    assert results["passed"] / total > 0.75
    assert 0.02 < results["failing"] / total < 0.2 and 0 < results["incomplete"] / total < 0.1

    with TestClient(create_app(make_settings(database_url, tmp_path))) as client:
        headers = {}
        for demo in report.logins:
            headers[demo.role] = login(client, demo.email, demo.password)
            me = client.get("/api/v1/auth/me", headers=headers[demo.role])
            assert me.status_code == 200 and me.json()["role"] == demo.role
        _a_teachers_day(client, headers, database_url)
        _the_year_end(client, headers["admin"])
        # Some student-course pairs are at risk by attendance this term, not most.
        at_risk = client.get("/api/v1/dashboard/summary", headers=headers["viewer"]).json()["at_risk_count"]
        assert 0 < at_risk / total < 0.2


def _a_teachers_day(client: TestClient, headers: dict[str, dict[str, str]], database_url: URL) -> None:
    """The demo teacher finds their classes, marks the register and enters a grade; not in another's class."""
    me = client.get("/api/v1/auth/me", headers=headers["teacher"]).json()["id"]
    classes = client.get("/api/v1/me/classes", headers=headers["teacher"]).json()
    assert classes["term"]["is_current"] and classes["items"]
    mine = classes["items"][0]
    assert all(me in [t["id"] for t in c["teachers"]] for c in classes["items"])
    assert all(1 <= c["active_students"] <= 25 for c in classes["items"])
    engine = create_engine(database_url)
    with Session(engine) as session:
        course = session.get_one(Course, mine["id"])
        taking = session.scalars(
            select(CourseEnrollment.student_id).where(
                CourseEnrollment.course_id == course.id, CourseEnrollment.status == EnrollmentStatus.ACTIVE
            )
        ).all()
        teaching = select(CourseTeacher.course_id).where(CourseTeacher.user_id == me)
        other = session.scalars(
            select(Course.id).where(Course.id.not_in(teaching), Course.deleted_at.is_(None))
        ).first()
        category = str((course.evaluation_rules or [])[0]["category"])
    engine.dispose()
    marks = [{"student_id": sid, "status": "present"} for sid in taking]
    sheet = {"course_id": course.id, "date": DEMO_TODAY.isoformat(), "period_number": 1, "records": marks}
    assert client.post("/api/v1/attendance/bulk", json=sheet, headers=headers["teacher"]).status_code == 200
    grade = {"student_id": taking[0], "course_id": course.id, "assignment_name": "Τεστ Β΄",
             "category": category, "grade": str(course.max_grade)}  # fmt: skip
    assert client.post("/api/v1/grades", json=grade, headers=headers["teacher"]).status_code == 201
    refused = client.post("/api/v1/grades", json={**grade, "course_id": other}, headers=headers["teacher"])
    assert refused.status_code == 403 and refused.json()["code"] == "not_your_course"
    assert client.post("/api/v1/grades", json=grade, headers=headers["viewer"]).status_code == 403


def _the_year_end(client: TestClient, admin: dict[str, str]) -> None:
    """Last year's year-end is done; this year's preview moves the three year groups on."""
    years = {y["name"]: y["id"] for y in client.get("/api/v1/academic-years", headers=admin).json()}
    body = {"academic_year_id": years["2025-2026"], "top_year": 3}
    done = client.post("/api/v1/year-end/apply", json=body, headers=admin)
    assert done.status_code == 409 and done.json()["code"] == "year_end_done"
    preview = client.post("/api/v1/year-end/preview", json={**body, "academic_year_id": years["2026-2027"]},
                          headers=admin).json()  # fmt: skip
    assert [(m["from_year"], m["to_year"]) for m in preview["moves"]] == [(1, 2), (2, 3), (3, None)]
    assert preview["promoted"] > 0 and preview["graduated"] > 0
