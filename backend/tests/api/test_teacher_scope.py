"""Teachers write only to the courses they teach, through every write route; admins to all."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory

RULES = [{"category": "exam", "weight": 100}]
DAY = "2024-11-04"


def _teacher(client: TestClient, make_user: Any) -> tuple[int, dict[str, str]]:
    headers: dict[str, str] = make_user(client, "teacher")
    return client.get("/api/v1/auth/me", headers=headers).json()["id"], headers


def _class_with_records(make: Factory, client: TestClient, teacher_id: int) -> dict[str, Any]:
    """A course taught by ``teacher_id`` with one student and one of each record, made by the admin."""
    student, course = make.student(), make.course(teachers=[teacher_id], evaluation_rules=RULES)
    enrollment = make.enroll(student["id"], course["id"])
    ids = {"student": student["id"], "course": course["id"], "enrollment": enrollment["id"]}
    ids["grade"] = make.post(
        "/grades",
        {
            "student_id": student["id"],
            "course_id": course["id"],
            "assignment_name": "Mid",
            "category": "exam",
            "grade": 70,
        },
    )["id"]
    ids["attendance"] = make.post(
        "/attendance",
        {"student_id": student["id"], "course_id": course["id"], "date": DAY, "status": "present"},
    )["id"]
    ids["performance"] = make.post(
        "/daily-performance",
        {"student_id": student["id"], "course_id": course["id"], "date": DAY, "category": "oral", "score": 8},
    )["id"]
    ids["highlight"] = make.post(
        "/highlights",
        {
            "student_id": student["id"],
            "semester": "Fall",
            "category": "leadership",
            "highlight_text": "Led the team",
            "date_recorded": DAY,
        },
    )["id"]
    return ids


def _writes(ids: dict[str, Any], other_student: int) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every write route touching a course's records, aimed at the course in ``ids``."""
    student, course = ids["student"], ids["course"]
    return [
        (
            "POST",
            "/api/v1/grades",
            {
                "student_id": student,
                "course_id": course,
                "assignment_name": "Quiz",
                "category": "exam",
                "grade": 5,
            },
        ),
        (
            "POST",
            "/api/v1/grades/bulk",
            {
                "course_id": course,
                "assignment_name": "Mid",
                "category": "exam",
                "grades": [{"student_id": student, "grade": 1}],
            },
        ),
        ("PATCH", f"/api/v1/grades/{ids['grade']}", {"grade": 1}),
        ("DELETE", f"/api/v1/grades/{ids['grade']}", None),
        (
            "POST",
            "/api/v1/attendance",
            {"student_id": student, "course_id": course, "date": "2024-11-05", "status": "absent"},
        ),
        (
            "POST",
            "/api/v1/attendance/bulk",
            {"course_id": course, "date": DAY, "records": [{"student_id": student, "status": "absent"}]},
        ),
        ("PATCH", f"/api/v1/attendance/{ids['attendance']}", {"status": "absent"}),
        ("DELETE", f"/api/v1/attendance/{ids['attendance']}", None),
        (
            "POST",
            "/api/v1/daily-performance",
            {"student_id": student, "course_id": course, "date": DAY, "category": "oral", "score": 1},
        ),
        ("PATCH", f"/api/v1/daily-performance/{ids['performance']}", {"score": 1}),
        ("DELETE", f"/api/v1/daily-performance/{ids['performance']}", None),
        (
            "POST",
            "/api/v1/highlights",
            {
                "student_id": student,
                "semester": "Fall",
                "category": "x",
                "highlight_text": "Nope",
                "date_recorded": DAY,
            },
        ),
        ("PATCH", f"/api/v1/highlights/{ids['highlight']}", {"highlight_text": "Changed"}),
        ("DELETE", f"/api/v1/highlights/{ids['highlight']}", None),
        # Last: dropping and removing the enrolment takes the student out of the class.
        ("POST", "/api/v1/enrollments", {"student_id": other_student, "course_id": course}),
        ("PATCH", f"/api/v1/enrollments/{ids['enrollment']}", {"status": "dropped"}),
        ("DELETE", f"/api/v1/enrollments/{ids['enrollment']}", None),
    ]


def _snapshot(client: TestClient, headers: dict[str, str], ids: dict[str, Any]) -> list[Any]:
    return [
        client.get(
            f"/api/v1/{path}", params={"course_id": ids["course"], "limit": 100}, headers=headers
        ).json()
        for path in ("grades", "attendance", "daily-performance", "enrollments")
    ] + [client.get(f"/api/v1/highlights/{ids['highlight']}", headers=headers).json()]


def test_a_teacher_cannot_write_to_another_teachers_course_by_any_route(
    client: TestClient, admin_headers: dict[str, str], make: Factory, make_user: Any
) -> None:
    _, mine = _teacher(client, make_user)
    theirs_id, _ = _teacher(client, make_user)
    other = _class_with_records(make, client, theirs_id)
    outsider = make.student()
    before = _snapshot(client, admin_headers, other)
    for method, path, body in _writes(other, outsider["id"]):
        response = client.request(method, path, json=body, headers=mine)
        assert response.status_code == 403, (method, path, response.text)
        expected = "not_your_student" if "highlights" in path else "not_your_course"
        assert response.json()["code"] == expected, (method, path)
    assert _snapshot(client, admin_headers, other) == before


def test_a_teacher_writes_to_their_own_course_by_every_route(
    client: TestClient, make: Factory, make_user: Any
) -> None:
    mine_id, mine = _teacher(client, make_user)
    own = _class_with_records(make, client, mine_id)
    outsider = make.student()
    for method, path, body in _writes(own, outsider["id"]):
        response = client.request(method, path, json=body, headers=mine)
        assert response.status_code in (200, 201, 204), (method, path, response.text)


def test_a_co_teacher_and_an_admin_may_write_and_a_removed_teacher_may_not(
    client: TestClient, admin_headers: dict[str, str], make: Factory, make_user: Any
) -> None:
    first_id, first = _teacher(client, make_user)
    second_id, second = _teacher(client, make_user)
    ids = _class_with_records(make, client, first_id)
    url = f"/api/v1/courses/{ids['course']}/teachers"
    both = client.put(url, json={"user_ids": [first_id, second_id]}, headers=admin_headers)
    assert sorted(t["id"] for t in both.json()["teachers"]) == sorted([first_id, second_id])
    patch = f"/api/v1/grades/{ids['grade']}"
    assert client.patch(patch, json={"grade": 60}, headers=second).status_code == 200
    client.put(url, json={"user_ids": [second_id]}, headers=admin_headers)
    refused = client.patch(patch, json={"grade": 10}, headers=first)
    assert refused.status_code == 403 and refused.json()["params"] == {"course_id": ids["course"]}
    assert client.patch(patch, json={"grade": 65}, headers=admin_headers).status_code == 200
    assert client.get(patch, headers=first).json()["grade"] == 65


def test_ids_that_do_not_exist_are_404_not_403(client: TestClient, make: Factory, make_user: Any) -> None:
    _, mine = _teacher(client, make_user)
    missing_course = client.post(
        "/api/v1/attendance",
        json={"student_id": make.student()["id"], "course_id": 999999, "date": DAY, "status": "present"},
        headers=mine,
    )
    assert missing_course.status_code == 404
    assert client.delete("/api/v1/grades/999999", headers=mine).status_code == 404
