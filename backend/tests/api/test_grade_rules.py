"""Grades that add up: the course's scale, its rules' categories, incomplete finals, audited fixes."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory

RULES = [{"category": "exam", "weight": 60}, {"category": "homework", "weight": 40}]


def _grade(student: dict[str, Any], course: dict[str, Any], **fields: object) -> dict[str, object]:
    return {
        "student_id": student["id"],
        "course_id": course["id"],
        "assignment_name": "A1",
        "category": "exam",
        "grade": 10,
        **fields,
    }


def _final(
    client: TestClient, headers: dict[str, str], student: dict[str, Any], course: dict[str, Any]
) -> Any:
    url = f"/api/v1/students/{student['id']}/courses/{course['id']}/final-grade"
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_grade_is_on_its_course_scale_from_zero_to_max_inclusive(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair(max_grade=20, passing_grade=10, evaluation_rules=RULES)
    top = make.post("/grades", _grade(student, course, grade=20))
    assert top["max_grade"] == 20.0  # the course's scale, not 100
    assert make.post("/grades", _grade(student, course, assignment_name="A2", grade=0))["grade"] == 0.0
    for value in (20.01, -0.01, -5, 120):
        refused = client.post(
            "/api/v1/grades", json=_grade(student, course, grade=value), headers=admin_headers
        )
        assert refused.status_code == 422, refused.text
        [item] = refused.json()["detail"]
        assert item["loc"] == ["body", "grade"] and item["code"] == "grade_out_of_range"
        assert item["params"] == {"field": "grade", "value": value, "min": 0, "max": 20}
    # A grade with its own scale (homework out of 50) is checked against that scale.
    assert make.post("/grades", _grade(student, course, category="homework", grade=50, max_grade=50))
    listed = client.get("/api/v1/grades", params={"course_id": course["id"]}, headers=admin_headers).json()
    assert listed["total"] == 3


def test_a_category_outside_the_rules_is_refused_everywhere(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair(evaluation_rules=RULES)
    single = client.post(
        "/api/v1/grades", json=_grade(student, course, category="quiz"), headers=admin_headers
    )
    assert single.status_code == 422
    assert single.json()["detail"][0]["code"] == "grade_category_not_in_rules"
    assert single.json()["detail"][0]["params"] == {
        "field": "category",
        "category": "quiz",
        "allowed": ["exam", "homework"],
    }
    # "EXAM" is the rule's "exam", stored in the rule's spelling.
    grade = make.post("/grades", _grade(student, course, category="EXAM"))
    assert grade["category"] == "exam"
    patched = client.patch(f"/api/v1/grades/{grade['id']}", json={"category": "quiz"}, headers=admin_headers)
    assert patched.status_code == 422 and patched.json()["detail"][0]["code"] == "grade_category_not_in_rules"
    bulk = client.post(
        "/api/v1/grades/bulk",
        json={
            "course_id": course["id"],
            "assignment_name": "Q",
            "category": "quiz",
            "grades": [{"student_id": student["id"], "grade": 1}],
        },
        headers=admin_headers,
    )
    assert bulk.status_code == 422 and bulk.json()["detail"][0]["loc"] == ["body", "category"]
    assert client.get(f"/api/v1/grades/{grade['id']}", headers=admin_headers).json()["category"] == "exam"


def test_bulk_names_every_wrong_row_and_saves_none(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    course, students = make.enrolled_class(3, max_grade=10, passing_grade=5, evaluation_rules=RULES)
    stranger = make.student()
    rows = [
        {"student_id": students[0]["id"], "grade": 10},
        {"student_id": students[1]["id"], "grade": 10.5},
        {"student_id": stranger["id"], "grade": 3},
        {"student_id": students[0]["id"], "grade": -1},
        {"student_id": students[2]["id"], "grade": 0},
    ]
    body = {"course_id": course["id"], "assignment_name": "Test 1", "category": "exam", "grades": rows}
    refused = client.post("/api/v1/grades/bulk", json=body, headers=admin_headers)
    assert refused.status_code == 422
    assert [(item["loc"][2:], item["code"]) for item in refused.json()["detail"]] == [
        ([1, "grade"], "grade_out_of_range"),
        ([2, "student_id"], "student_not_enrolled"),
        ([3, "student_id"], "duplicate_student"),
        ([3, "grade"], "grade_out_of_range"),
    ]
    listed = client.get("/api/v1/grades", params={"course_id": course["id"]}, headers=admin_headers).json()
    assert listed["total"] == 0
    body["grades"] = [rows[0], rows[4]]
    saved = client.post("/api/v1/grades/bulk", json=body, headers=admin_headers).json()
    assert [(item["grade"], item["max_grade"]) for item in saved["items"]] == [(10.0, 10.0), (0.0, 10.0)]


def test_a_missing_component_leaves_the_final_grade_incomplete_never_passed(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    # Homework alone (40 %) at full marks would reach the pass mark of 8 of 20 if exam counted 0.
    student, course = make.enrolled_pair(max_grade=20, passing_grade=8, evaluation_rules=RULES)
    nothing = _final(client, admin_headers, student, course)
    assert (nothing["final_grade"], nothing["passed"], nothing["status"]) == (None, None, "no_grades")
    assert nothing["missing"] == ["exam", "homework"] and nothing["complete"] is False

    make.post("/grades", _grade(student, course, category="homework", grade=20))
    partial = _final(client, admin_headers, student, course)
    assert partial["final_grade"] == 8.0
    assert (partial["complete"], partial["missing"], partial["passed"]) == (False, ["exam"], None)
    assert partial["status"] == "incomplete"
    exam = partial["components"][0]
    assert (exam["missing"], exam["contribution"], exam["grades"]) == (True, None, 0)

    make.post("/grades", _grade(student, course, assignment_name="Final", grade=0))
    done = _final(client, admin_headers, student, course)
    assert (done["final_grade"], done["complete"], done["passed"], done["status"]) == (
        8.0,
        True,
        True,
        "passed",
    )


def test_grades_of_a_category_the_rules_later_dropped_are_listed_as_uncounted(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair()
    make.post("/grades", _grade(student, course, category="quiz", grade=90))
    changed = client.patch(
        f"/api/v1/courses/{course['id']}",
        json={"evaluation_rules": [{"category": "exam", "weight": 100}]},
        headers=admin_headers,
    )
    assert changed.status_code == 200, changed.text
    result = _final(client, admin_headers, student, course)
    assert result["uncounted_categories"] == ["quiz"]
    assert (result["final_grade"], result["status"]) == (None, "no_grades")


def test_corrections_and_deletions_are_audited_and_staff_only(
    client: TestClient, admin_headers: dict[str, str], viewer_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair(max_grade=20, passing_grade=10)
    grade = make.post("/grades", _grade(student, course, grade=12))
    url = f"/api/v1/grades/{grade['id']}"
    assert client.patch(url, json={"grade": 13}, headers=viewer_headers).status_code == 403
    assert client.delete(url, headers=viewer_headers).status_code == 403
    assert client.patch(url, json={"grade": 14.5}, headers=admin_headers).json()["grade"] == 14.5
    assert client.delete(url, headers=admin_headers).status_code == 204
    assert client.delete(url, headers=admin_headers).status_code == 404
    trail = client.get(
        "/api/v1/audit-log",
        params={"entity_type": "grade", "entity_id": str(grade["id"])},
        headers=admin_headers,
    ).json()["items"]
    assert [row["action"] for row in trail] == ["delete", "update", "create"]
    assert trail[1]["details"] == {"before": {"grade": 12.0}, "after": {"grade": 14.5}}
    assert trail[0]["details"]["before"]["grade"] == 14.5
