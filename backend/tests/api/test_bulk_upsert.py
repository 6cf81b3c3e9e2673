"""The bulk posts' answers and audit rows, field by field, and their statements per post.

The attendance and grade pages post a whole course at once (backend/services/bulk.py). These
tests pin what a client and an auditor see: every field of every item (the same as a GET of
that record afterwards), the order of the items, the created/updated counts, which rows get a
new ``updated_at``, and the one audit row's details. They also pin that a post writes its rows
in a fixed number of statements, however many students it lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from backend.tests.api.conftest import Factory


def _audits(client: TestClient, headers: dict[str, str], entity_type: str) -> list[dict[str, Any]]:
    params = {"action": "bulk_upsert", "entity_type": entity_type}
    rows: list[dict[str, Any]] = client.get("/api/v1/audit-log", params=params, headers=headers).json()[
        "items"
    ]
    return rows


def _as_stored(client: TestClient, headers: dict[str, str], collection: str, items: list[Any]) -> None:
    """Each answered item is exactly what a GET of that record returns."""
    for item in items:
        assert client.get(f"/api/v1/{collection}/{item['id']}", headers=headers).json() == item


@contextmanager
def _writes(table: str) -> Iterator[list[str]]:
    """The INSERT and UPDATE statements on ``table`` that run inside the block."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        head = statement.lstrip().upper()
        if head.startswith((f"INSERT INTO {table.upper()} ", f"UPDATE {table.upper()} ")):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def test_bulk_attendance_answer_and_audit(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    course, students = make.enrolled_class(3, periods_per_day=2)
    ids = [s["id"] for s in students]
    day = {"course_id": course["id"], "date": "2024-10-07", "period_number": 2}
    # Posted in reverse: the answer lists the marks by student, the audit row in posted order.
    first_marks = [
        {"student_id": ids[2], "status": "late", "notes": "bus"},
        {"student_id": ids[0], "status": "present"},
    ]
    first = client.post(
        "/api/v1/attendance/bulk", json={**day, "records": first_marks}, headers=admin_headers
    )
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["created"], body["updated"]) == (2, 0)
    assert [(i["student_id"], i["status"], i["notes"]) for i in body["items"]] == [
        (ids[0], "present", None),
        (ids[2], "late", "bus"),
    ]
    for item in body["items"]:
        assert (item["course_id"], item["date"], item["period_number"]) == (course["id"], "2024-10-07", 2)
        assert item["created_at"] and item["updated_at"]
    _as_stored(client, admin_headers, "attendance", body["items"])

    again = [
        {"student_id": ids[1], "status": "absent", "notes": "ill"},
        {"student_id": ids[2], "status": "late", "notes": "bus"},
        {"student_id": ids[0], "status": "excused"},
    ]
    second = client.post("/api/v1/attendance/bulk", json={**day, "records": again}, headers=admin_headers)
    assert second.status_code == 200, second.text
    answer = second.json()
    assert (answer["created"], answer["updated"]) == (1, 2)
    by_student = {i["student_id"]: i for i in answer["items"]}
    assert [i["student_id"] for i in answer["items"]] == sorted(ids)
    assert (by_student[ids[0]]["status"], by_student[ids[0]]["notes"]) == ("excused", None)
    assert (by_student[ids[1]]["status"], by_student[ids[1]]["notes"]) == ("absent", "ill")
    for old in body["items"]:
        new = by_student[old["student_id"]]
        assert (new["id"], new["created_at"]) == (old["id"], old["created_at"])
        # A re-posted mark counts as written now, even the one that did not change.
        assert new["updated_at"] > old["updated_at"]
    _as_stored(client, admin_headers, "attendance", answer["items"])

    audits = _audits(client, admin_headers, "attendance")
    assert [a["entity_id"] for a in audits] == [f"course:{course['id']}:2024-10-07:2"] * 2
    key = {"course_id": course["id"], "date": "2024-10-07", "period_number": 2}
    assert audits[1]["details"] == {**key, "created": [ids[2], ids[0]], "updated": []}
    assert audits[0]["details"] == {
        **key,
        "created": [ids[1]],
        "updated": [
            {"student_id": ids[2], "before": "late", "after": "late"},
            {"student_id": ids[0], "before": "present", "after": "excused"},
        ],
    }


def test_bulk_grades_answer_and_audit(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    rules = [{"category": "Exam", "weight": 100}]
    course, students = make.enrolled_class(3, evaluation_rules=rules, max_grade=20, passing_grade=10)
    ids = [s["id"] for s in students]
    post = {"course_id": course["id"], "assignment_name": "Test 1", "category": "exam"}
    first_grades = [{"student_id": ids[2], "grade": "12.5"}, {"student_id": ids[0], "grade": 20}]
    first = client.post("/api/v1/grades/bulk", json={**post, "grades": first_grades}, headers=admin_headers)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["created"], body["updated"]) == (2, 0)
    # Posted order; the course's scale and the rule's spelling of the category.
    assert [(i["student_id"], i["grade"], i["max_grade"], i["category"]) for i in body["items"]] == [
        (ids[2], 12.5, 20.0, "Exam"),
        (ids[0], 20.0, 20.0, "Exam"),
    ]
    for item in body["items"]:
        assert (item["course_id"], item["assignment_name"], item["weight"]) == (course["id"], "Test 1", 1.0)
        assert (item["date_assigned"], item["date_submitted"], item["notes"]) == (None, None, None)
    _as_stored(client, admin_headers, "grades", body["items"])

    again = [
        {"student_id": ids[0], "grade": "20.00"},
        {"student_id": ids[1], "grade": 7},
        {"student_id": ids[2], "grade": 13},
    ]
    second = client.post("/api/v1/grades/bulk", json={**post, "grades": again}, headers=admin_headers)
    assert second.status_code == 200, second.text
    answer = second.json()
    assert (answer["created"], answer["updated"]) == (1, 2)
    assert [(i["student_id"], i["grade"]) for i in answer["items"]] == [
        (ids[0], 20.0),
        (ids[1], 7.0),
        (ids[2], 13.0),
    ]
    old = {i["student_id"]: i for i in body["items"]}
    assert (answer["items"][0]["id"], answer["items"][2]["id"]) == (old[ids[0]]["id"], old[ids[2]]["id"])
    # A grade posted again unchanged is not rewritten; a changed one is, now.
    assert answer["items"][0]["updated_at"] == old[ids[0]]["updated_at"]
    assert answer["items"][2]["updated_at"] > old[ids[2]]["updated_at"]
    _as_stored(client, admin_headers, "grades", answer["items"])

    audits = _audits(client, admin_headers, "grade")
    assert [a["entity_id"] for a in audits] == [f"course:{course['id']}"] * 2
    key = {"course_id": course["id"], "assignment_name": "Test 1"}
    assert audits[1]["details"] == {**key, "created": [i["id"] for i in body["items"]], "updated": []}
    assert audits[0]["details"] == {
        **key,
        "created": [answer["items"][1]["id"]],
        "updated": [
            {"student_id": ids[0], "before": 20.0, "after": 20.0},
            {"student_id": ids[2], "before": 12.5, "after": 13.0},
        ],
    }


def test_bulk_grades_changes_only_the_given_scale_and_date(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    course, students = make.enrolled_class(2)
    post = {"course_id": course["id"], "assignment_name": "Essay", "category": "homework"}
    grades = [{"student_id": s["id"], "grade": 40} for s in students]
    first = client.post("/api/v1/grades/bulk", json={**post, "grades": grades}, headers=admin_headers).json()
    assert [i["max_grade"] for i in first["items"]] == [100.0, 100.0]
    moved = {**post, "max_grade": 50, "date_assigned": "2024-10-02", "grades": grades}
    second = client.post("/api/v1/grades/bulk", json=moved, headers=admin_headers).json()
    assert (second["created"], second["updated"]) == (0, 2)
    assert [(i["max_grade"], i["date_assigned"]) for i in second["items"]] == [(50.0, "2024-10-02")] * 2
    assert all(
        new["updated_at"] > old["updated_at"]
        for new, old in zip(second["items"], first["items"], strict=True)
    )
    _as_stored(client, admin_headers, "grades", second["items"])


def test_bulk_grades_update_one_of_two_same_named_grades(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair()
    one = {
        "student_id": student["id"],
        "course_id": course["id"],
        "assignment_name": "Quiz",
        "category": "quiz",
    }
    make.post("/grades", {**one, "grade": 10})
    make.post("/grades", {**one, "grade": 11})
    post = {"course_id": course["id"], "assignment_name": "Quiz", "category": "quiz"}
    body = {**post, "grades": [{"student_id": student["id"], "grade": 12}]}
    answer = client.post("/api/v1/grades/bulk", json=body, headers=admin_headers).json()
    assert (answer["created"], answer["updated"]) == (0, 1)
    listed = client.get("/api/v1/grades", params={"course_id": course["id"]}, headers=admin_headers).json()
    assert sorted(g["grade"] for g in listed["items"]) in ([10.0, 12.0], [11.0, 12.0])


def test_bulk_posts_write_in_a_fixed_number_of_statements(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    course, students = make.enrolled_class(6)
    half = students[:3]
    day = {"course_id": course["id"], "date": "2024-10-07"}
    assignment = {"course_id": course["id"], "assignment_name": "Lab", "category": "lab"}

    def post(collection: str, listed: list[dict[str, Any]], grade: int) -> None:
        if collection == "attendance":
            body = {**day, "records": [{"student_id": s["id"], "status": "present"} for s in listed]}
        else:
            body = {**assignment, "grades": [{"student_id": s["id"], "grade": grade} for s in listed]}
        response = client.post(f"/api/v1/{collection}/bulk", json=body, headers=admin_headers)
        assert response.status_code == 200, response.text

    for collection, table in (("attendance", "attendance"), ("grades", "grades")):
        post(collection, half, 5)
        # Three to update, three to insert: one statement each, not one per row.
        with _writes(table) as seen:
            post(collection, students, 6)
        assert len(seen) <= 2, seen
