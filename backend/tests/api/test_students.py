from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from backend.tests.api.conftest import Factory


def test_create_get_update_and_list_a_student(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    created = make.student(first_name="Ada", last_name="Lovelace", email="Ada@School.Example")
    assert created["email"] == "ada@school.example"
    assert created["deleted_at"] is None
    got = client.get(f"/api/v1/students/{created['id']}", headers=admin_headers).json()
    assert got == created
    patched = client.patch(
        f"/api/v1/students/{created['id']}", json={"study_year": 3, "phone": "+1 555"}, headers=admin_headers
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["study_year"] == 3 and patched.json()["first_name"] == "Ada"
    page = client.get("/api/v1/students", params={"q": "lovel"}, headers=admin_headers).json()
    assert page["total"] == 1 and page["items"][0]["id"] == created["id"]
    assert page["limit"] == 50 and page["offset"] == 0


def test_list_pages_sorts_and_filters(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    made = [
        make.student(last_name=name, study_year=year)
        for name, year in (("beta", 1), ("Alpha", 2), ("gamma", 2))
    ]
    course = make.course()
    make.enroll(made[2]["id"], course["id"])
    client.patch(f"/api/v1/students/{made[0]['id']}", json={"is_active": False}, headers=admin_headers)

    def ids(**params: object) -> list[int]:
        response = client.get("/api/v1/students", params=params, headers=admin_headers)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids(sort="last_name") == [made[1]["id"], made[0]["id"], made[2]["id"]]
    assert ids(sort="last_name", order="desc", limit=2) == [made[2]["id"], made[0]["id"]]
    assert ids(sort="last_name", limit=1, offset=1) == [made[0]["id"]]
    assert ids(is_active=False) == [made[0]["id"]]
    assert ids(study_year=2, sort="id") == [made[1]["id"], made[2]["id"]]
    assert ids(course_id=course["id"]) == [made[2]["id"]]
    page = client.get("/api/v1/students", params={"limit": 1}, headers=admin_headers).json()
    assert page["total"] == 3 and len(page["items"]) == 1


def test_list_refuses_bad_paging_and_sorting(client: TestClient, admin_headers: dict[str, str]) -> None:
    too_many = client.get("/api/v1/students", params={"limit": 501}, headers=admin_headers)
    assert too_many.status_code == 422
    assert too_many.json()["detail"][0]["loc"] == ["query", "limit"]
    bad_sort = client.get("/api/v1/students", params={"sort": "password"}, headers=admin_headers)
    assert bad_sort.status_code == 422
    error = bad_sort.json()["detail"][0]
    assert error["loc"] == ["query", "sort"]
    assert "last_name" in error["msg"]


def test_soft_delete_hides_and_an_admin_restores(
    client: TestClient, admin_headers: dict[str, str], viewer_headers: dict[str, str], make: Factory
) -> None:
    student = make.student()
    url = f"/api/v1/students/{student['id']}"
    assert client.delete(url, headers=admin_headers).status_code == 204
    gone = client.get(url, headers=admin_headers)
    assert gone.status_code == 404
    assert "restore" in gone.json()["detail"]
    assert client.get("/api/v1/students", headers=admin_headers).json()["total"] == 0
    listed = client.get("/api/v1/students", params={"include_deleted": True}, headers=admin_headers).json()
    assert [s["id"] for s in listed["items"]] == [student["id"]]
    assert listed["items"][0]["deleted_at"] is not None
    refused = client.get("/api/v1/students", params={"include_deleted": True}, headers=viewer_headers)
    assert refused.status_code == 403
    assert refused.json()["field"] == "include_deleted"
    # The unique email is still held by the deleted student, and the 409 says so.
    again = client.post(
        "/api/v1/students", json={**_body(student), "student_id": "NEW-1"}, headers=admin_headers
    )
    assert again.status_code == 409
    assert again.json()["field"] == "email" and "deleted" in again.json()["detail"]

    restored = client.post(f"{url}/restore", headers=admin_headers)
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None
    assert client.get(url, headers=admin_headers).status_code == 200
    twice = client.post(f"{url}/restore", headers=admin_headers)
    assert twice.status_code == 400 and "not deleted" in twice.json()["detail"]


def _body(student: dict[str, object]) -> dict[str, object]:
    keys = ("student_id", "first_name", "last_name", "email", "enrollment_date")
    return {key: student[key] for key in keys}


def test_purge_needs_a_soft_delete_first_and_leaves_no_orphans(
    client: TestClient, admin_headers: dict[str, str], make: Factory, engine: Engine
) -> None:
    student, course = make.enrolled_pair()
    make.post(
        "/grades",
        {
            "student_id": student["id"],
            "course_id": course["id"],
            "assignment_name": "Quiz",
            "category": "quiz",
            "grade": 7,
            "max_grade": 10,
        },
    )
    make.post(
        "/attendance",
        {"student_id": student["id"], "course_id": course["id"], "date": "2024-10-01", "status": "present"},
    )
    make.post(
        "/highlights",
        {
            "student_id": student["id"],
            "semester": "Fall",
            "category": "kindness",
            "highlight_text": "Helped a classmate",
            "date_recorded": "2024-10-02",
        },
    )
    url = f"/api/v1/students/{student['id']}"
    early = client.delete(f"{url}/purge", headers=admin_headers)
    assert early.status_code == 400 and "delete it first" in early.json()["detail"]
    client.delete(url, headers=admin_headers)
    # Soft delete kept every child row.
    assert _count(engine, "grades", student["id"]) == 1
    purged = client.delete(f"{url}/purge", headers=admin_headers)
    assert purged.status_code == 200, purged.text
    assert purged.json()["deleted"] == {
        "attendance": 1,
        "grades": 1,
        "daily_performance": 0,
        "highlights": 1,
        "course_enrollments": 1,
        "students": 1,
    }
    for table in ("grades", "attendance", "highlights", "course_enrollments"):
        assert _count(engine, table, student["id"]) == 0
    audit = client.get("/api/v1/audit-log", params={"action": "purge"}, headers=admin_headers).json()
    assert audit["items"][0]["details"]["deleted"]["grades"] == 1
    assert client.get(f"{url}", params={"include_deleted": True}, headers=admin_headers).status_code == 404


def _count(engine: Engine, table: str, student_id: int) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE student_id = :s"), {"s": student_id}
            ).scalar_one()
        )


def test_validation_names_the_field(client: TestClient, admin_headers: dict[str, str], make: Factory) -> None:
    base = {
        "student_id": "V-1",
        "first_name": "A",
        "last_name": "B",
        "email": "v1@school.example",
        "enrollment_date": "2024-09-01",
    }
    cases = [
        ({"email": "not-an-email"}, ["body", "email"]),
        ({"enrollment_date": "2024-02-30"}, ["body", "enrollment_date"]),
        ({"first_name": "   "}, ["body", "first_name"]),
        ({"study_year": 0}, ["body", "study_year"]),
        ({"notes": "nul\x00byte"}, ["body", "notes"]),
        ({"favourite_colour": "blue"}, ["body", "favourite_colour"]),
    ]
    for change, loc in cases:
        response = client.post("/api/v1/students", json={**base, **change}, headers=admin_headers)
        assert response.status_code == 422, (change, response.text)
        assert response.json()["detail"][0]["loc"] == loc
    student = make.student()
    null_name = client.patch(
        f"/api/v1/students/{student['id']}", json={"first_name": None}, headers=admin_headers
    )
    assert null_name.status_code == 422
    assert null_name.json()["detail"][0]["loc"] == ["body", "first_name"]
    assert client.get("/api/v1/students", headers=admin_headers).json()["total"] == 1


def test_missing_and_duplicate_students(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    missing = client.get("/api/v1/students/999999", headers=admin_headers)
    assert missing.status_code == 404
    assert missing.json() == {
        "detail": "Student 999999 does not exist: check the id",
        "field": None,
        "code": "student_not_found",
        "params": {"id": 999999},
    }
    assert (
        client.patch("/api/v1/students/999999", json={"notes": "x"}, headers=admin_headers).status_code == 404
    )
    assert client.get("/api/v1/students/99999999999", headers=admin_headers).status_code == 422
    first = make.student()
    dup_id = client.post(
        "/api/v1/students", json={**_body(first), "email": "other@school.example"}, headers=admin_headers
    )
    assert dup_id.status_code == 409
    assert dup_id.json()["field"] == "student_id"
    assert dup_id.json()["detail"].startswith("Another student already has this student ID")
    second = make.student()
    clash = client.patch(
        f"/api/v1/students/{second['id']}", json={"email": first["email"]}, headers=admin_headers
    )
    assert clash.status_code == 409 and clash.json()["field"] == "email"
    assert (
        client.get(f"/api/v1/students/{second['id']}", headers=admin_headers).json()["email"]
        == second["email"]
    )
