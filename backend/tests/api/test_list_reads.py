"""The student reads served from columns, not ORM objects: the same bodies, totals and refusals."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory


def _page(client: TestClient, headers: dict[str, str], path: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/api/v1{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_list_get_and_class_list_show_the_body_the_write_returned(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    full = make.student(
        last_name="Zeta",
        date_of_birth="2008-02-29",
        phone="+30 210",
        notes="Allergic to peanuts",
        study_year=4,
    )
    bare = make.student(last_name="Alpha")
    course = make.course()
    make.enroll(full["id"], course["id"])
    assert _page(client, admin_headers, "/students")["items"] == [bare, full]
    assert _page(client, admin_headers, f"/courses/{course['id']}/students")["items"] == [full]
    for student in (full, bare):
        assert client.get(f"/api/v1/students/{student['id']}", headers=admin_headers).json() == student


def test_totals_ride_with_the_page_and_survive_an_empty_one(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    made = [make.student(last_name=f"Total{i}") for i in range(3)]
    page = _page(client, admin_headers, "/students", limit=2, offset=1, sort="last_name")
    assert page["total"] == 3 and [item["id"] for item in page["items"]] == [made[1]["id"], made[2]["id"]]
    past_the_end = _page(client, admin_headers, "/students", limit=2, offset=10)
    assert past_the_end == {"items": [], "total": 3, "limit": 2, "offset": 10}
    nothing = _page(client, admin_headers, "/students", q="no such student")
    assert nothing == {"items": [], "total": 0, "limit": 50, "offset": 0}
    nothing_further = _page(client, admin_headers, "/students", q="no such student", offset=5)
    assert nothing_further == {"items": [], "total": 0, "limit": 50, "offset": 5}
    # A search's wildcards are literal, in the page and in its total alike.
    make.student(last_name="100%_sure")
    literal = _page(client, admin_headers, "/students", q="0%_s")
    assert literal["total"] == 1 and literal["items"][0]["last_name"] == "100%_sure"
    assert _page(client, admin_headers, "/students", q="%", limit=1)["total"] == 1


def test_a_searchs_total_counts_every_hit_not_the_page(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    # On PostgreSQL a search's total is a window over its hits (crud.list_rows): it must count
    # the hits beyond the page, and none of the rows the search left out.
    hits = [make.student(last_name=f"Hitchens{i}") for i in range(5)]
    make.student(last_name="Other")
    make.student(first_name="Nobody")
    page = _page(client, admin_headers, "/students", q="hitch", limit=2, offset=2, sort="last_name")
    assert page["total"] == 5
    assert [item["id"] for item in page["items"]] == [hits[2]["id"], hits[3]["id"]]
    descending = _page(client, admin_headers, "/students", q="HITCH", limit=2, order="desc", sort="last_name")
    assert descending["total"] == 5 and descending["items"][0]["id"] == hits[4]["id"]
    past_the_end = _page(client, admin_headers, "/students", q="hitch", limit=2, offset=6)
    assert past_the_end == {"items": [], "total": 5, "limit": 2, "offset": 6}


def test_trash_and_deleted_reads_keep_their_rules(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    live, gone = make.student(), make.student()
    assert client.delete(f"/api/v1/students/{gone['id']}", headers=admin_headers).status_code == 204
    trash = _page(client, admin_headers, "/students", only_deleted=True)
    assert trash["total"] == 1 and trash["items"][0]["id"] == gone["id"]
    assert trash["items"][0]["deleted_at"] is not None
    assert _page(client, admin_headers, "/students")["items"] == [live]
    assert _page(client, admin_headers, "/students", include_deleted=True)["total"] == 2

    hidden = client.get(f"/api/v1/students/{gone['id']}", headers=admin_headers)
    assert hidden.status_code == 404
    assert hidden.json() == {
        "detail": f"Student {gone['id']} was deleted: an admin can restore it from the trash",
        "field": None,
        "code": "student_deleted",
        "params": {"id": gone["id"]},
    }
    shown = client.get(
        f"/api/v1/students/{gone['id']}", params={"include_deleted": True}, headers=admin_headers
    )
    assert shown.status_code == 200 and shown.json() == trash["items"][0]
    missing = client.get("/api/v1/students/999999", params={"include_deleted": True}, headers=admin_headers)
    assert missing.status_code == 404
    assert missing.json() == {
        "detail": "Student 999999 does not exist: check the id, or list students to find it",
        "field": None,
        "code": "student_not_found",
        "params": {"id": 999999},
    }


def test_teachers_may_not_read_deleted_students(
    client: TestClient, teacher_headers: dict[str, str], make: Factory
) -> None:
    student = make.student()
    for params in ({"include_deleted": True}, {"only_deleted": True}):
        listed = client.get("/api/v1/students", params=params, headers=teacher_headers)
        assert listed.status_code == 403 and listed.json()["code"] == "deleted_admin_only"
    one = client.get(
        f"/api/v1/students/{student['id']}", params={"include_deleted": True}, headers=teacher_headers
    )
    assert one.status_code == 403 and one.json()["code"] == "deleted_admin_only"
