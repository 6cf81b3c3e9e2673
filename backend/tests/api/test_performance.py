from __future__ import annotations

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory


def test_daily_performance_crud(client: TestClient, teacher_headers: dict[str, str], make: Factory) -> None:
    student, course = make.enrolled_pair()
    body = {
        "student_id": student["id"],
        "course_id": course["id"],
        "date": "2024-10-01",
        "category": "participation",
        "score": 8,
        "max_score": 10,
    }
    created = client.post("/api/v1/daily-performance", json=body, headers=teacher_headers)
    assert created.status_code == 201, created.text
    above = client.post("/api/v1/daily-performance", json={**body, "score": 11}, headers=teacher_headers)
    assert above.status_code == 422 and above.json()["detail"][0]["loc"] == ["body", "score"]
    url = f"/api/v1/daily-performance/{created.json()['id']}"
    assert client.patch(url, json={"max_score": 7}, headers=teacher_headers).status_code == 422
    assert client.patch(url, json={"score": 9.5}, headers=teacher_headers).json()["score"] == 9.5
    listed = client.get(
        "/api/v1/daily-performance",
        params={"course_id": course["id"], "category": "participation"},
        headers=teacher_headers,
    ).json()
    assert listed["total"] == 1
    assert client.delete(url, headers=teacher_headers).status_code == 204
    assert client.get(url, headers=teacher_headers).status_code == 404


def test_highlights_crud(client: TestClient, teacher_headers: dict[str, str], make: Factory) -> None:
    # A teacher writes highlights of the students in their own courses.
    student, _ = make.enrolled_pair()
    body = {
        "student_id": student["id"],
        "semester": "Fall 2024",
        "category": "leadership",
        "rating": 5,
        "highlight_text": "Led the science fair team",
        "date_recorded": "2024-11-02",
    }
    created = client.post("/api/v1/highlights", json=body, headers=teacher_headers)
    assert created.status_code == 201, created.text
    assert (
        client.post("/api/v1/highlights", json={**body, "rating": 6}, headers=teacher_headers).status_code
        == 422
    )
    missing = client.post("/api/v1/highlights", json={**body, "student_id": 999999}, headers=teacher_headers)
    assert missing.status_code == 404 and missing.json()["field"] == "student_id"
    url = f"/api/v1/highlights/{created.json()['id']}"
    patched = client.patch(url, json={"is_positive": False, "rating": None}, headers=teacher_headers).json()
    assert (patched["is_positive"], patched["rating"]) == (False, None)
    found = client.get(
        "/api/v1/highlights", params={"q": "science", "is_positive": False}, headers=teacher_headers
    ).json()
    assert [h["id"] for h in found["items"]] == [created.json()["id"]]
    assert client.delete(url, headers=teacher_headers).status_code == 204
