from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory, LiveServer, live_login


def test_enroll_list_change_and_remove(
    client: TestClient, admin_headers: dict[str, str], teacher_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.student(), make.course()
    created = client.post(
        "/api/v1/enrollments",
        json={"student_id": student["id"], "course_id": course["id"]},
        headers=teacher_headers,
    )
    assert created.status_code == 201, created.text
    enrollment = created.json()
    assert enrollment["status"] == "active"
    again = client.post(
        "/api/v1/enrollments",
        json={"student_id": student["id"], "course_id": course["id"]},
        headers=teacher_headers,
    )
    assert again.status_code == 409
    assert (again.json()["field"], again.json()["code"]) == ("enrollment", "already_enrolled")
    assert again.json()["params"] == {
        "student": student["student_id"],
        "course": course["course_code"],
        "status": "active",
    }
    listed = client.get("/api/v1/enrollments", params={"student_id": student["id"]}, headers=teacher_headers)
    assert [e["id"] for e in listed.json()["items"]] == [enrollment["id"]]
    assert (
        client.get("/api/v1/enrollments", params={"status": "dropped"}, headers=teacher_headers).json()[
            "total"
        ]
        == 0
    )
    url = f"/api/v1/enrollments/{enrollment['id']}"
    bad_status = client.patch(url, json={"status": "graduated"}, headers=teacher_headers)
    assert bad_status.status_code == 422 and bad_status.json()["detail"][0]["loc"] == ["body", "status"]
    assert (
        client.patch(url, json={"status": "completed"}, headers=teacher_headers).json()["status"]
        == "completed"
    )
    assert client.delete(url, headers=teacher_headers).status_code == 204
    assert client.get(url, headers=teacher_headers).status_code == 404


def test_missing_student_is_named(client: TestClient, admin_headers: dict[str, str], make: Factory) -> None:
    course = make.course()
    response = client.post(
        "/api/v1/enrollments", json={"student_id": 777777, "course_id": course["id"]}, headers=admin_headers
    )
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Student 777777 does not exist: check the id",
        "field": "student_id",
        "code": "student_not_found",
        "params": {"id": 777777},
    }


def test_prerequisite_must_be_passed(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    basics = make.course(course_code="MATH101", passing_grade=50)
    advanced = make.course(course_code="MATH201", prerequisite_course_id=basics["id"])
    student = make.student(student_id="S-PRE")
    make.enroll(student["id"], basics["id"])
    make.post(
        "/grades",
        {
            "student_id": student["id"],
            "course_id": basics["id"],
            "assignment_name": "Final",
            "category": "exam",
            "grade": 40,
        },
    )
    refused = client.post(
        "/api/v1/enrollments",
        json={"student_id": student["id"], "course_id": advanced["id"]},
        headers=admin_headers,
    )
    assert refused.status_code == 400
    assert refused.json()["field"] == "course_id"
    assert refused.json()["code"] == "prerequisite_not_passed"
    assert refused.json()["params"] == {
        "student": "S-PRE",
        "prerequisite": "MATH101",
        "course": "MATH201",
        "final_grade": 40.0,
        "max_grade": 100.0,
        "passing_grade": 50.0,
        "status": "failed",
    }
    assert (
        client.get("/api/v1/enrollments", params={"course_id": advanced["id"]}, headers=admin_headers).json()[
            "total"
        ]
        == 0
    )
    make.post(
        "/grades",
        {
            "student_id": student["id"],
            "course_id": basics["id"],
            "assignment_name": "Retake",
            "category": "exam",
            "grade": 90,
        },
    )
    make.enroll(student["id"], advanced["id"])


def _bulk(client: Any, headers: dict[str, str], course_id: int, student_ids: list[int]) -> Any:
    return client.post(
        f"/api/v1/courses/{course_id}/enrollments/bulk", json={"student_ids": student_ids}, headers=headers
    )


def test_bulk_enrolment_says_who_was_enrolled_already_there_or_refused(
    client: TestClient, admin_headers: dict[str, str], viewer_headers: dict[str, str], make: Factory
) -> None:
    course = make.course()
    fresh = [make.student() for _ in range(3)]
    already, dropped, inactive, deleted = (make.student() for _ in range(4))
    make.enroll(already["id"], course["id"])
    make.enroll(dropped["id"], course["id"], status="dropped")
    client.patch(f"/api/v1/students/{inactive['id']}", json={"is_active": False}, headers=admin_headers)
    client.delete(f"/api/v1/students/{deleted['id']}", headers=admin_headers)
    ids = [s["id"] for s in fresh] + [already["id"], dropped["id"], inactive["id"], deleted["id"], 999999]
    ids.append(fresh[0]["id"])  # named twice: counted once
    assert _bulk(client, viewer_headers, course["id"], ids).status_code == 403

    response = _bulk(client, admin_headers, course["id"], ids)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["enrolled"], body["reenrolled"], body["already_enrolled"], body["refused"]) == (4, 1, 1, 3)
    assert body["enrolled_ids"] == [s["id"] for s in fresh] + [dropped["id"]]
    assert body["already_enrolled_ids"] == [already["id"]]
    assert [(r["student_id"], r["code"]) for r in body["refusals"]] == [
        (inactive["id"], "student_inactive"),
        (deleted["id"], "student_not_found"),
        (999999, "student_not_found"),
    ]
    active = client.get(
        "/api/v1/enrollments", params={"course_id": course["id"], "status": "active"}, headers=admin_headers
    ).json()
    assert active["total"] == 5
    again = _bulk(client, admin_headers, course["id"], [s["id"] for s in fresh]).json()
    assert (again["enrolled"], again["already_enrolled"]) == (0, 3)
    too_many = _bulk(client, admin_headers, course["id"], list(range(1, 502)))
    assert too_many.status_code == 422 and too_many.json()["detail"][0]["code"] == "too_long"
    missing_course = _bulk(client, admin_headers, 888888, [fresh[0]["id"]])
    assert missing_course.status_code == 404


def test_bulk_enrolment_checks_each_students_prerequisite(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    basics = make.course(passing_grade=50)
    advanced = make.course(prerequisite_course_id=basics["id"])
    passed, failed, untested = (make.student() for _ in range(3))
    for student, grade in ((passed, 80), (failed, 20)):
        make.enroll(student["id"], basics["id"])
        make.post(
            "/grades",
            {
                "student_id": student["id"],
                "course_id": basics["id"],
                "assignment_name": "Final",
                "category": "exam",
                "grade": grade,
            },
        )
    body = _bulk(client, admin_headers, advanced["id"], [passed["id"], failed["id"], untested["id"]]).json()
    assert body["enrolled_ids"] == [passed["id"]]
    refusals = {r["student_id"]: r for r in body["refusals"]}
    assert refusals[failed["id"]]["code"] == "prerequisite_not_passed"
    assert refusals[failed["id"]]["params"]["status"] == "failed"
    assert refusals[untested["id"]]["params"]["status"] == "no_grades"


def test_parallel_bulk_enrolments_of_the_same_students_enroll_each_once(live_server: LiveServer) -> None:
    headers = live_login(live_server)
    with httpx.Client(base_url=live_server.url, headers=headers, timeout=60) as setup:
        factory = Factory(setup, headers)  # type: ignore[arg-type]
        course = factory.course()
        ids = [factory.student()["id"] for _ in range(12)]
    posts = 4
    barrier = threading.Barrier(posts)
    results: list[httpx.Response] = []

    def post(offset: int) -> None:
        # Each post lists the same students, in another order.
        order = ids[offset:] + ids[:offset]
        with httpx.Client(base_url=live_server.url, headers=headers, timeout=60) as client:
            barrier.wait()
            results.append(_bulk(client, headers, course["id"], order))

    threads = [threading.Thread(target=post, args=(i * 3,)) for i in range(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [r.status_code for r in results] == [200] * posts, [r.text[:200] for r in results]
    bodies = [r.json() for r in results]
    assert sum(b["enrolled"] for b in bodies) == len(ids)
    assert sum(b["already_enrolled"] for b in bodies) == len(ids) * (posts - 1)
    with httpx.Client(base_url=live_server.url, headers=headers) as check:
        listed = check.get("/api/v1/enrollments", params={"course_id": course["id"], "limit": 500}).json()
    assert sorted(e["student_id"] for e in listed["items"]) == sorted(ids)


def test_a_drop_is_dated_and_kept_and_the_student_can_come_back(
    client: TestClient, admin_headers: dict[str, str], viewer_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair()
    enrollment = client.get(
        "/api/v1/enrollments", params={"student_id": student["id"]}, headers=admin_headers
    ).json()["items"][0]
    url = f"/api/v1/enrollments/{enrollment['id']}/drop"
    today = date.today()
    future = client.post(
        url,
        json={"dropped_on": (today + timedelta(days=1)).isoformat(), "reason": "Moved"},
        headers=admin_headers,
    )
    assert future.status_code == 422 and future.json()["detail"][0]["code"] == "drop_date_in_future"
    early = client.post(
        url,
        json={"dropped_on": (today - timedelta(days=400)).isoformat(), "reason": "x"},
        headers=admin_headers,
    )
    assert early.status_code == 422 and early.json()["detail"][0]["code"] == "drop_date_before_enrollment"
    blank = client.post(url, json={"reason": "  "}, headers=admin_headers)
    assert blank.status_code == 422 and blank.json()["detail"][0]["code"] == "blank"

    dropped = client.post(url, json={"reason": "Moved to another school"}, headers=admin_headers)
    assert dropped.status_code == 200, dropped.text
    me = client.get("/api/v1/auth/me", headers=admin_headers).json()
    assert (dropped.json()["status"], dropped.json()["dropped_on"]) == ("dropped", today.isoformat())
    assert (dropped.json()["drop_reason"], dropped.json()["dropped_by_user_id"]) == (
        "Moved to another school",
        me["id"],
    )
    twice = client.post(url, json={"reason": "again"}, headers=admin_headers)
    assert twice.status_code == 409
    assert (twice.json()["code"], twice.json()["params"]) == (
        "enrollment_already_dropped",
        {"dropped_on": today.isoformat()},
    )

    back = make.enroll(student["id"], course["id"])
    assert (back["id"], back["status"], back["drop_reason"]) == (
        enrollment["id"],
        "active",
        "Moved to another school",
    )
    trail = client.get(
        "/api/v1/audit-log",
        params={"entity_type": "enrollment", "entity_id": str(enrollment["id"])},
        headers=admin_headers,
    ).json()["items"]
    assert [row["action"] for row in trail] == ["reenroll", "update", "create"]
    assert trail[1]["details"]["after"]["drop_reason"] == "Moved to another school"
    # Teachers and viewers read the history without the (admin-only) audit log.
    history = client.get(f"/api/v1/enrollments/{enrollment['id']}/history", headers=viewer_headers)
    assert history.status_code == 200, history.text
    steps = [(e["action"], e["dropped_on"], e["reason"], e["user_email"]) for e in history.json()]
    assert steps == [
        ("enrolled", None, None, me["email"]),
        ("dropped", today.isoformat(), "Moved to another school", me["email"]),
        ("reenrolled", None, None, me["email"]),
    ]
    bulk_made = make.student()
    _bulk(client, admin_headers, course["id"], [bulk_made["id"]])
    made = client.get("/api/v1/enrollments", params={"student_id": bulk_made["id"]}, headers=admin_headers)
    first = client.get(f"/api/v1/enrollments/{made.json()['items'][0]['id']}/history", headers=viewer_headers)
    assert [e["action"] for e in first.json()] == ["enrolled"]
    assert client.get("/api/v1/enrollments/999999/history", headers=viewer_headers).status_code == 404


def test_the_class_list_shows_each_students_standing(
    client: TestClient, admin_headers: dict[str, str], viewer_headers: dict[str, str], make: Factory
) -> None:
    rules = [{"category": "exam", "weight": 50}, {"category": "homework", "weight": 50}]
    course, students = make.enrolled_class(4, max_grade=20, passing_grade=10, evaluation_rules=rules)
    best, partial, none, gone = students
    for student, category, grade in ((best, "exam", 18), (best, "homework", 20), (partial, "homework", 4)):
        make.post(
            "/grades",
            {
                "student_id": student["id"],
                "course_id": course["id"],
                "assignment_name": category,
                "category": category,
                "grade": grade,
            },
        )
    marks = [
        {"student_id": best["id"], "status": "present"},
        {"student_id": partial["id"], "status": "absent"},
    ]
    make.post(
        "/attendance/bulk", {"course_id": course["id"], "date": "2024-10-01", "records": marks}, expect=200
    )
    enrollment = client.get(
        "/api/v1/enrollments", params={"student_id": gone["id"]}, headers=admin_headers
    ).json()["items"][0]
    client.post(
        f"/api/v1/enrollments/{enrollment['id']}/drop", json={"reason": "Left"}, headers=admin_headers
    )

    url = f"/api/v1/courses/{course['id']}/class-list"
    page = client.get(url, params={"sort": "final_grade", "order": "desc"}, headers=viewer_headers)
    assert page.status_code == 200, page.text
    rows = page.json()["items"]
    assert page.json()["total"] == 4
    # No final grade (none yet, or dropped before any) comes last, whatever the direction.
    assert [r["student_id"] for r in rows[:2]] == [best["id"], partial["id"]]
    rows = rows[:2] + sorted(rows[2:], key=lambda r: r["student_id"] != none["id"])
    assert [r["student_id"] for r in rows[2:]] == [none["id"], gone["id"]]
    top = rows[0]
    assert (top["final_grade"], top["max_grade"], top["standing"], top["passed"]) == (
        19.0,
        20.0,
        "passed",
        True,
    )
    assert (top["attendance_rate"], top["student_number"]) == (100.0, best["student_id"])
    assert (rows[1]["final_grade"], rows[1]["standing"], rows[1]["missing"]) == (2.0, "incomplete", ["exam"])
    assert (rows[1]["passed"], rows[1]["attendance_rate"], rows[1]["unexcused_absences"]) == (None, 0.0, 1)
    assert (rows[2]["final_grade"], rows[2]["standing"], rows[2]["attendance_rate"]) == (
        None,
        "no_grades",
        None,
    )
    assert (rows[3]["status"], rows[3]["drop_reason"]) == ("dropped", "Left")

    active = client.get(
        url, params={"status": "active", "limit": 2, "offset": 2}, headers=viewer_headers
    ).json()
    assert active["total"] == 3 and len(active["items"]) == 1
    found = client.get(url, params={"q": best["student_id"]}, headers=viewer_headers).json()
    assert [r["student_id"] for r in found["items"]] == [best["id"]]
    bad = client.get(url, params={"sort": "email"}, headers=viewer_headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["code"] == "sort_not_allowed"
    assert client.get("/api/v1/courses/777777/class-list", headers=viewer_headers).status_code == 404


def test_a_teacher_enrols_and_drops_only_in_their_own_course(
    client: TestClient, teacher_headers: dict[str, str], make: Factory
) -> None:
    mine = make.course()
    theirs = make.course(teachers=[])
    student = make.student()
    refused = _bulk(client, teacher_headers, theirs["id"], [student["id"]])
    assert refused.status_code == 403 and refused.json()["code"] == "not_your_course"
    other = make.enroll(student["id"], theirs["id"])
    drop = client.post(
        f"/api/v1/enrollments/{other['id']}/drop", json={"reason": "x"}, headers=teacher_headers
    )
    assert drop.status_code == 403 and drop.json()["code"] == "not_your_course"
    assert (
        client.get(f"/api/v1/enrollments/{other['id']}", headers=teacher_headers).json()["status"] == "active"
    )
    allowed = _bulk(client, teacher_headers, mine["id"], [student["id"]])
    assert allowed.status_code == 200 and allowed.json()["enrolled_ids"] == [student["id"]]


def test_parallel_drops_of_one_enrollment_drop_it_once(live_server: LiveServer) -> None:
    headers = live_login(live_server)
    with httpx.Client(base_url=live_server.url, headers=headers, timeout=60) as setup:
        factory = Factory(setup, headers)  # type: ignore[arg-type]
        student = factory.student()
        enrollment = factory.enroll(student["id"], factory.course()["id"])
    posts = 4
    barrier = threading.Barrier(posts)
    statuses: list[int] = []

    def drop(index: int) -> None:
        with httpx.Client(base_url=live_server.url, headers=headers, timeout=60) as client:
            barrier.wait()
            url = f"/api/v1/enrollments/{enrollment['id']}/drop"
            statuses.append(client.post(url, json={"reason": f"reason {index}"}).status_code)

    threads = [threading.Thread(target=drop, args=(i,)) for i in range(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(statuses) == [200] + [409] * (posts - 1)
    with httpx.Client(base_url=live_server.url, headers=headers) as check:
        trail = check.get(
            "/api/v1/audit-log", params={"entity_type": "enrollment", "entity_id": str(enrollment["id"])}
        ).json()["items"]
    assert [row["action"] for row in trail] == ["update", "create"]
