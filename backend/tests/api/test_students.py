from __future__ import annotations

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory


def test_create_get_update_and_list_a_student(client: TestClient, admin_headers: dict[str, str], make: Factory) -> None:
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
