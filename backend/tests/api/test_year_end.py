"""Year-end: preview changes nothing, apply moves students up once per academic year, admins only."""

from __future__ import annotations

import threading
from typing import Any

import httpx
from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory, LiveServer, live_login


def _school(make: Factory) -> tuple[dict[str, Any], dict[int, list[int]]]:
    """A year and active students in study years 1-3 (plus an inactive and a deleted one)."""
    year = make.post(
        "/academic-years", {"name": "2025-2026", "starts_on": "2025-09-01", "ends_on": "2026-08-31"}
    )
    by_year = {n: [make.student(study_year=n)["id"] for _ in range(n)] for n in (1, 2, 3)}
    return year, by_year


def _study_years(client: TestClient, headers: dict[str, str]) -> dict[int, tuple[int, bool]]:
    items = client.get("/api/v1/students", params={"limit": 100}, headers=headers).json()["items"]
    return {s["id"]: (s["study_year"], s["is_active"]) for s in items}


def test_preview_then_apply_once(
    client: TestClient,
    admin_headers: dict[str, str],
    teacher_headers: dict[str, str],
    viewer_headers: dict[str, str],
    make: Factory,
) -> None:
    year, by_year = _school(make)
    inactive = make.student(study_year=1, is_active=False)["id"]
    deleted = make.student(study_year=2)["id"]
    client.delete(f"/api/v1/students/{deleted}", headers=admin_headers)
    body = {"academic_year_id": year["id"], "top_year": 3}
    for headers in (teacher_headers, viewer_headers):
        for step in ("preview", "apply"):
            refused = client.post(f"/api/v1/year-end/{step}", json=body, headers=headers)
            assert refused.status_code == 403 and refused.json()["code"] == "role_required"

    before = _study_years(client, admin_headers)
    preview = client.post("/api/v1/year-end/preview", json=body, headers=admin_headers).json()
    assert preview["moves"] == [
        {"from_year": 1, "to_year": 2, "students": 1},
        {"from_year": 2, "to_year": 3, "students": 2},
        {"from_year": 3, "to_year": None, "students": 3},
    ]
    assert (preview["promoted"], preview["graduated"], preview["applied_at"]) == (3, 3, None)
    assert _study_years(client, admin_headers) == before

    applied = client.post("/api/v1/year-end/apply", json=body, headers=admin_headers)
    assert applied.status_code == 200 and applied.json()["applied_at"]
    after = _study_years(client, admin_headers)
    assert [after[i] for i in by_year[1]] == [(2, True)]
    assert [after[i] for i in by_year[2]] == [(3, True)] * 2
    assert [after[i] for i in by_year[3]] == [(3, False)] * 3
    assert after[inactive] == (1, False)
    deleted_now = client.get(
        f"/api/v1/students/{deleted}", params={"include_deleted": True}, headers=admin_headers
    ).json()
    assert deleted_now["study_year"] == 2

    again = client.post("/api/v1/year-end/apply", json=body, headers=admin_headers)
    assert again.status_code == 409 and again.json()["code"] == "year_end_done"
    assert again.json()["params"]["academic_year"] == "2025-2026"
    assert _study_years(client, admin_headers) == after
    log = client.get("/api/v1/audit-log", params={"action": "year_end"}, headers=admin_headers).json()
    assert log["total"] == 1 and log["items"][0]["details"]["promoted"] == 3


def test_bad_requests_are_coded(client: TestClient, admin_headers: dict[str, str]) -> None:
    missing = client.post(
        "/api/v1/year-end/preview", json={"academic_year_id": 999999, "top_year": 6}, headers=admin_headers
    )
    assert missing.status_code == 404 and missing.json()["code"] == "academic_year_not_found"
    zero = client.post(
        "/api/v1/year-end/apply", json={"academic_year_id": 1, "top_year": 0}, headers=admin_headers
    )
    assert zero.status_code == 422 and zero.json()["detail"][0]["code"] == "min_value"


def test_parallel_applies_move_students_exactly_once(live_server: LiveServer) -> None:
    headers = live_login(live_server)
    with httpx.Client(base_url=live_server.url, headers=headers, timeout=60) as setup:
        factory = Factory(setup, headers)  # type: ignore[arg-type]
        year, by_year = _school(factory)
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def applier() -> None:
        with httpx.Client(base_url=live_server.url, headers=headers, timeout=60) as client:
            barrier.wait()
            body = {"academic_year_id": year["id"], "top_year": 3}
            statuses.append(client.post("/api/v1/year-end/apply", json=body).status_code)

    threads = [threading.Thread(target=applier) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200, 409, 409, 409]
    with httpx.Client(base_url=live_server.url, headers=headers) as client:
        items = client.get("/api/v1/students", params={"limit": 100}).json()["items"]
    assert sorted(s["study_year"] for s in items if s["id"] in by_year[1] + by_year[2]) == [2, 3, 3]
