"""The dashboard counts exactly (at-risk is a COUNT, not a capped list), per term, with "see all"."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from backend.models import AcademicYear, Course, Term
from backend.tests.api.conftest import Factory


def _mark(make: Factory, course: dict[str, Any], day: str, marks: dict[int, str]) -> None:
    records = [{"student_id": sid, "status": status} for sid, status in marks.items()]
    make.post("/attendance/bulk", {"course_id": course["id"], "date": day, "records": records}, expect=200)


def _terms(engine: Engine, *, current: str) -> dict[str, int]:
    """Two terms of one year, ``current`` the current one (the terms API is another helper's)."""
    with Session(engine) as session, session.begin():
        year = AcademicYear(name="2024-2025", starts_on=date(2024, 9, 1), ends_on=date(2025, 8, 31))
        session.add(year)
        session.flush()
        terms = {
            name: Term(
                academic_year_id=year.id, name=name, starts_on=start, ends_on=end, is_current=name == current
            )
            for name, start, end in (
                ("Fall", date(2024, 9, 1), date(2025, 1, 31)),
                ("Spring", date(2025, 2, 1), date(2025, 6, 30)),
            )
        }
        session.add_all(terms.values())
        session.flush()
        return {name: term.id for name, term in terms.items()}


def _place(engine: Engine, course: dict[str, Any], term_id: int) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(Course).where(Course.id == course["id"]).values(term_id=term_id))


def test_at_risk_is_an_exact_count_with_a_paged_see_all(
    client: TestClient, viewer_headers: dict[str, str], make: Factory
) -> None:
    course, students = make.enrolled_class(13)
    day = "2024-10-01"
    # Twelve absent (0 %), one present: twelve pairs at risk, more than the preview shows.
    _mark(make, course, day, {s["id"]: "absent" for s in students[:12]} | {students[12]["id"]: "present"})
    body = client.get("/api/v1/dashboard/summary", headers=viewer_headers).json()
    assert body["at_risk_count"] == 12
    assert len(body["at_risk_students"]) == 10
    page = client.get("/api/v1/dashboard/at-risk", params={"limit": 5, "offset": 10}, headers=viewer_headers)
    assert page.status_code == 200, page.text
    assert page.json()["total"] == 12
    assert [row["student_id"] for row in page.json()["items"]] == [s["id"] for s in students[10:12]]
    everyone = client.get("/api/v1/dashboard/at-risk", params={"limit": 500}, headers=viewer_headers).json()
    assert len(everyone["items"]) == 12 and {r["attendance_rate"] for r in everyone["items"]} == {0.0}
    assert client.get("/api/v1/dashboard/at-risk").status_code == 401


def test_who_counts_as_at_risk(client: TestClient, admin_headers: dict[str, str], make: Factory) -> None:
    course, students = make.enrolled_class(5)
    edge, below, excused, dropped, gone = (s["id"] for s in students)
    days = ["2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04"]
    plan = {
        edge: ["present", "present", "late", "absent"],  # exactly 75 %: not below 75
        below: ["present", "absent", "absent", "late"],  # 50 %
        excused: ["excused", "excused", "excused", "present"],  # excused absences do not count
        dropped: ["absent"] * 4,
        gone: ["absent"] * 4,
    }
    for index, day in enumerate(days):
        _mark(make, course, day, {sid: marks[index] for sid, marks in plan.items()})
    enrollment = client.get(
        "/api/v1/enrollments",
        params={"student_id": dropped, "course_id": course["id"]},
        headers=admin_headers,
    ).json()["items"][0]
    client.patch(f"/api/v1/enrollments/{enrollment['id']}", json={"status": "dropped"}, headers=admin_headers)
    assert client.delete(f"/api/v1/students/{gone}", headers=admin_headers).status_code == 204

    body = client.get("/api/v1/dashboard/summary", headers=admin_headers).json()
    assert body["at_risk_count"] == 1
    assert [(r["student_id"], r["attendance_rate"]) for r in body["at_risk_students"]] == [(below, 50.0)]
    strict = client.get(
        "/api/v1/dashboard/summary", params={"threshold": 75.01}, headers=admin_headers
    ).json()
    assert [r["student_id"] for r in strict["at_risk_students"]] == [below, edge]
    assert strict["at_risk_count"] == 2


def test_figures_per_term_default_to_the_current_term(
    client: TestClient, admin_headers: dict[str, str], make: Factory, engine: Engine
) -> None:
    terms = _terms(engine, current="Spring")
    fall, fall_students = make.enrolled_class(2)
    spring, spring_students = make.enrolled_class(1)
    make.course()  # in no term: counted only with all_terms
    _place(engine, fall, terms["Fall"])
    _place(engine, spring, terms["Spring"])
    _mark(make, fall, "2024-10-01", {s["id"]: "absent" for s in fall_students})
    _mark(make, spring, "2025-03-01", {spring_students[0]["id"]: "absent"})

    current = client.get("/api/v1/dashboard/summary", headers=admin_headers).json()
    assert current["term"] == {"id": terms["Spring"], "name": "Spring"}
    assert (current["courses"], current["enrollments"], current["at_risk_count"]) == (1, 1, 1)
    assert current["students"] == 3  # the school's roll, whatever the term
    autumn = client.get("/api/v1/dashboard/summary", params={"term_id": terms["Fall"]}, headers=admin_headers)
    assert (autumn.json()["courses"], autumn.json()["enrollments"], autumn.json()["at_risk_count"]) == (
        1,
        2,
        2,
    )
    listed = client.get("/api/v1/dashboard/at-risk", params={"term_id": terms["Fall"]}, headers=admin_headers)
    assert {r["course_id"] for r in listed.json()["items"]} == {fall["id"]}
    every = client.get("/api/v1/dashboard/summary", params={"all_terms": True}, headers=admin_headers).json()
    assert (every["term"], every["courses"], every["enrollments"], every["at_risk_count"]) == (None, 3, 3, 3)
    unknown = client.get("/api/v1/dashboard/summary", params={"term_id": 99999}, headers=admin_headers)
    assert unknown.status_code == 404
    assert (unknown.json()["code"], unknown.json()["params"]) == ("term_not_found", {"term_id": 99999})
