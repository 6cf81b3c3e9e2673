"""Posts that race each other through a real uvicorn: no duplicate row, no 5xx, on both engines.

The bulk pages (grade entry, attendance) post a whole course at once; posts for one course run
one after the other (backend/services/bulk.py), so exactly one of them creates the rows and
every other one updates them. Creating the same student twice at once is a 409, not a 500.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from backend.tests.api.conftest import Factory, LiveServer, live_login

POSTS = 8


def _race(server: LiveServer, headers: dict[str, str], send: Callable[[httpx.Client, int], Any]) -> list[Any]:
    """Run ``send`` from POSTS threads released together; return what each returned."""
    barrier = threading.Barrier(POSTS)
    results: list[Any] = [None] * POSTS

    def worker(index: int) -> None:
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
            barrier.wait()
            results[index] = send(client, index)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(POSTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _class(server: LiveServer, headers: dict[str, str], size: int) -> tuple[dict[str, Any], list[int]]:
    with httpx.Client(base_url=server.url, headers=headers) as client:
        factory = Factory(client, headers)  # type: ignore[arg-type]
        course = factory.course(periods_per_day=2)
        roster = [factory.student()["id"] for _ in range(size)]
        for student_id in roster:
            factory.enroll(student_id, course["id"])
    return course, roster


def _total(server: LiveServer, headers: dict[str, str], path: str, **params: Any) -> int:
    response = httpx.get(f"{server.url}/api/v1{path}", params={"limit": 1, **params}, headers=headers)
    assert response.status_code == 200, response.text
    total: int = response.json()["total"]
    return total


def _created_once(responses: list[httpx.Response], size: int) -> None:
    assert all(r.status_code == 200 for r in responses), [(r.status_code, r.text[:200]) for r in responses]
    counts = sorted((r.json()["created"], r.json()["updated"]) for r in responses)
    # Serialised on the course: the first post creates every row, each later one updates them all.
    assert counts == [(0, size)] * (POSTS - 1) + [(size, 0)]


def _grade_page(course_id: int, roster: list[int], index: int) -> dict[str, Any]:
    grades = [{"student_id": student_id, "grade": 10 + index} for student_id in roster]
    return {"course_id": course_id, "assignment_name": "Quiz 1", "category": "quiz", "grades": grades}


def _attendance_page(course_id: int, roster: list[int], index: int) -> dict[str, Any]:
    status = ("present", "late", "absent")[index % 3]
    marks = [{"student_id": student_id, "status": status} for student_id in roster]
    return {"course_id": course_id, "date": "2024-11-04", "period_number": 2, "records": marks}


@pytest.mark.parametrize(
    ("collection", "entity_type", "page"),
    [("grades", "grade", _grade_page), ("attendance", "attendance", _attendance_page)],
)
def test_parallel_posts_of_one_course_page_write_each_row_once(
    live_server: LiveServer, collection: str, entity_type: str, page: Callable[..., dict[str, Any]]
) -> None:
    headers = live_login(live_server)
    course, roster = _class(live_server, headers, size=5)

    def post(client: httpx.Client, index: int) -> httpx.Response:
        return client.post(f"/api/v1/{collection}/bulk", json=page(course["id"], roster, index))

    _created_once(_race(live_server, headers, post), size=len(roster))
    assert _total(live_server, headers, f"/{collection}", course_id=course["id"]) == len(roster)
    audits = _total(live_server, headers, "/audit-log", action="bulk_upsert", entity_type=entity_type)
    assert audits == POSTS


def test_the_same_student_created_in_parallel_is_one_201_and_the_rest_409(live_server: LiveServer) -> None:
    headers = live_login(live_server)
    body = {
        "student_id": "S-RACE",
        "first_name": "Ada",
        "last_name": "Race",
        "email": "race@school.example",
        "enrollment_date": "2024-09-01",
    }

    def post(client: httpx.Client, _: int) -> httpx.Response:
        return client.post("/api/v1/students", json=body)

    responses = _race(live_server, headers, post)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * (POSTS - 1), [r.text[:200] for r in responses]
    refused = [r.json() for r in responses if r.status_code == 409]
    # Either unique constraint may be the one that refuses; both answer with their field.
    assert {body["field"] for body in refused} <= {"email", "student_id"}
    assert _total(live_server, headers, "/students", q="S-RACE") == 1
