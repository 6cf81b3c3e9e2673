from __future__ import annotations

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory

RULES = [{"category": "exam", "weight": 60}, {"category": "homework", "weight": 40}]


def _grade(student: dict, course: dict, **fields: object) -> dict[str, object]:
    return {
        "student_id": student["id"],
        "course_id": course["id"],
        "assignment_name": "A1",
        "category": "exam",
        "grade": 80,
        "max_grade": 100,
        **fields,
    }


def test_grade_crud_and_its_checks(
    client: TestClient, teacher_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair(evaluation_rules=RULES)
    created = client.post(
        "/api/v1/grades", json=_grade(student, course, grade=17.5, max_grade=20), headers=teacher_headers
    )
    assert created.status_code == 201, created.text
    grade = created.json()
    assert (grade["grade"], grade["max_grade"]) == (17.5, 20.0)

    above = client.post(
        "/api/v1/grades", json=_grade(student, course, grade=21, max_grade=20), headers=teacher_headers
    )
    assert above.status_code == 422
    assert above.json()["detail"][0]["loc"] == ["body", "grade"]
    assert above.json()["detail"][0]["code"] == "grade_out_of_range"
    assert above.json()["detail"][0]["params"] == {"field": "grade", "value": 21, "min": 0, "max": 20}
    quiz = client.post(
        "/api/v1/grades", json=_grade(student, course, category="quiz"), headers=teacher_headers
    )
    assert quiz.status_code == 422 and quiz.json()["detail"][0]["loc"] == ["body", "category"]
    assert quiz.json()["detail"][0]["code"] == "grade_category_not_in_rules"
    assert quiz.json()["detail"][0]["params"]["allowed"] == ["exam", "homework"]
    stranger = make.student()
    not_enrolled = client.post("/api/v1/grades", json=_grade(stranger, course), headers=teacher_headers)
    assert not_enrolled.status_code == 422
    assert not_enrolled.json()["detail"][0]["loc"] == ["body", "student_id"]
    assert not_enrolled.json()["detail"][0]["code"] == "student_not_enrolled"

    url = f"/api/v1/grades/{grade['id']}"
    raised = client.patch(url, json={"grade": 25}, headers=teacher_headers)
    assert raised.status_code == 422 and raised.json()["detail"][0]["loc"] == ["body", "grade"]
    assert client.patch(url, json={"grade": 19}, headers=teacher_headers).json()["grade"] == 19.0
    listed = client.get(
        "/api/v1/grades", params={"student_id": student["id"], "q": "a1"}, headers=teacher_headers
    )
    assert [g["id"] for g in listed.json()["items"]] == [grade["id"]]
    assert client.delete(url, headers=teacher_headers).status_code == 204
    assert client.get(url, headers=teacher_headers).status_code == 404


def test_bulk_grades_create_then_update_one_assignment(
    client: TestClient, teacher_headers: dict[str, str], make: Factory
) -> None:
    course, students = make.enrolled_class(3, evaluation_rules=RULES)
    body = {
        "course_id": course["id"],
        "assignment_name": "Midterm",
        "category": "exam",
        "max_grade": 50,
        "date_assigned": "2024-10-15",
        "grades": [{"student_id": s["id"], "grade": 30 + i} for i, s in enumerate(students)],
    }
    first = client.post("/api/v1/grades/bulk", json=body, headers=teacher_headers)
    assert first.status_code == 200, first.text
    assert (first.json()["created"], first.json()["updated"]) == (3, 0)
    body["grades"][0]["grade"] = 45
    second = client.post("/api/v1/grades/bulk", json=body, headers=teacher_headers).json()
    assert (second["created"], second["updated"]) == (0, 3)
    assert {g["grade"] for g in second["items"]} == {45.0, 31.0, 32.0}
    listed = client.get(
        "/api/v1/grades",
        params={"course_id": course["id"], "date_from": "2024-10-01", "date_to": "2024-10-31"},
        headers=teacher_headers,
    ).json()
    assert listed["total"] == 3

    body["grades"][1]["grade"] = 51
    too_high = client.post("/api/v1/grades/bulk", json=body, headers=teacher_headers)
    assert too_high.status_code == 422
    assert too_high.json()["detail"][0]["loc"] == ["body", "grades", 1, "grade"]
    body["grades"][1]["grade"] = 5
    body["grades"].append({"student_id": make.student()["id"], "grade": 1})
    stranger = client.post("/api/v1/grades/bulk", json=body, headers=teacher_headers)
    assert stranger.status_code == 422
    assert [(e["loc"], e["code"]) for e in stranger.json()["detail"]] == [
        (["body", "grades", 3, "student_id"], "student_not_enrolled")
    ]
    # Nothing of the refused posts was written.
    kept = client.get(
        "/api/v1/grades",
        params={"course_id": course["id"], "sort": "grade", "order": "desc"},
        headers=teacher_headers,
    ).json()
    assert [g["grade"] for g in kept["items"]] == [45.0, 32.0, 31.0]


def test_final_grade_weighs_components_and_subtracts_absences(
    client: TestClient, teacher_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair(
        evaluation_rules=RULES, max_grade=20, passing_grade=10, absence_penalty=1.5
    )
    for name, category, grade, max_grade in (
        ("E1", "exam", 80, 100),
        ("E2", "exam", 90, 100),
        ("H1", "homework", 40, 50),
        ("Q1", "Exam", 85, 100),
    ):
        make.post(
            "/grades",
            _grade(
                student, course, assignment_name=name, category=category, grade=grade, max_grade=max_grade
            ),
        )
    for day, status in (
        ("2024-10-01", "absent"),
        ("2024-10-02", "absent"),
        ("2024-10-03", "excused"),
        ("2024-10-04", "late"),
        ("2024-10-05", "present"),
    ):
        make.post(
            "/attendance",
            {"student_id": student["id"], "course_id": course["id"], "date": day, "status": status},
        )
    url = f"/api/v1/students/{student['id']}/courses/{course['id']}/final-grade"
    result = client.get(url, headers=teacher_headers).json()
    assert result["components"] == [
        {
            "category": "exam",
            "weight": 60.0,
            "average_percent": 85.0,
            "contribution": 51.0,
            "grades": 3,
            "missing": False,
        },
        {
            "category": "homework",
            "weight": 40.0,
            "average_percent": 80.0,
            "contribution": 32.0,
            "grades": 1,
            "missing": False,
        },
    ]
    # 83 of 100 is 16.6 of 20; two unexcused absences at 1.5 take 3 off.
    assert result["unexcused_absences"] == 2
    assert result["absence_penalty"] == 3.0
    assert result["final_grade"] == 13.6
    assert (result["max_grade"], result["passed"], result["complete"], result["status"]) == (
        20.0,
        True,
        True,
        "passed",
    )


def test_final_grade_without_rules_and_with_missing_components(
    client: TestClient, teacher_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair(passing_grade=60, absence_penalty=30)
    make.post("/grades", _grade(student, course, grade=70, category="anything"))
    make.post(
        "/attendance",
        {"student_id": student["id"], "course_id": course["id"], "date": "2024-10-01", "status": "absent"},
    )
    url = f"/api/v1/students/{student['id']}/courses/{course['id']}/final-grade"
    result = client.get(url, headers=teacher_headers).json()
    assert result["components"] == [
        {
            "category": "overall",
            "weight": 100.0,
            "average_percent": 70.0,
            "contribution": 70.0,
            "grades": 1,
            "missing": False,
        }
    ]
    assert (result["final_grade"], result["passed"], result["status"]) == (40.0, False, "failed")

    ruled_student, ruled = make.enrolled_pair(evaluation_rules=RULES)
    make.post("/grades", _grade(ruled_student, ruled, grade=100))
    url = f"/api/v1/students/{ruled_student['id']}/courses/{ruled['id']}/final-grade"
    partial = client.get(url, headers=teacher_headers).json()
    assert partial["components"][1] == {
        "category": "homework",
        "weight": 40.0,
        "average_percent": None,
        "contribution": None,
        "grades": 0,
        "missing": True,
    }
    # The exam's 60 points so far; the result waits for homework (neither passed nor failed).
    assert partial["final_grade"] == 60.0
    assert (partial["complete"], partial["missing"], partial["passed"]) == (False, ["homework"], None)
    assert partial["status"] == "incomplete"
    assert (
        client.get(
            f"/api/v1/students/{student['id']}/courses/999999/final-grade", headers=teacher_headers
        ).status_code
        == 404
    )
