"""Academic years and terms: admin writes, everyone reads, dates checked, one current of each."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError

from backend.models import Term
from backend.tests.api.conftest import Factory, LiveServer, live_login


def _year(
    client: TestClient,
    headers: dict[str, str],
    name: str = "2026-2027",
    starts_on: str = "2026-09-01",
    ends_on: str = "2027-08-31",
) -> Any:
    response = _post_year(client, headers, name, starts_on, ends_on)
    assert response.status_code == 201, response.text
    return response.json()


def _post_year(
    client: TestClient, headers: dict[str, str], name: str, starts: str, ends: str
) -> httpx.Response:
    body = {"name": name, "starts_on": starts, "ends_on": ends}
    return client.post("/api/v1/academic-years", json=body, headers=headers)


def _term(
    client: TestClient, headers: dict[str, str], year_id: int, name: str, starts: str, ends: str
) -> Any:
    response = _post_term(client, headers, year_id, name, starts, ends)
    assert response.status_code == 201, response.text
    return response.json()


def _post_term(
    client: TestClient, headers: dict[str, str], year_id: int, name: str, starts: str, ends: str
) -> httpx.Response:
    body = {"academic_year_id": year_id, "name": name, "starts_on": starts, "ends_on": ends}
    return client.post("/api/v1/terms", json=body, headers=headers)


def _code(response: Any) -> str:
    body = response.json()
    return str(body["detail"][0]["code"] if isinstance(body["detail"], list) else body["code"])


def test_admin_builds_the_calendar_and_everyone_reads_it(
    client: TestClient,
    admin_headers: dict[str, str],
    teacher_headers: dict[str, str],
    viewer_headers: dict[str, str],
) -> None:
    year = _year(client, admin_headers)
    fall = _term(client, admin_headers, year["id"], "Fall", "2026-09-01", "2027-01-31")
    spring = _term(client, admin_headers, year["id"], "Spring", "2027-02-01", "2027-06-30")
    assert fall["academic_year_name"] == "2026-2027" and not fall["is_current"]
    for headers in (teacher_headers, viewer_headers):
        listed = client.get("/api/v1/terms", params={"academic_year_id": year["id"]}, headers=headers)
        assert [t["name"] for t in listed.json()] == ["Spring", "Fall"]
        assert client.get("/api/v1/academic-years", headers=headers).json()[0]["name"] == "2026-2027"
        refused = _post_term(client, headers, year["id"], "X", "2026-09-01", "2026-10-01")
        assert refused.status_code == 403 and refused.json()["code"] == "role_required"
        assert client.post(f"/api/v1/terms/{fall['id']}/current", headers=headers).status_code == 403

    current = client.post(f"/api/v1/terms/{spring['id']}/current", headers=admin_headers)
    assert current.status_code == 200 and current.json()["is_current"]
    years = client.get("/api/v1/academic-years", headers=viewer_headers).json()
    assert years[0]["is_current"]
    client.post(f"/api/v1/terms/{fall['id']}/current", headers=admin_headers)
    flags = {t["name"]: t["is_current"] for t in client.get("/api/v1/terms", headers=admin_headers).json()}
    assert flags == {"Fall": True, "Spring": False}

    renamed = client.patch(f"/api/v1/terms/{fall['id']}", json={"name": "Autumn"}, headers=admin_headers)
    assert renamed.json()["name"] == "Autumn"
    log = client.get("/api/v1/audit-log", params={"entity_type": "term"}, headers=admin_headers).json()
    assert {"create", "update", "set_current"} <= {entry["action"] for entry in log["items"]}


def test_bad_dates_names_and_deletes_are_refused_with_codes(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    backwards = _post_year(client, admin_headers, "Y", "2027-01-01", "2026-01-01")
    assert backwards.status_code == 422 and _code(backwards) == "ends_before_start"
    same_day = _post_year(client, admin_headers, "Y", "2027-01-01", "2027-01-01")
    assert _code(same_day) == "ends_before_start"
    year = _year(client, admin_headers)
    again = _post_year(client, admin_headers, "2026-2027", "2030-01-01", "2030-12-31")
    assert again.status_code == 409 and again.json()["code"] == "academic_year_name_taken"
    outside = _post_term(client, admin_headers, year["id"], "Fall", "2026-08-01", "2026-12-20")
    assert outside.status_code == 422 and _code(outside) == "term_outside_year"
    no_year = _post_term(client, admin_headers, 999999, "Fall", "2026-09-01", "2026-12-20")
    assert no_year.status_code == 404 and no_year.json()["code"] == "academic_year_not_found"
    fall = _term(client, admin_headers, year["id"], "Fall", "2026-09-01", "2027-01-31")
    twice = _post_term(client, admin_headers, year["id"], "Fall", "2026-09-01", "2026-12-01")
    assert twice.status_code == 409 and twice.json()["code"] == "term_name_taken"
    shrink = client.patch(
        f"/api/v1/academic-years/{year['id']}", json={"ends_on": "2026-12-31"}, headers=admin_headers
    )
    assert shrink.status_code == 422 and _code(shrink) == "year_excludes_term"

    course = make.course(term_id=fall["id"])
    assert (course["semester"], course["year"], course["term"]["name"]) == ("Fall", 2026, "Fall")
    busy = client.delete(f"/api/v1/terms/{fall['id']}", headers=admin_headers)
    assert busy.status_code == 409 and busy.json()["code"] == "term_has_courses"
    has_terms = client.delete(f"/api/v1/academic-years/{year['id']}", headers=admin_headers)
    assert has_terms.status_code == 409 and has_terms.json()["code"] == "academic_year_has_terms"
    # Renaming the term renames the course's free-text semester too.
    client.patch(f"/api/v1/terms/{fall['id']}", json={"name": "Autumn"}, headers=admin_headers)
    assert client.get(f"/api/v1/courses/{course['id']}", headers=admin_headers).json()["semester"] == "Autumn"
    spare = _term(client, admin_headers, year["id"], "Summer", "2027-07-01", "2027-08-31")
    assert client.delete(f"/api/v1/terms/{spare['id']}", headers=admin_headers).status_code == 204
    assert client.get("/api/v1/terms", headers=admin_headers).json()[0]["name"] == "Autumn"


def test_courses_take_a_term_and_filter_by_term_year_and_teacher(
    client: TestClient, admin_headers: dict[str, str], teacher_headers: dict[str, str], make: Factory
) -> None:
    year = _year(client, admin_headers)
    fall = _term(client, admin_headers, year["id"], "Fall", "2026-09-01", "2027-01-31")
    spring = _term(client, admin_headers, year["id"], "Spring", "2027-02-01", "2027-06-30")
    other_year = _year(client, admin_headers, name="2027-2028", starts_on="2027-09-01", ends_on="2028-08-31")
    later = _term(client, admin_headers, other_year["id"], "Fall", "2027-09-01", "2028-01-31")
    teacher_id = make.teachers[0]
    mine = make.course(term_id=fall["id"])
    theirs = make.course(term_id=spring["id"], teachers=[])
    make.course(term_id=later["id"], teachers=[])
    no_term = client.post(
        "/api/v1/courses", json={"course_code": "NT", "course_name": "No term"}, headers=admin_headers
    )
    assert no_term.status_code == 422 and _code(no_term) == "term_required"
    missing = client.post(
        "/api/v1/courses",
        json={"course_code": "NT", "course_name": "No term", "term_id": 999999},
        headers=admin_headers,
    )
    assert missing.status_code == 404 and missing.json()["code"] == "term_not_found"

    def codes(**params: Any) -> list[str]:
        found = client.get("/api/v1/courses", params=params, headers=teacher_headers).json()["items"]
        return sorted(c["course_code"] for c in found)

    assert codes(term_id=fall["id"]) == [mine["course_code"]]
    assert codes(academic_year_id=year["id"]) == sorted([mine["course_code"], theirs["course_code"]])
    assert codes(teacher_id=teacher_id) == [mine["course_code"]]
    assert mine["teachers"][0]["id"] == teacher_id and theirs["teachers"] == []

    moved = client.patch(
        f"/api/v1/courses/{theirs['id']}", json={"term_id": later["id"]}, headers=admin_headers
    )
    assert (moved.json()["year"], moved.json()["term_id"]) == (2027, later["id"])
    # A course in a term keeps the term's semester whatever free text is sent.
    kept = client.patch(
        f"/api/v1/courses/{theirs['id']}", json={"semester": "Whatever"}, headers=admin_headers
    )
    assert kept.json()["semester"] == "Fall"


def test_parallel_set_current_leaves_exactly_one_current(live_server: LiveServer) -> None:
    headers = live_login(live_server)
    with httpx.Client(base_url=live_server.url, headers=headers, timeout=60) as setup:
        year = setup.post(
            "/api/v1/academic-years",
            json={"name": "2026-2027", "starts_on": "2026-09-01", "ends_on": "2027-08-31"},
        ).json()
        term_ids = [
            setup.post(
                "/api/v1/terms",
                json={
                    "academic_year_id": year["id"],
                    "name": f"T{i}",
                    "starts_on": f"2026-{9 + i:02d}-01",
                    "ends_on": f"2026-{9 + i:02d}-20",
                },
            ).json()["id"]
            for i in range(4)
        ]
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def setter(index: int) -> None:
        with httpx.Client(base_url=live_server.url, headers=headers, timeout=60) as client:
            barrier.wait()
            statuses.append(client.post(f"/api/v1/terms/{term_ids[index % 4]}/current").status_code)

    threads = [threading.Thread(target=setter, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * 8
    with httpx.Client(base_url=live_server.url, headers=headers) as client:
        current = [t for t in client.get("/api/v1/terms").json() if t["is_current"]]
    assert len(current) == 1


def test_setting_another_year_current_clears_the_current_term_and_the_database_allows_one(
    client: TestClient, admin_headers: dict[str, str], engine: Engine
) -> None:
    first = _year(client, admin_headers)
    second = _year(client, admin_headers, name="2027-2028", starts_on="2027-09-01", ends_on="2028-08-31")
    fall = _term(client, admin_headers, first["id"], "Fall", "2026-09-01", "2027-01-31")
    spring = _term(client, admin_headers, first["id"], "Spring", "2027-02-01", "2027-06-30")
    client.post(f"/api/v1/terms/{fall['id']}/current", headers=admin_headers)
    switched = client.post(f"/api/v1/academic-years/{second['id']}/current", headers=admin_headers)
    assert switched.status_code == 200 and switched.json()["is_current"]
    assert [t for t in client.get("/api/v1/terms", headers=admin_headers).json() if t["is_current"]] == []
    years = {
        y["name"]: y["is_current"] for y in client.get("/api/v1/academic-years", headers=admin_headers).json()
    }
    assert years == {"2026-2027": False, "2027-2028": True}
    # The partial unique index refuses a second current term even to a writer that skips the service.
    client.post(f"/api/v1/terms/{fall['id']}/current", headers=admin_headers)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(update(Term).where(Term.id == spring["id"]).values(is_current=True))
