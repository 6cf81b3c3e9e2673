"""Twenty writers at once through a real uvicorn: every write lands, none errors, on both engines."""

from __future__ import annotations

import threading

import httpx

from backend.tests.api.conftest import Factory, LiveServer, live_login

WRITERS = 20
ROUNDS = 4


def test_twenty_concurrent_writers_all_succeed(live_server: LiveServer) -> None:
    headers = live_login(live_server)
    with httpx.Client(base_url=live_server.url, headers=headers) as setup:
        factory = Factory(setup, headers)  # type: ignore[arg-type]
        course = factory.course()
        roster = [factory.student() for _ in range(WRITERS)]
        for student in roster:
            factory.enroll(student["id"], course["id"])

    barrier = threading.Barrier(WRITERS)
    errors: list[str] = []

    def writer(index: int) -> None:
        with httpx.Client(base_url=live_server.url, headers=headers, timeout=60) as client:
            barrier.wait()
            for round_ in range(ROUNDS):
                created = client.post(
                    "/api/v1/students",
                    json={
                        "student_id": f"W{index:02d}-{round_}",
                        "first_name": "Writer",
                        "last_name": f"N{index}",
                        "email": f"w{index}-{round_}@school.example",
                        "enrollment_date": "2024-09-01",
                    },
                )
                if created.status_code != 201:
                    errors.append(f"student {index}/{round_}: {created.status_code} {created.text[:200]}")
                # Every writer posts the whole class for the same day: the upserts collide on purpose.
                marks = [
                    {"student_id": s["id"], "status": "present" if (s["id"] + index) % 3 else "late"}
                    for s in roster
                ]
                posted = client.post(
                    "/api/v1/attendance/bulk",
                    json={"course_id": course["id"], "date": f"2024-11-{round_ + 1:02d}", "records": marks},
                )
                if posted.status_code != 200:
                    errors.append(f"attendance {index}/{round_}: {posted.status_code} {posted.text[:200]}")

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, "\n".join(errors[:10])

    with httpx.Client(base_url=live_server.url, headers=headers) as client:
        students = client.get("/api/v1/students", params={"limit": 1}).json()["total"]
        marks = client.get("/api/v1/attendance", params={"limit": 1}).json()["total"]
        bulk_audits = client.get("/api/v1/audit-log", params={"action": "bulk_upsert", "limit": 1}).json()[
            "total"
        ]
    assert students == WRITERS + WRITERS * ROUNDS
    assert marks == WRITERS * ROUNDS  # one mark per student and day, however many posts
    assert bulk_audits == WRITERS * ROUNDS
