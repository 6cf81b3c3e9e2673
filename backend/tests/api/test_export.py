from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory


def _record(make: Factory) -> tuple[dict, dict]:
    student, course = make.enrolled_pair()
    make.post(
        "/grades",
        {
            "student_id": student["id"],
            "course_id": course["id"],
            "assignment_name": "=HYPERLINK()",
            "category": "exam",
            "grade": 8,
            "max_grade": 10,
            "date_assigned": "2024-10-01",
        },
    )
    make.post(
        "/attendance",
        {
            "student_id": student["id"],
            "course_id": course["id"],
            "date": "2024-10-02",
            "status": "late",
            "notes": "bus",
        },
    )
    return student, course


def test_export_as_json(client: TestClient, viewer_headers: dict[str, str], make: Factory) -> None:
    student, course = _record(make)
    response = client.get(f"/api/v1/students/{student['id']}/export", headers=viewer_headers)
    assert response.status_code == 200
    body = response.json()
    assert body["student"]["email"] == student["email"]
    assert [(e["course_code"], e["status"]) for e in body["enrollments"]] == [
        (course["course_code"], "active")
    ]
    assert [(g["assignment_name"], g["grade"]) for g in body["grades"]] == [("=HYPERLINK()", 8.0)]
    assert [(a["date"], a["status"], a["notes"]) for a in body["attendance"]] == [
        ("2024-10-02", "late", "bus")
    ]


def test_export_as_csv(client: TestClient, viewer_headers: dict[str, str], make: Factory) -> None:
    student, course = _record(make)
    response = client.get(
        f"/api/v1/students/{student['id']}/export", params={"format": "csv"}, headers=viewer_headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert f"student-{student['id']}.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    profile = {r["item"]: r["value"] for r in rows if r["section"] == "profile"}
    assert profile["student_id"] == student["student_id"]
    grade = next(r for r in rows if r["section"] == "grade")
    # A formula-looking cell is defused so a spreadsheet shows it as text.
    assert (grade["course_code"], grade["item"], grade["value"]) == (
        course["course_code"],
        "'=HYPERLINK()",
        "8.0",
    )
    attendance = next(r for r in rows if r["section"] == "attendance")
    assert (attendance["date"], attendance["status"], attendance["notes"]) == ("2024-10-02", "late", "bus")
    assert client.get("/api/v1/students/999999/export", headers=viewer_headers).status_code == 404
    bad = client.get(
        f"/api/v1/students/{student['id']}/export", params={"format": "xml"}, headers=viewer_headers
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "format"]
