"""The trash's API: a list of deleted rows only, and a purge preview that counts what an erase
takes, the same counts the purge then reports, on both engines."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory

DAY = "2024-10-01"


def _records(
    client: TestClient, headers: dict[str, str], student: dict[str, Any], course: dict[str, Any]
) -> None:
    """One enrolment, grade, attendance mark, daily score and highlight of the student in the course."""
    pair = {"student_id": student["id"], "course_id": course["id"]}
    posts = [
        ("/grades", {**pair, "assignment_name": "A1", "category": "exam", "grade": 80, "max_grade": 100}),
        ("/attendance", {**pair, "date": DAY, "status": "late"}),
        (
            "/daily-performance",
            {**pair, "date": DAY, "category": "participation", "score": 8, "max_score": 10},
        ),
        (
            "/highlights",
            {
                "student_id": student["id"],
                "semester": "Fall 2024",
                "category": "leadership",
                "highlight_text": "Led the team",
                "date_recorded": DAY,
            },
        ),
    ]
    for path, body in posts:
        response = client.post(f"/api/v1{path}", json=body, headers=headers)
        assert response.status_code == 201, response.text


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["items"]]


def test_only_deleted_lists_the_trash_newest_first(
    client: TestClient, admin_headers: dict[str, str], viewer_headers: dict[str, str], make: Factory
) -> None:
    live, first, second = make.student(), make.student(), make.student()
    course, gone = make.course(), make.course()
    for path in (f"students/{first['id']}", f"students/{second['id']}", f"courses/{gone['id']}"):
        assert client.delete(f"/api/v1/{path}", headers=admin_headers).status_code == 204
    trash = {"only_deleted": True, "sort": "deleted_at", "order": "desc"}
    students = client.get("/api/v1/students", params=trash, headers=admin_headers)
    assert _ids(students) == [second["id"], first["id"]]
    assert students.json()["total"] == 2 and live["id"] not in _ids(students)
    assert _ids(client.get("/api/v1/courses", params=trash, headers=admin_headers)) == [gone["id"]]
    assert course["id"] in _ids(client.get("/api/v1/courses", headers=admin_headers))
    for path in ("/api/v1/students", "/api/v1/courses"):
        peek = client.get(path, params={"only_deleted": True}, headers=viewer_headers)
        assert peek.status_code == 403 and peek.json()["code"] == "deleted_admin_only"


def test_purge_preview_counts_what_the_purge_then_erases(
    client: TestClient, admin_headers: dict[str, str], teacher_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair()
    other = make.student()
    make.enroll(other["id"], course["id"])
    _records(client, teacher_headers, student, course)
    _records(client, teacher_headers, other, course)
    follow_up = make.course(prerequisite_course_id=course["id"])
    student_url, course_url = f"/api/v1/students/{student['id']}", f"/api/v1/courses/{course['id']}"

    live = client.get(f"{student_url}/purge-preview", headers=admin_headers)
    assert live.status_code == 400 and live.json()["code"] == "student_not_deleted"
    assert client.delete(student_url, headers=admin_headers).status_code == 204
    assert client.delete(course_url, headers=admin_headers).status_code == 204
    refused = client.get(f"{student_url}/purge-preview", headers=teacher_headers)
    assert refused.status_code == 403 and refused.json()["code"] == "role_required"

    preview = client.get(f"{student_url}/purge-preview", headers=admin_headers)
    assert preview.status_code == 200, preview.text
    counts = {
        "course_enrollments": 1,
        "grades": 1,
        "attendance": 1,
        "daily_performance": 1,
        "highlights": 1,
        "students": 1,
    }
    assert preview.json() == {"entity_type": "student", "id": student["id"], "would_delete": counts}
    # Counting changes nothing: the same answer twice, and the purge erases exactly that.
    assert client.get(f"{student_url}/purge-preview", headers=admin_headers).json() == preview.json()
    purged = client.delete(f"{student_url}/purge", headers=admin_headers)
    assert purged.status_code == 200 and purged.json()["deleted"] == counts

    course_preview = client.get(f"{course_url}/purge-preview", headers=admin_headers).json()["would_delete"]
    expected = {
        "course_enrollments": 1,
        "grades": 1,
        "attendance": 1,
        "daily_performance": 1,
        "prerequisite_links_cleared": 1,
        "courses": 1,
    }
    assert course_preview == expected
    assert client.delete(f"{course_url}/purge", headers=admin_headers).json()["deleted"] == expected
    assert (
        client.get(f"/api/v1/courses/{follow_up['id']}", headers=admin_headers).json()[
            "prerequisite_course_id"
        ]
        is None
    )
    gone = client.get(f"{course_url}/purge-preview", headers=admin_headers)
    assert gone.status_code == 404 and gone.json()["code"] == "course_not_found"
