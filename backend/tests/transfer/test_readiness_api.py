"""POST /api/v1/control/migration-readiness on both engines."""

from __future__ import annotations

import sqlite3

from fastapi.testclient import TestClient

from backend.config import Settings

PATH = "/api/v1/control/migration-readiness"


def test_readiness_needs_an_admin(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    assert client.post(PATH).status_code == 401
    assert client.post(PATH, headers=make_user(client, "teacher")).status_code == 403
    assert client.post(PATH, headers=make_user(client, "viewer")).status_code == 403


def test_readiness_reports_the_live_sqlite_data_or_refuses_on_postgres(
    client: TestClient, admin_headers: dict[str, str], db_kind: str, settings: Settings
) -> None:
    response = client.post(PATH, headers=admin_headers)
    if db_kind == "postgresql":
        assert response.status_code == 409
        assert response.json()["detail"] == "The app already runs on PostgreSQL; there is nothing to migrate."
        return
    assert response.status_code == 200, response.text
    body = response.json()
    path = str(settings.database.sqlite_path)
    assert body["engine"] == "sqlite" and body["source"] == path
    assert body["ready"] is True and body["problems_total"] == 0
    tables = {t["name"]: t for t in body["tables"]}
    assert tables["users"]["rows"] == 1 and tables["users"]["problems"] == []
    assert set(tables) >= {"students", "courses", "grades", "attendance"}
    dry_run, migrate = body["next_commands"]
    assert dry_run.startswith("python -m backend.scripts.migrate_sqlite_to_postgres --sqlite-path ")
    assert path in dry_run and dry_run.endswith("--dry-run --skip-migrations")
    assert "postgresql+psycopg://user:pass@host:5432/dbname" in migrate and "--dry-run" not in migrate


def test_readiness_names_what_blocks_the_move_and_changes_nothing(
    client: TestClient, admin_headers: dict[str, str], db_kind: str, settings: Settings
) -> None:
    if db_kind == "postgresql":
        assert client.post(PATH, headers=admin_headers).status_code == 409
        return
    path = settings.database.sqlite_path
    assert path is not None
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute(
            "INSERT INTO attendance (id, student_id, course_id, date, status, period_number, created_at,"
            " updated_at) VALUES (7, 41, 42, '2025-13-01', 'sick', 1, '2025-09-01 00:00:00',"
            " '2025-09-01 00:00:00')"
        )
    before = path.read_bytes()
    body = client.post(PATH, headers=admin_headers).json()
    assert path.read_bytes() == before
    assert body["ready"] is False
    attendance = next(t for t in body["tables"] if t["name"] == "attendance")
    kinds = {(p["kind"], p["column"]) for p in attendance["problems"]}
    assert {("bad_date", "date"), ("not_in_enum", "status")} <= kinds
    assert ("orphan", "student_id") in kinds and ("orphan", "course_id") in kinds
    problem = next(p for p in attendance["problems"] if p["kind"] == "not_in_enum")
    assert (
        problem["primary_key"] == {"id": 7}
        and problem["value"] == "'sick'"
        and "present" in problem["message"]
    )
    assert attendance["problem_count"] == body["problems_total"] == 4
