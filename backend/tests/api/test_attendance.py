from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from backend.tests.api.conftest import Factory


def test_bulk_attendance_upserts_one_course_day(
    client: TestClient, teacher_headers: dict[str, str], make: Factory
) -> None:
    course, students = make.enrolled_class(3, periods_per_day=2)
    body = {
        "course_id": course["id"],
        "date": "2024-10-07",
        "period_number": 2,
        "records": [{"student_id": s["id"], "status": "present"} for s in students],
    }
    first = client.post("/api/v1/attendance/bulk", json=body, headers=teacher_headers)
    assert first.status_code == 200, first.text
    assert (first.json()["created"], first.json()["updated"]) == (3, 0)
    body["records"][1] = {"student_id": students[1]["id"], "status": "absent", "notes": "ill"}
    second = client.post("/api/v1/attendance/bulk", json=body, headers=teacher_headers).json()
    assert (second["created"], second["updated"]) == (0, 3)
    marks = {item["student_id"]: (item["status"], item["notes"]) for item in second["items"]}
    assert marks[students[1]["id"]] == ("absent", "ill")
    listed = client.get(
        "/api/v1/attendance", params={"course_id": course["id"], "status": "absent"}, headers=teacher_headers
    ).json()
    assert [m["student_id"] for m in listed["items"]] == [students[1]["id"]]
    other_day = client.get("/api/v1/attendance", params={"date_from": "2024-10-08"}, headers=teacher_headers)
    assert other_day.json()["total"] == 0

    twice = {**body, "records": [body["records"][0], body["records"][0]]}
    refused = client.post("/api/v1/attendance/bulk", json=twice, headers=teacher_headers)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "records"]
    stranger = {**body, "records": [{"student_id": make.student()["id"], "status": "present"}]}
    not_enrolled = client.post("/api/v1/attendance/bulk", json=stranger, headers=teacher_headers)
    assert not_enrolled.status_code == 400 and not_enrolled.json()["field"] == "records.0.student_id"


def test_single_marks_conflict_and_validation(
    client: TestClient, teacher_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair()
    mark = {"student_id": student["id"], "course_id": course["id"], "date": "2024-10-01", "status": "late"}
    created = client.post("/api/v1/attendance", json=mark, headers=teacher_headers)
    assert created.status_code == 201
    duplicate = client.post("/api/v1/attendance", json=mark, headers=teacher_headers)
    assert duplicate.status_code == 409
    assert duplicate.json()["field"] == "attendance"
    assert duplicate.json()["detail"].startswith("Attendance for this student, course, date and period")
    unknown = client.post("/api/v1/attendance", json={**mark, "status": "sleeping"}, headers=teacher_headers)
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "status"]
    bad_date = client.post("/api/v1/attendance", json={**mark, "date": "yesterday"}, headers=teacher_headers)
    assert bad_date.status_code == 422 and bad_date.json()["detail"][0]["loc"] == ["body", "date"]
    url = f"/api/v1/attendance/{created.json()['id']}"
    assert (
        client.patch(url, json={"status": "excused"}, headers=teacher_headers).json()["status"] == "excused"
    )
    assert client.delete(url, headers=teacher_headers).status_code == 204
    assert client.get(url, headers=teacher_headers).status_code == 404


def test_summary_counts_rate_and_risk(
    client: TestClient, teacher_headers: dict[str, str], make: Factory
) -> None:
    student, course = make.enrolled_pair()
    statuses = ["present"] * 5 + ["late"] + ["absent"] * 3 + ["excused"] * 2
    for day, status in enumerate(statuses, start=1):
        make.post(
            "/attendance",
            {
                "student_id": student["id"],
                "course_id": course["id"],
                "date": f"2024-10-{day:02d}",
                "status": status,
            },
        )
    params = {"student_id": student["id"], "course_id": course["id"]}
    summary = client.get("/api/v1/attendance/summary", params=params, headers=teacher_headers).json()
    assert {k: summary[k] for k in ("present", "absent", "late", "excused", "total")} == {
        "present": 5,
        "absent": 3,
        "late": 1,
        "excused": 2,
        "total": 11,
    }
    # 6 attended of the 9 that count (excused ones do not): 66.67 %, below the default 75.
    assert summary["attendance_rate"] == 66.67
    assert summary["at_risk"] is True
    relaxed = client.get(
        "/api/v1/attendance/summary", params={**params, "threshold": 60}, headers=teacher_headers
    ).json()
    assert relaxed["at_risk"] is False
    empty = make.student()
    nothing = client.get(
        "/api/v1/attendance/summary", params={"student_id": empty["id"]}, headers=teacher_headers
    ).json()
    assert (nothing["total"], nothing["attendance_rate"], nothing["at_risk"]) == (0, None, False)
    missing = client.get("/api/v1/attendance/summary", params={"student_id": 888888}, headers=teacher_headers)
    assert missing.status_code == 404 and missing.json()["field"] == "student_id"


def test_dashboard_summary(client: TestClient, viewer_headers: dict[str, str], make: Factory) -> None:
    today = date.today().isoformat()
    good, course = make.enrolled_pair()
    poor = make.student(first_name="Pat", last_name="Poor")
    make.enroll(poor["id"], course["id"])
    make.post(
        "/attendance/bulk",
        {
            "course_id": course["id"],
            "date": today,
            "records": [
                {"student_id": good["id"], "status": "present"},
                {"student_id": poor["id"], "status": "absent"},
            ],
        },
        expect=200,
    )
    make.course()
    body = client.get("/api/v1/dashboard/summary", headers=viewer_headers).json()
    assert (body["students"], body["courses"], body["enrollments"]) == (2, 2, 2)
    assert body["attendance_today"] == {"present": 1, "absent": 1, "late": 0, "excused": 0}
    assert body["at_risk_students"] == [
        {
            "student_id": poor["id"],
            "student_number": poor["student_id"],
            "name": "Pat Poor",
            "course_id": course["id"],
            "course_code": course["course_code"],
            "attendance_rate": 0.0,
        }
    ]
