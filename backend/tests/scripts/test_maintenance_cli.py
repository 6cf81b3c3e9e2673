"""Read-only mode on both engines: the service, and python -m backend.scripts.maintenance."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from backend.db import migrations
from backend.db.engine_builder import create_database_engine, resolve_database
from backend.models import AuditLog
from backend.scripts import maintenance as cli
from backend.services import maintenance
from backend.services.audit import Actor
from backend.services.maintenance import WRITABLE, MaintenanceState


def _engine(url: URL) -> Engine:
    """The app's own engine for the URL (on SQLite: WAL, the write lock at the first write)."""
    raw = url.render_as_string(hide_password=False)
    resolved = resolve_database(database_engine=None, database_url=raw, sqlite_path="", base_dir=Path("/"))
    return create_database_engine(resolved)


@pytest.fixture
def sessions(database_url: URL) -> Iterator[sessionmaker[Session]]:
    engine = _engine(database_url)
    yield sessionmaker(engine)
    engine.dispose()


def test_on_off_and_put_back_with_audit_rows(sessions: sessionmaker[Session], database_url: URL) -> None:
    with sessions() as session:
        assert maintenance.get_state(session=session) == WRITABLE
    actor = Actor(user_id=None, email=None, ip_address="127.0.0.1")
    with sessions.begin() as session:
        switch = maintenance.turn_on(session=session, reason="moving", set_by="test", actor=actor)
    assert switch.before == WRITABLE and switch.after.read_only and switch.after.since is not None
    # Another engine (another process, an app replica) sees it as soon as it is committed.
    other = _engine(database_url)
    with Session(other) as session:
        seen = maintenance.get_state(session=session)
    assert (seen.read_only, seen.reason, seen.set_by) == (True, "moving", "test")
    with sessions.begin() as session:
        off = maintenance.turn_off(session=session, set_by="test", actor=actor)
        assert off.before.read_only and not off.after.read_only
        maintenance.put_back(session=session, state=switch.after)
    with Session(other) as session:
        assert maintenance.get_state(session=session) == switch.after
        audit = session.execute(select(AuditLog.action, AuditLog.details).order_by(AuditLog.id)).all()
    other.dispose()
    # put_back had no actor: two audit rows, each with what the mode was and became.
    assert [a for a, _ in audit] == ["read_only_on", "read_only_off"]
    assert audit[0][1]["after"]["reason"] == "moving" and audit[1][1]["before"]["read_only"] is True


def test_read_only_during_puts_the_mode_back_unless_kept(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        maintenance.turn_on(session=session, reason="the admin's own", set_by="admin")
    with sessions() as session:
        earlier = maintenance.get_state(session=session)
    with (
        pytest.raises(KeyboardInterrupt),
        maintenance.read_only_during(sessions=sessions, reason="run", set_by="tool", keep_on_success=True),
    ):
        with sessions() as session:
            assert maintenance.get_state(session=session).reason == "run"
        raise KeyboardInterrupt
    with sessions() as session:
        assert maintenance.get_state(session=session) == earlier
    with maintenance.read_only_during(sessions=sessions, reason="run", set_by="tool", keep_on_success=False):
        pass
    with sessions() as session:
        assert maintenance.get_state(session=session) == earlier
    with maintenance.read_only_during(sessions=sessions, reason="run", set_by="tool", keep_on_success=True):
        pass
    with sessions() as session:
        kept = maintenance.get_state(session=session)
    assert kept.read_only and kept.reason == "run" and kept.set_by == "tool"


def test_turning_it_on_waits_for_a_write_in_flight_on_sqlite(tmp_path: Path, sqlite_template: Path) -> None:
    path = tmp_path / "sms.db"
    shutil.copyfile(sqlite_template, path)
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO courses (course_code, course_name, credits, semester, year, hours_per_week,"
        " absence_penalty, max_grade, passing_grade, is_active) VALUES ('IN-FLIGHT', 'x', 1, 'A', 2026,"
        " 1, 0, 20, 10, 1)"
    )
    committed_at: list[float] = []

    def commit_later() -> None:
        time.sleep(0.5)
        committed_at.append(time.monotonic())
        writer.execute("COMMIT")

    thread = threading.Thread(target=commit_later)
    engine = _engine(URL.create("sqlite", database=str(path)))
    thread.start()
    with sessionmaker(engine).begin() as session:
        maintenance.turn_on(session=session, reason="moving", set_by="test")
    done = time.monotonic()
    thread.join()
    writer.close()
    engine.dispose()
    # The flag was written after the write in flight committed, never beside it.
    assert committed_at and done >= committed_at[0]


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_cli_switches_the_database_the_settings_name(
    database_url: URL, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SMS_ENV_FILE", "none")
    monkeypatch.setenv("DATABASE_URL", database_url.render_as_string(hide_password=False))
    code, out, _ = _cli(capsys, "status")
    assert code == 0 and out.strip().endswith(": writable")
    code, out, _ = _cli(capsys, "on", "--reason", "moving to PostgreSQL", "--json")
    state = json.loads(out)
    assert code == 0 and state["read_only"] is True and state["reason"] == "moving to PostgreSQL"
    assert state["set_by"].endswith("(sms-maintenance)")
    code, out, _ = _cli(capsys, "status")
    assert code == 0 and "read-only since" in out and "(moving to PostgreSQL)" in out
    code, out, _ = _cli(capsys, "off")
    assert code == 0 and ": writable (since" in out
    engine = create_engine(database_url)
    with engine.connect() as connection:
        actions = connection.execute(text("SELECT action, entity_type FROM audit_log ORDER BY id")).all()
    engine.dispose()
    assert [tuple(a) for a in actions] == [
        ("read_only_on", "maintenance_mode"),
        ("read_only_off", "maintenance_mode"),
    ]


def test_the_cli_acts_on_a_sqlite_file_and_refuses_what_it_cannot_use(
    tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SMS_ENV_FILE", "none")
    path = tmp_path / "old.db"
    shutil.copyfile(sqlite_template, path)
    code, out, _ = _cli(capsys, "on", "--sqlite-path", str(path), "--reason", "moved")
    assert code == 0 and "read-only since" in out
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT read_only, reason FROM maintenance_mode").fetchone() == (1, "moved")

    older = tmp_path / "older.db"
    engine = create_engine(f"sqlite:///{older}")
    migrations.upgrade(engine, "0003")
    engine.dispose()
    code, _, err = _cli(capsys, "status", "--sqlite-path", str(older))
    assert code == 3 and "schema older than 0004" in err and err.count("\n") == 1
    code, _, err = _cli(capsys, "status", "--sqlite-path", str(tmp_path / "missing.db"))
    assert code == 2 and "no such file" in err and not (tmp_path / "missing.db").exists()
    code, _, err = _cli(capsys, "status", "--sqlite-path", __file__)
    assert code == 2 and "not a SQLite database" in err
    code, _, err = _cli(capsys, "on", "--sqlite-path", str(path), "--reason", " ")
    assert code == 2 and "--reason" in err


def test_an_unreachable_server_is_one_line_with_the_password_masked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SMS_ENV_FILE", "none")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://sms:S3cret-pw@127.0.0.1:1/sms?connect_timeout=2")
    code, out, err = _cli(capsys, "status")
    assert code == 2 and out == "" and err.startswith("error: ") and err.count("\n") == 1
    assert "S3cret-pw" not in err and "***" in err


def test_state_as_dict_is_json_ready() -> None:
    assert json.dumps(MaintenanceState().as_dict()) == (
        '{"read_only": false, "reason": null, "since": null, "set_by": null}'
    )
