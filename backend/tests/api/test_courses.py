from __future__ import annotations

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory

RULES = [{"category": "exam", "weight": 60}, {"category": "homework", "weight": 40}]


def test_course_with_rules_round_trips(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    course = make.course(evaluation_rules=RULES, max_grade=20, passing_grade=10, absence_penalty=0.5)
    assert course["evaluation_rules"] == [
        {"category": "exam", "weight": 60.0},
        {"category": "homework", "weight": 40.0},
    ]
    assert (course["max_grade"], course["passing_grade"], course["absence_penalty"]) == (20.0, 10.0, 0.5)
    patched = client.patch(
        f"/api/v1/courses/{course['id']}", json={"evaluation_rules": None}, headers=admin_headers
    )
    assert patched.status_code == 200 and patched.json()["evaluation_rules"] is None
    page = client.get(
        "/api/v1/courses", params={"q": course["course_code"].lower()}, headers=admin_headers
    ).json()
    assert [c["id"] for c in page["items"]] == [course["id"]]


def test_evaluation_rules_and_scale_are_validated(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    base = {"course_code": "VAL1", "course_name": "Validation", "semester": "Fall", "year": 2024}
    cases = [
        (
            {"evaluation_rules": [{"category": "exam", "weight": 60}, {"category": "hw", "weight": 30}]},
            ["body", "evaluation_rules"],
            "add up to 90",
        ),
        (
            {"evaluation_rules": [{"category": "exam", "weight": 120}]},
            ["body", "evaluation_rules", 0, "weight"],
            "",
        ),
        (
            {"evaluation_rules": [{"category": "exam", "weight": -5}, {"category": "hw", "weight": 105}]},
            ["body", "evaluation_rules", 0, "weight"],
            "",
        ),
        (
            {"evaluation_rules": [{"category": "exam", "weight": 50}, {"category": "Exam", "weight": 50}]},
            ["body", "evaluation_rules"],
            "only once",
        ),
        ({"passing_grade": 60, "max_grade": 50}, ["body", "passing_grade"], "above max_grade"),
        ({"absence_penalty": -1}, ["body", "absence_penalty"], ""),
        ({"max_grade": 12.345}, ["body", "max_grade"], ""),
    ]
    for change, loc, words in cases:
        response = client.post("/api/v1/courses", json={**base, **change}, headers=admin_headers)
        assert response.status_code == 422, (change, response.text)
        error = response.json()["detail"][0]
        assert error["loc"] == loc and words in error["msg"]
    course = make.course(max_grade=20, passing_grade=10)
    lowered = client.patch(f"/api/v1/courses/{course['id']}", json={"max_grade": 5}, headers=admin_headers)
    assert lowered.status_code == 422
    assert lowered.json()["detail"][0]["loc"] == ["body", "passing_grade"]
    assert client.get(f"/api/v1/courses/{course['id']}", headers=admin_headers).json()["max_grade"] == 20.0


def test_duplicate_code_and_prerequisite_rules(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    first = make.course()
    duplicate = client.post(
        "/api/v1/courses",
        json={"course_code": first["course_code"], "course_name": "X", "semester": "Fall", "year": 2024},
        headers=admin_headers,
    )
    assert duplicate.status_code == 409 and duplicate.json()["field"] == "course_code"
    second = make.course(prerequisite_course_id=first["id"])
    cycle = client.patch(
        f"/api/v1/courses/{first['id']}", json={"prerequisite_course_id": second["id"]}, headers=admin_headers
    )
    assert cycle.status_code == 400 and cycle.json()["field"] == "prerequisite_course_id"
    itself = client.patch(
        f"/api/v1/courses/{first['id']}", json={"prerequisite_course_id": first["id"]}, headers=admin_headers
    )
    assert itself.status_code == 400
    missing = client.patch(
        f"/api/v1/courses/{first['id']}", json={"prerequisite_course_id": 424242}, headers=admin_headers
    )
    assert missing.status_code == 404 and missing.json()["field"] == "prerequisite_course_id"


def test_course_students_soft_delete_and_purge(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair()
    dropped = make.student()
    enrollment = make.enroll(dropped["id"], course["id"])
    client.patch(f"/api/v1/enrollments/{enrollment['id']}", json={"status": "dropped"}, headers=admin_headers)
    roster = client.get(f"/api/v1/courses/{course['id']}/students", headers=admin_headers).json()
    assert [s["id"] for s in roster["items"]] == [student["id"]]
    dropped_roster = client.get(
        f"/api/v1/courses/{course['id']}/students", params={"status": "dropped"}, headers=admin_headers
    ).json()
    assert [s["id"] for s in dropped_roster["items"]] == [dropped["id"]]

    url = f"/api/v1/courses/{course['id']}"
    assert client.delete(url, headers=admin_headers).status_code == 204
    assert client.get(url, headers=admin_headers).status_code == 404
    assert client.get("/api/v1/courses", headers=admin_headers).json()["total"] == 0
    refused = client.post(
        "/api/v1/enrollments",
        json={"student_id": make.student()["id"], "course_id": course["id"]},
        headers=admin_headers,
    )
    assert refused.status_code == 404 and refused.json()["field"] == "course_id"
    assert client.post(f"{url}/restore", headers=admin_headers).status_code == 200
    client.delete(url, headers=admin_headers)
    purged = client.delete(f"{url}/purge", headers=admin_headers)
    assert purged.status_code == 200
    assert purged.json()["deleted"]["course_enrollments"] == 2
    assert client.get("/api/v1/enrollments", headers=admin_headers).json()["total"] == 0
