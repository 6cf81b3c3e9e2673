from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory


def test_every_write_is_audited_with_before_and_after(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    me = client.get("/api/v1/auth/me", headers=admin_headers).json()
    student = make.student(first_name="Old")
    url = f"/api/v1/students/{student['id']}"
    client.patch(url, json={"first_name": "New"}, headers=admin_headers)
    client.patch(url, json={"first_name": "New"}, headers=admin_headers)  # no change: no row
    client.delete(url, headers=admin_headers)
    client.post(f"{url}/restore", headers=admin_headers)
    rows = client.get(
        "/api/v1/audit-log",
        params={"entity_type": "student", "entity_id": str(student["id"])},
        headers=admin_headers,
    ).json()
    assert [r["action"] for r in rows["items"]] == ["restore", "delete", "update", "create"]
    update = rows["items"][2]
    assert update["details"] == {"before": {"first_name": "Old"}, "after": {"first_name": "New"}}
    assert (update["user_id"], update["user_email"]) == (me["id"], me["email"])
    assert update["ip_address"]
    assert rows["items"][3]["details"]["after"]["email"] == student["email"]
    assert rows["items"][1]["details"]["soft"] is True


def test_audit_filters_and_admin_only(
    client: TestClient, admin_headers: dict[str, str], teacher_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair()
    teacher = client.get("/api/v1/auth/me", headers=teacher_headers).json()
    client.post(
        "/api/v1/attendance/bulk",
        json={
            "course_id": course["id"],
            "date": "2024-10-01",
            "records": [{"student_id": student["id"], "status": "absent"}],
        },
        headers=teacher_headers,
    )
    by_teacher = client.get(
        "/api/v1/audit-log", params={"user_id": teacher["id"]}, headers=admin_headers
    ).json()
    assert [(r["action"], r["entity_type"]) for r in by_teacher["items"]] == [("bulk_upsert", "attendance")]
    assert by_teacher["items"][0]["details"]["created"] == [student["id"]]
    today, tomorrow = date.today(), date.today() + timedelta(days=1)
    assert (
        client.get(
            "/api/v1/audit-log", params={"date_from": tomorrow.isoformat()}, headers=admin_headers
        ).json()["total"]
        == 0
    )
    todays = client.get(
        "/api/v1/audit-log",
        params={"date_from": today.isoformat(), "date_to": today.isoformat(), "action": "create"},
        headers=admin_headers,
    ).json()
    assert {r["entity_type"] for r in todays["items"]} == {"student", "course", "enrollment"}
    refused = client.get("/api/v1/audit-log", headers=teacher_headers)
    assert refused.status_code == 403


def test_each_resource_audits_create_update_and_delete(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair()
    ids = {"student_id": student["id"], "course_id": course["id"]}
    bodies = {
        "grades": ({**ids, "assignment_name": "A", "category": "exam", "grade": 5}, {"grade": 6}),
        "attendance": ({**ids, "date": "2024-10-01", "status": "present"}, {"status": "late"}),
        "daily-performance": ({**ids, "date": "2024-10-01", "category": "oral", "score": 5}, {"score": 6}),
        "highlights": (
            {
                "student_id": student["id"],
                "semester": "Fall",
                "category": "x",
                "highlight_text": "y",
                "date_recorded": "2024-10-01",
            },
            {"rating": 4},
        ),
        "users": (
            {"email": "audited@school.example", "password": "pa55word-audited"},
            {"full_name": "Audited"},
        ),
        "courses": (
            {"course_code": "AUD1", "course_name": "Audited", "semester": "Fall", "year": 2024},
            {"credits": 5},
        ),
    }
    entity = {
        "grades": "grade",
        "attendance": "attendance",
        "daily-performance": "daily_performance",
        "highlights": "highlight",
        "users": "user",
        "courses": "course",
    }
    for resource, (create, update) in bodies.items():
        row = make.post(f"/{resource}", create)
        url = f"/api/v1/{resource}/{row['id']}"
        assert client.patch(url, json=update, headers=admin_headers).status_code == 200
        assert client.delete(url, headers=admin_headers).status_code == 204
        trail = client.get(
            "/api/v1/audit-log",
            params={"entity_type": entity[resource], "entity_id": str(row["id"])},
            headers=admin_headers,
        ).json()
        assert [r["action"] for r in trail["items"]] == ["delete", "update", "create"], resource
        field, value = next(iter(update.items()))
        assert trail["items"][1]["details"]["after"] == {field: value}, resource
