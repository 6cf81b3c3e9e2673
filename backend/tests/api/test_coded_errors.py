"""Every refusal the API can answer carries a stable code the web app words, and none tells a
person to call the API ("POST /api/v1/students/3/restore")."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from backend.api.errors import STATUS_CODES, UNIQUE_CODES, UNIQUE_CONSTRAINTS, VIOLATION_CODES
from backend.services.records import KINDS
from backend.tests.api.conftest import Factory

ROOT = Path(__file__).resolve().parents[3]
RAISED = {
    "ServiceError",
    "NotFound",
    "Conflict",
    "RuleViolation",
    "Forbidden",
    "FieldInvalid",
    "HTTPException",
    "CodedHTTPException",
}
CATALOGUES = [ROOT / "frontend/src/i18n/en.ts", ROOT / "frontend/src/i18n/el.ts"]


def _error_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for folder in ("backend/api", "backend/services"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    func = node.func
                    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                    if name in RAISED:
                        calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return calls


def _codes_in_source() -> set[str]:
    """Every code an error call names, f-string codes expanded over the kinds they take."""
    codes: set[str] = set()
    for _, call in _error_calls():
        for keyword in call.keywords:
            if keyword.arg != "code":
                continue
            if isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                codes.add(keyword.value.value)
            elif isinstance(keyword.value, ast.JoinedStr) and ast.unparse(keyword.value).startswith(
                "f'{kind.entity_type}"
            ):
                tail = "".join(part.value for part in keyword.value.values if isinstance(part, ast.Constant))
                codes.update(kind.entity_type + str(tail) for kind in KINDS.values())
    return codes


def test_every_error_the_code_raises_names_a_code() -> None:
    uncoded = [where for where, call in _error_calls() if not any(k.arg == "code" for k in call.keywords)]
    assert uncoded == []


def test_no_error_sentence_tells_a_person_to_call_the_api() -> None:
    told = []
    for where, call in _error_calls():
        for node in ast.walk(call):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "/api/" in node.value:
                told.append(where)
    told += [name for name, (_, message) in UNIQUE_CONSTRAINTS.items() if "/api/" in message]
    assert told == []


def test_every_code_has_english_and_greek_words() -> None:
    # Records crud.get_row names by label ("Daily performance record" -> ..._not_found).
    labels = ["grade", "enrollment", "user", "highlight", "attendance_record", "daily_performance_record"]
    codes = (
        _codes_in_source()
        | set(UNIQUE_CODES.values())
        | set(VIOLATION_CODES.values())
        | set(STATUS_CODES.values())
        | {f"{label}_not_found" for label in labels}
        | {"value_refused", "value_does_not_fit", "database_unavailable", "database_timeout"}
        | {"database_busy", "http_error"}
        | {f"backup_{kind}" for kind in ("invalid", "not_found", "corrupt", "conflict", "busy")}
        | {"backup_unavailable", "backup_failed"}
    )
    for catalogue in CATALOGUES:
        text = catalogue.read_text(encoding="utf-8")
        worded = set(re.findall(r'"errors\.code\.([a-z_]+)(?:\.[a-z]+)?"', text))
        assert sorted(codes - worded) == [], catalogue.name


def _refusal(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert "/api/" not in body["detail"]
    return body


def _item(response: Any, code: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    (item,) = response.json()["detail"]
    assert item["code"] == code, item
    assert "/api/" not in item["msg"]
    return dict(item["params"])


def test_trash_refusals_are_coded(
    client: TestClient, admin_headers: dict[str, str], viewer_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.student(), make.course()
    live = f"/api/v1/students/{student['id']}"
    _refusal(client.post(f"{live}/restore", headers=admin_headers), 400, "student_not_deleted")
    purge = client.delete(f"/api/v1/courses/{course['id']}/purge", headers=admin_headers)
    _refusal(purge, 400, "course_not_deleted")
    assert client.delete(live, headers=admin_headers).status_code == 204
    gone = _refusal(client.get(live, headers=admin_headers), 404, "student_deleted")
    assert gone["params"] == {"id": student["id"]}
    missing = _refusal(client.get("/api/v1/courses/999999", headers=admin_headers), 404, "course_not_found")
    assert missing["params"] == {"id": 999999}
    _refusal(client.get("/api/v1/grades/999999", headers=admin_headers), 404, "grade_not_found")
    peek = client.get("/api/v1/students", params={"include_deleted": True}, headers=viewer_headers)
    _refusal(peek, 403, "deleted_admin_only")


def test_duplicates_are_coded_per_constraint(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.student(), make.course()
    again = {**{k: student[k] for k in ("first_name", "last_name", "enrollment_date")}}
    taken_id = client.post(
        "/api/v1/students",
        json={**again, "student_id": student["student_id"], "email": "other@school.example"},
        headers=admin_headers,
    )
    assert _refusal(taken_id, 409, "student_id_taken")["params"] == {"field": "student_id"}
    taken_email = client.post(
        "/api/v1/students",
        json={**again, "student_id": "S-OTHER", "email": student["email"]},
        headers=admin_headers,
    )
    assert _refusal(taken_email, 409, "email_taken")["params"] == {"field": "email"}
    code = {"course_code": course["course_code"], "course_name": "Again", "semester": "Fall", "year": 2024}
    taken_code = client.post("/api/v1/courses", json=code, headers=admin_headers)
    assert _refusal(taken_code, 409, "course_code_taken")["params"] == {"field": "course_code"}
    assert client.get("/api/v1/students", headers=admin_headers).json()["total"] == 1


def test_field_refusals_are_coded_with_their_values(
    client: TestClient, admin_headers: dict[str, str], teacher_headers: dict[str, str], make: Factory
) -> None:
    sort = client.get("/api/v1/students", params={"sort": "password"}, headers=admin_headers)
    assert "student_id" in _item(sort, "sort_not_allowed")["allowed"]
    body = {"course_code": "PM1", "course_name": "Pass mark", "semester": "Fall", "year": 2024}
    above = client.post(
        "/api/v1/courses", json={**body, "max_grade": 20, "passing_grade": 25}, headers=admin_headers
    )
    limits = {"field": "passing_grade", "passing_grade": 25, "max_grade": 20}
    assert _item(above, "passing_above_max") == limits
    student, course = make.student(), make.course()
    record = {
        "student_id": student["id"],
        "course_id": course["id"],
        "date": "2024-10-01",
        "category": "participation",
        "score": 8,
        "max_score": 10,
    }
    stranger = client.post("/api/v1/daily-performance", json=record, headers=teacher_headers)
    assert _refusal(stranger, 400, "student_not_enrolled")["params"] == {
        "student": student["student_id"],
        "course": course["course_code"],
    }
    make.enroll(student["id"], course["id"])
    over = client.post("/api/v1/daily-performance", json={**record, "score": 11}, headers=teacher_headers)
    assert _item(over, "score_above_max") == {"field": "score", "score": 11, "max_score": 10}


def test_database_and_backup_refusals_are_coded(
    client: TestClient, admin_headers: dict[str, str], teacher_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair()
    mark = {"student_id": student["id"], "course_id": course["id"], "date": "2024-10-01", "status": "late"}
    assert client.post("/api/v1/attendance", json=mark, headers=teacher_headers).status_code == 201
    twice = client.post("/api/v1/attendance", json=mark, headers=teacher_headers)
    assert _refusal(twice, 409, "attendance_exists")["params"] == {"field": "attendance"}
    backups = "/api/v1/control/backups"
    _refusal(
        client.get(f"{backups}/no-such-backup.db/download", headers=admin_headers), 404, "backup_not_found"
    )
    _refusal(client.get(f"{backups}/..%2Fsecrets/download", headers=admin_headers), 400, "backup_invalid")


def test_unknown_routes_and_methods_are_coded(client: TestClient, admin_headers: dict[str, str]) -> None:
    _refusal(client.get("/api/v1/no-such-thing", headers=admin_headers), 404, "not_found")
    _refusal(client.put("/api/v1/students", headers=admin_headers), 405, "method_not_allowed")
