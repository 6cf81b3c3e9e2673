"""Control Panel backups through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL, Engine, select, text
from sqlalchemy.orm import Session

from backend.config import Settings
from backend.db import migrations
from backend.main import create_app
from backend.models import Student
from backend.tests.backup.conftest import BACKUPS, add_student, all_rows, change_everything, seed
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, TEST_SECRET_KEY, login, make_settings


def create(client: TestClient, headers: dict[str, str]) -> dict[str, object]:
    response = client.post(BACKUPS, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def backup_dir(settings: Settings) -> Path:
    return settings.resolve_path(settings.BACKUP_DIR)


def test_backup_change_restore_gives_back_exactly_the_backed_up_data(
    client: TestClient, admin_headers: dict[str, str], engine: Engine, settings: Settings, db_kind: str
) -> None:
    seed(engine)
    before = all_rows(engine)
    made = create(client, admin_headers)

    name = str(made["name"])
    path = backup_dir(settings) / name
    assert made["engine"] == db_kind
    assert made["schema_revision"] == migrations.head_revision()
    assert made["size_bytes"] == path.stat().st_size
    assert made["checksum"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert made["row_counts"] == {table: len(rows) for table, rows in before.items()}
    meta = json.loads((backup_dir(settings) / f"{name}.meta.json").read_text())
    assert {
        "engine",
        "schema_revision",
        "row_counts",
        "size_bytes",
        "sha256",
        "created_at",
        "app_version",
    } <= set(meta)
    assert datetime.fromisoformat(meta["created_at"]).utcoffset() is not None
    assert meta["app_version"] == "1.18.0"

    change_everything(engine)
    assert all_rows(engine) != before

    response = client.post(f"{BACKUPS}/{name}/restore", headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.json()["upgraded_from"] is None
    assert response.json()["row_counts"]["students"] == len(before["students"])

    after = all_rows(engine)
    assert {t: r for t, r in after.items() if t != "audit_log"} == {
        t: r for t, r in before.items() if t != "audit_log"
    }
    # The audit trail is the backed-up one plus one row saying who restored what.
    assert after["audit_log"][:-1] == before["audit_log"]
    with Session(engine) as session:
        last = session.execute(
            text("SELECT action, entity_type, entity_id FROM audit_log ORDER BY id DESC")
        ).first()
    assert tuple(last or ()) == ("restore", "backup", name)

    # The running app keeps working on the restored data: reads, writes, a new id, a new backup.
    assert client.get("/api/v1/auth/me", headers=admin_headers).status_code == 200
    with Session(engine) as session, session.begin():
        new_id = add_student(session, "after-restore").id
    assert new_id == max(row[0] for row in before["students"]) + 1
    assert create(client, admin_headers)["row_counts"]["students"] == len(before["students"]) + 1  # type: ignore[index]
    if db_kind == "sqlite":
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_list_is_newest_first_and_health_reports_the_last_backup(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    names = [create(client, admin_headers)["name"] for _ in range(3)]
    body = client.get(BACKUPS, headers=admin_headers).json()
    assert [item["name"] for item in body["items"]] == names[::-1]
    assert body["total"] == 3
    first = body["items"][0]
    assert set(first) >= {
        "name",
        "created_at",
        "engine",
        "schema_revision",
        "size_bytes",
        "row_counts",
        "checksum",
    }
    page = client.get(BACKUPS, params={"limit": 1, "offset": 1}, headers=admin_headers).json()
    assert [item["name"] for item in page["items"]] == [names[1]]

    health = client.get("/health/database", headers=admin_headers).json()
    assert datetime.fromisoformat(health["backup"]["last_at"]) == datetime.fromisoformat(first["created_at"])
    assert "no_recent_backup" not in {w["code"] for w in health["warnings"]}


def test_retention_keeps_the_newest_n(database_url: URL, tmp_path: Path) -> None:
    settings = make_settings(database_url, tmp_path, BACKUP_RETENTION=2)
    with TestClient(create_app(settings)) as client:
        headers = login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        made = [create(client, headers) for _ in range(3)]
        listed = [item["name"] for item in client.get(BACKUPS, headers=headers).json()["items"]]
    assert made[2]["removed_by_retention"] == [made[0]["name"]]
    assert listed == [made[2]["name"], made[1]["name"]]
    on_disk = sorted(p.name for p in backup_dir(settings).iterdir() if not p.name.startswith("."))
    assert on_disk == sorted(f"{n}{suffix}" for n in listed for suffix in ("", ".meta.json"))


def test_download_streams_the_backup_file(
    client: TestClient, admin_headers: dict[str, str], settings: Settings, engine: Engine
) -> None:
    name = str(create(client, admin_headers)["name"])
    response = client.get(f"{BACKUPS}/{name}/download", headers=admin_headers)
    assert response.status_code == 200
    assert response.content == (backup_dir(settings) / name).read_bytes()
    assert name in response.headers["content-disposition"]
    with Session(engine) as session:
        actions = session.scalars(
            text("SELECT action FROM audit_log WHERE entity_type = 'backup' ORDER BY id")
        ).all()
    assert actions == ["create", "download"]


def test_delete_removes_the_file_and_its_metadata(
    client: TestClient, admin_headers: dict[str, str], settings: Settings
) -> None:
    name = str(create(client, admin_headers)["name"])
    assert client.delete(f"{BACKUPS}/{name}", headers=admin_headers).status_code == 204
    assert list(backup_dir(settings).glob("sms-*")) == []
    again = client.delete(f"{BACKUPS}/{name}", headers=admin_headers)
    assert again.status_code == 404
    assert name in again.json()["detail"]
    assert client.post(f"{BACKUPS}/{name}/restore", headers=admin_headers).status_code == 404


def test_every_action_is_audited_as_the_admin_and_a_refusal_is_not(
    client: TestClient, admin_headers: dict[str, str], engine: Engine
) -> None:
    name = str(create(client, admin_headers)["name"])
    assert client.get(f"{BACKUPS}/{name}/download", headers=admin_headers).status_code == 200
    assert client.post(f"{BACKUPS}/{name}/restore", headers=admin_headers).status_code == 200
    assert client.delete(f"{BACKUPS}/{name}", headers=admin_headers).status_code == 204
    assert client.delete(f"{BACKUPS}/{name}", headers=admin_headers).status_code == 404
    with Session(engine) as session:
        admin_id = session.execute(text("SELECT id FROM users WHERE email = :e"), {"e": ADMIN_EMAIL}).scalar()
        rows = session.execute(
            text(
                "SELECT action, entity_id, user_id, user_email, details FROM audit_log "
                "WHERE entity_type = 'backup' ORDER BY id"
            )
        ).all()
    # The restore brought back the trail as it was when the backup was made (before its own
    # "create" and the "download"); the refused second delete wrote nothing.
    assert [row[0] for row in rows] == ["restore", "delete"]
    assert {(row[1], row[2], row[3]) for row in rows} == {(name, admin_id, ADMIN_EMAIL)}
    restored, deleted = (json.loads(r[4]) if isinstance(r[4], str) else r[4] for r in rows)
    assert restored["name"] == name and restored["upgraded_from"] is None
    assert datetime.fromisoformat(restored["backup_created_at"]).utcoffset() is not None
    assert deleted == {"name": name}


@pytest.mark.parametrize(
    "name",
    [
        "..%2Fvictim.txt",
        "..%2F..%2Fetc%2Fpasswd",
        "%2Fetc%2Fpasswd",
        "sub%2Fname.sqlite3",
        "a%5Cb",
        "...",
        ".lock",
    ],
)
def test_path_traversal_in_the_name_is_refused(
    client: TestClient, admin_headers: dict[str, str], tmp_path: Path, name: str
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    for method, path in (
        ("POST", f"{BACKUPS}/{name}/restore"),
        ("GET", f"{BACKUPS}/{name}/download"),
        ("DELETE", f"{BACKUPS}/{name}"),
    ):
        response = client.request(method, path, headers=admin_headers)
        assert response.status_code == 400, (method, path, response.text)
        assert response.json()["field"] == "name"
        assert "not a backup name" in response.json()["detail"]
    assert victim.read_text() == "keep me"


def test_backups_need_an_admin(client: TestClient, admin_headers: dict[str, str], make_user) -> None:  # type: ignore[no-untyped-def]
    name = str(create(client, admin_headers)["name"])
    calls = [
        ("GET", BACKUPS),
        ("POST", BACKUPS),
        ("GET", f"{BACKUPS}/{name}/download"),
        ("DELETE", f"{BACKUPS}/{name}"),
        ("POST", f"{BACKUPS}/{name}/restore"),
    ]
    for role in ("teacher", "viewer"):
        headers = make_user(client, role)
        for method, path in calls:
            assert client.request(method, path, headers=headers).status_code == 403, (role, method, path)
    for method, path in calls:
        assert client.request(method, path).status_code == 401
    assert [i["name"] for i in client.get(BACKUPS, headers=admin_headers).json()["items"]] == [name]


def test_no_secret_in_backup_output_or_logs(
    database_url: URL, tmp_path: Path, db_kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    password = "pw-Secr3t-only-in-the-url"
    url = database_url.set(password=password) if db_kind == "postgresql" else database_url
    settings = make_settings(url, tmp_path)
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(settings)) as client:
        headers = login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        name = create(client, headers)["name"]
        bodies = [
            client.get(BACKUPS, headers=headers).text,
            client.post(f"{BACKUPS}/{name}/restore", headers=headers).text,
            client.post(f"{BACKUPS}/nope.dump/restore", headers=headers).text,
        ]
        meta = (backup_dir(settings) / f"{name}.meta.json").read_text()
    everything = "\n".join([*bodies, meta, caplog.text])
    for secret in (password, TEST_SECRET_KEY, ADMIN_PASSWORD):
        assert secret not in everything


def test_restore_of_a_missing_backup_is_404_and_changes_nothing(
    client: TestClient, admin_headers: dict[str, str], engine: Engine
) -> None:
    seed(engine, students=2)
    before = all_rows(engine)
    response = client.post(f"{BACKUPS}/sms-sqlite-20200101-000000.sqlite3/restore", headers=admin_headers)
    assert response.status_code == 404
    assert "no backup named" in response.json()["detail"]
    assert all_rows(engine) == before
    with Session(engine) as session:
        assert session.scalar(select(Student.id).limit(1)) is not None
