"""Attendance dates within the course's term and not ahead; periods the course has."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory


def _item(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    item: dict[str, Any] = response.json()["detail"][0]
    return item


def test_marks_outside_the_term_in_the_future_or_in_a_missing_period_are_refused(
    client: TestClient, teacher_headers: dict[str, str], make: Factory
) -> None:
    year = make.post(
        "/academic-years", {"name": "2024-2025", "starts_on": "2024-09-01", "ends_on": "2025-08-31"}
    )
    fall = make.post(
        "/terms",
        {"academic_year_id": year["id"], "name": "Fall", "starts_on": "2024-09-09", "ends_on": "2025-01-31"},
    )
    course, students = make.enrolled_class(2, term_id=fall["id"], periods_per_day=2)
    student = students[0]["id"]

    def bulk(day: str, period: int = 1) -> Any:
        body = {
            "course_id": course["id"],
            "date": day,
            "period_number": period,
            "records": [{"student_id": s["id"], "status": "present"} for s in students],
        }
        return client.post("/api/v1/attendance/bulk", json=body, headers=teacher_headers)

    before = _item(bulk("2024-09-06"))
    assert (before["code"], before["params"]) == (
        "attendance_date_outside_term",
        {
            "field": "date",
            "date": "2024-09-06",
            "term": "Fall",
            "starts_on": "2024-09-09",
            "ends_on": "2025-01-31",
        },
    )
    assert _item(bulk("2025-02-01"))["code"] == "attendance_date_outside_term"
    third = _item(bulk("2024-10-01", period=3))
    assert (third["code"], third["params"]["periods_per_day"]) == ("period_out_of_range", 2)
    assert bulk("2024-09-09").status_code == 200 and bulk("2025-01-31", period=2).status_code == 200

    single = {"student_id": student, "course_id": course["id"], "status": "absent"}
    outside = client.post(
        "/api/v1/attendance", json={**single, "date": "2025-03-01"}, headers=teacher_headers
    )
    assert _item(outside)["code"] == "attendance_date_outside_term"
    created = client.post(
        "/api/v1/attendance", json={**single, "date": "2024-10-02"}, headers=teacher_headers
    )
    assert created.status_code == 201
    url = f"/api/v1/attendance/{created.json()['id']}"
    moved = client.patch(url, json={"date": "2025-06-01"}, headers=teacher_headers)
    assert _item(moved)["code"] == "attendance_date_outside_term"
    assert _item(client.patch(url, json={"period_number": 5}, headers=teacher_headers))["code"] == (
        "period_out_of_range"
    )
    assert client.get(url, headers=teacher_headers).json()["date"] == "2024-10-02"
    total = client.get("/api/v1/attendance", params={"course_id": course["id"]}, headers=teacher_headers)
    assert total.json()["total"] == 5


def test_a_future_date_is_refused_even_without_a_term(
    client: TestClient, teacher_headers: dict[str, str], make: Factory
) -> None:
    course, students = make.enrolled_class(1)
    ahead = (date.today() + timedelta(days=3)).isoformat()
    body = {
        "course_id": course["id"],
        "date": ahead,
        "records": [{"student_id": students[0]["id"], "status": "present"}],
    }
    refused = _item(client.post("/api/v1/attendance/bulk", json=body, headers=teacher_headers))
    assert (refused["code"], refused["params"]) == (
        "attendance_date_in_future",
        {"field": "date", "date": ahead},
    )
    today = {**body, "date": date.today().isoformat()}
    assert client.post("/api/v1/attendance/bulk", json=today, headers=teacher_headers).status_code == 200
    assert (
        client.get("/api/v1/attendance", params={"date_from": ahead}, headers=teacher_headers).json()["total"]
        == 0
    )
