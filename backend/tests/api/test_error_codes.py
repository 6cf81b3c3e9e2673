"""Every 422 item carries a stable code and its parameters; the refused value is never echoed."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from backend.api.error_codes import code_of
from backend.tests.api.conftest import Factory


def _items(response: Any) -> list[tuple[list[Any], str, dict[str, Any]]]:
    assert response.status_code == 422, response.text
    return [(item["loc"], item["code"], item["params"]) for item in response.json()["detail"]]


def test_body_errors_are_coded_with_their_parameters(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    short = client.post(
        "/api/v1/users",
        json={"email": "t@school.example", "full_name": "T", "password": "secret", "role": "teacher"},
        headers=admin_headers,
    )
    assert _items(short) == [(["body", "password"], "too_short", {"field": "password", "min_length": 8})]
    assert "secret" not in short.text

    student = {
        "student_id": "S-CODES",
        "first_name": "   ",
        "last_name": "L",
        "email": "no-at-sign",
        "enrollment_date": "2024-13-01",
        "nickname": "x",
    }
    bad = _items(client.post("/api/v1/students", json=student, headers=admin_headers))
    assert (["body", "first_name"], "blank", {"field": "first_name"}) in bad
    assert (["body", "email"], "invalid_email", {"field": "email"}) in bad
    assert (["body", "enrollment_date"], "invalid_date", {"field": "enrollment_date"}) in bad
    assert (["body", "nickname"], "unknown_field", {"field": "nickname"}) in bad

    missing = _items(client.post("/api/v1/courses", json={"course_code": "X"}, headers=admin_headers))
    assert (["body", "course_name"], "required", {"field": "course_name"}) in missing
    weights = _items(
        client.post(
            "/api/v1/courses",
            json={
                "course_code": "W1",
                "course_name": "Weights",
                "semester": "Fall",
                "year": 2024,
                "evaluation_rules": [{"category": "exam", "weight": 70}],
            },
            headers=admin_headers,
        )
    )
    assert weights == [
        (["body", "evaluation_rules"], "rule_weights_total", {"field": "evaluation_rules", "total": 70})
    ]


def test_query_and_path_errors_are_coded(client: TestClient, admin_headers: dict[str, str]) -> None:
    too_many = _items(client.get("/api/v1/students", params={"limit": 501}, headers=admin_headers))
    assert too_many == [(["query", "limit"], "max_value", {"field": "limit", "max": 500})]
    status = _items(client.get("/api/v1/enrollments", params={"status": "graduated"}, headers=admin_headers))
    assert status == [
        (
            ["query", "status"],
            "not_one_of",
            {"field": "status", "allowed": ["active", "completed", "dropped"]},
        )
    ]
    path = _items(client.get("/api/v1/students/0", headers=admin_headers))
    assert path == [(["path", "student_id"], "min_value", {"field": "student_id", "min": 1})]
    word = _items(client.get("/api/v1/students/abc", headers=admin_headers))
    assert word == [(["path", "student_id"], "not_an_integer", {"field": "student_id"})]


def test_nested_rows_and_decimals_are_coded(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    course = make.course()
    body = {
        "course_id": course["id"],
        "assignment_name": "Q",
        "category": "exam",
        "grades": [{"student_id": 1, "grade": 1.234}, {"student_id": "x", "grade": 2}],
    }
    rows = _items(client.post("/api/v1/grades/bulk", json=body, headers=admin_headers))
    assert rows == [
        (
            ["body", "grades", 0, "grade"],
            "too_many_decimals",
            {"field": "grades.0.grade", "decimal_places": 2},
        ),
        (["body", "grades", 1, "student_id"], "not_an_integer", {"field": "grades.1.student_id"}),
    ]


def test_an_unknown_validator_message_falls_back_to_invalid_value() -> None:
    error = {
        "type": "value_error",
        "loc": ("body", "x"),
        "msg": "Value error, odd",
        "ctx": {"error": ValueError("odd")},
    }
    assert code_of(error) == ("invalid_value", {"field": "x"})
