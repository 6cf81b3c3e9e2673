from __future__ import annotations

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory


def test_enroll_list_change_and_remove(
    client: TestClient, admin_headers: dict[str, str], teacher_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.student(), make.course()
    created = client.post(
        "/api/v1/enrollments",
        json={"student_id": student["id"], "course_id": course["id"]},
        headers=teacher_headers,
    )
    assert created.status_code == 201, created.text
    enrollment = created.json()
    assert enrollment["status"] == "active"
    again = client.post(
        "/api/v1/enrollments",
        json={"student_id": student["id"], "course_id": course["id"]},
        headers=teacher_headers,
    )
    assert again.status_code == 409
    assert again.json() == {
        "detail": "This student is already enrolled in this course: change the existing enrollment instead",
        "field": "enrollment",
    }
    listed = client.get("/api/v1/enrollments", params={"student_id": student["id"]}, headers=teacher_headers)
    assert [e["id"] for e in listed.json()["items"]] == [enrollment["id"]]
    assert (
        client.get("/api/v1/enrollments", params={"status": "dropped"}, headers=teacher_headers).json()[
            "total"
        ]
        == 0
    )
    url = f"/api/v1/enrollments/{enrollment['id']}"
    bad_status = client.patch(url, json={"status": "graduated"}, headers=teacher_headers)
    assert bad_status.status_code == 422 and bad_status.json()["detail"][0]["loc"] == ["body", "status"]
    assert (
        client.patch(url, json={"status": "completed"}, headers=teacher_headers).json()["status"]
        == "completed"
    )
    assert client.delete(url, headers=teacher_headers).status_code == 204
    assert client.get(url, headers=teacher_headers).status_code == 404


def test_missing_student_is_named(client: TestClient, admin_headers: dict[str, str], make: Factory) -> None:
    course = make.course()
    response = client.post(
        "/api/v1/enrollments", json={"student_id": 777777, "course_id": course["id"]}, headers=admin_headers
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Student 777777 does not exist: check the id", "field": "student_id"}


def test_prerequisite_must_be_passed(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    basics = make.course(course_code="MATH101", passing_grade=50)
    advanced = make.course(course_code="MATH201", prerequisite_course_id=basics["id"])
    student = make.student(student_id="S-PRE")
    make.enroll(student["id"], basics["id"])
    make.post(
        "/grades",
        {
            "student_id": student["id"],
            "course_id": basics["id"],
            "assignment_name": "Final",
            "category": "exam",
            "grade": 40,
        },
    )
    refused = client.post(
        "/api/v1/enrollments",
        json={"student_id": student["id"], "course_id": advanced["id"]},
        headers=admin_headers,
    )
    assert refused.status_code == 400
    assert refused.json()["field"] == "course_id"
    assert refused.json()["code"] == "prerequisite_not_passed"
    assert refused.json()["params"] == {
        "student": "S-PRE",
        "prerequisite": "MATH101",
        "course": "MATH201",
        "final_grade": 40.0,
        "max_grade": 100.0,
        "passing_grade": 50.0,
        "status": "failed",
    }
    assert (
        client.get("/api/v1/enrollments", params={"course_id": advanced["id"]}, headers=admin_headers).json()[
            "total"
        ]
        == 0
    )
    make.post(
        "/grades",
        {
            "student_id": student["id"],
            "course_id": basics["id"],
            "assignment_name": "Retake",
            "category": "exam",
            "grade": 90,
        },
    )
    make.enroll(student["id"], advanced["id"])
