"""Assigning teachers to courses, and each teacher's "My classes" of the current term."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory


def _user(client: TestClient, make_user: Any, role: str) -> tuple[int, dict[str, str]]:
    headers: dict[str, str] = make_user(client, role)
    return client.get("/api/v1/auth/me", headers=headers).json()["id"], headers


def _item(response: Any) -> dict[str, Any]:
    item: dict[str, Any] = response.json()["detail"][0]
    return item


def test_only_active_teachers_and_admins_can_be_assigned_by_an_admin(
    client: TestClient, admin_headers: dict[str, str], make: Factory, make_user: Any
) -> None:
    teacher_id, teacher = _user(client, make_user, "teacher")
    viewer_id, _ = _user(client, make_user, "viewer")
    admin_id = client.get("/api/v1/auth/me", headers=admin_headers).json()["id"]
    course = make.course(teachers=[])
    url = f"/api/v1/courses/{course['id']}/teachers"
    viewer = client.put(url, json={"user_ids": [teacher_id, viewer_id]}, headers=admin_headers)
    assert viewer.status_code == 422
    assert (_item(viewer)["code"], _item(viewer)["params"]) == (
        "not_a_teacher",
        {"field": "user_ids.1", "user_id": viewer_id},
    )
    missing = client.put(url, json={"user_ids": [999999]}, headers=admin_headers)
    assert _item(missing)["code"] == "not_a_teacher"
    assert client.get(f"/api/v1/courses/{course['id']}", headers=admin_headers).json()["teachers"] == []

    both = client.put(url, json={"user_ids": [teacher_id, admin_id, teacher_id]}, headers=admin_headers)
    assert both.status_code == 200
    assert sorted(t["id"] for t in both.json()["teachers"]) == sorted([teacher_id, admin_id])
    assert {"id", "full_name", "email"} == set(both.json()["teachers"][0])
    assert both.json()["teacher_name"]
    refused = client.put(url, json={"user_ids": [teacher_id]}, headers=teacher)
    assert refused.status_code == 403 and refused.json()["code"] == "role_required"

    client.patch(f"/api/v1/users/{teacher_id}", json={"is_active": False}, headers=admin_headers)
    inactive = client.put(url, json={"user_ids": [teacher_id]}, headers=admin_headers)
    assert _item(inactive)["code"] == "not_a_teacher"
    cleared = client.put(url, json={"user_ids": []}, headers=admin_headers)
    assert cleared.json()["teachers"] == [] and cleared.json()["teacher_name"] is None
    log = client.get("/api/v1/audit-log", params={"action": "set_teachers"}, headers=admin_headers).json()
    assert [entry["details"]["after"]["user_ids"] for entry in log["items"]][:2] == [
        [],
        sorted([teacher_id, admin_id]),
    ]


def test_my_classes_lists_the_current_terms_own_courses_with_counts(
    client: TestClient,
    admin_headers: dict[str, str],
    viewer_headers: dict[str, str],
    make: Factory,
    make_user: Any,
) -> None:
    teacher_id, teacher = _user(client, make_user, "teacher")
    empty = client.get("/api/v1/me/classes", headers=teacher).json()
    assert empty == {"term": None, "items": []}
    year = make.post(
        "/academic-years", {"name": "2026-2027", "starts_on": "2026-09-01", "ends_on": "2027-08-31"}
    )
    fall, spring = (
        make.post("/terms", {"academic_year_id": year["id"], "name": name, "starts_on": s, "ends_on": e})
        for name, s, e in (("Fall", "2026-09-01", "2027-01-31"), ("Spring", "2027-02-01", "2027-06-30"))
    )
    make.post(f"/terms/{fall['id']}/current", {}, expect=200)
    mine, students = make.enrolled_class(3, term_id=fall["id"], teachers=[teacher_id])
    dropped = make.student()
    enrollment = make.enroll(dropped["id"], mine["id"])
    client.patch(f"/api/v1/enrollments/{enrollment['id']}", json={"status": "dropped"}, headers=admin_headers)
    client.delete(f"/api/v1/students/{students[0]['id']}", headers=admin_headers)
    other = make.course(term_id=fall["id"], teachers=[])
    make.course(term_id=spring["id"], teachers=[teacher_id])

    own = client.get("/api/v1/me/classes", headers=teacher).json()
    assert own["term"]["name"] == "Fall"
    assert [(c["id"], c["active_students"]) for c in own["items"]] == [(mine["id"], 2)]
    assert own["items"][0]["teachers"][0]["id"] == teacher_id
    for headers in (admin_headers, viewer_headers):
        every = client.get("/api/v1/me/classes", headers=headers).json()
        assert sorted(c["id"] for c in every["items"]) == sorted([mine["id"], other["id"]])
