"""The move of a seeded school through the Control Panel's job vs the CLI, in the same run.

    .venv/bin/python bench/jobs/move_vs_cli.py --students 20000 \
        --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Seeds one SQLite school (``seed_demo``), copies the file twice, and moves one copy with
``python -m backend.scripts.migrate_sqlite_to_postgres`` and the other with the API
(POST /api/v1/control/move/jobs, then polling the job until it ends), each into a fresh
database. Prints the wall time of each and their ratio as one JSON line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import URL, create_engine, make_url, text
from sqlalchemy.orm import Session

from backend.config import load_settings
from backend.core.security import hash_password
from backend.main import create_app
from backend.models import User, UserRole

ADMIN, PASSWORD = "bench@school.test", "Bench-pa55word!"
# How often the bench asks for the job, as the web app does while it shows the progress.
POLL_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--postgres-url", required=True, help="a server where databases may be created")
    args = parser.parse_args()
    server = make_url(args.postgres_url).set(drivername="postgresql+psycopg")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    names = [f"bench_move_{kind}_{uuid.uuid4().hex[:6]}" for kind in ("cli", "job")]
    with tempfile.TemporaryDirectory() as folder, admin.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            seeded = Path(folder) / "seeded.db"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "backend.scripts.seed_demo",
                    "--students",
                    str(args.students),
                    "--sqlite-path",
                    str(seeded),
                    "--migrate",
                ],
                check=True,
                capture_output=True,
            )
            cli_file, job_file = Path(folder) / "cli.db", Path(folder) / "job.db"
            shutil.copyfile(seeded, cli_file)
            shutil.copyfile(seeded, job_file)
            cli_url = server.set(database=names[0]).render_as_string(hide_password=False)
            cli, cli_report = _cli(cli_file, cli_url)
            job, rows, job_report = _job(job_file, server.set(database=names[1]), Path(folder))
        finally:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    print(
        json.dumps(
            {
                "students": args.students,
                "rows": rows,
                "cli_seconds": round(cli, 2),
                "job_seconds": round(job, 2),
                "job_over_cli": round(job / cli, 3),
                # Inside the tool, from its report: where each run spent its time.
                "cli_tool_seconds": cli_report["seconds"],
                "job_tool_seconds": job_report["seconds"],
                "cli_phases": cli_report["phases"],
                "job_phases": job_report["phases"],
                "cli_source_check": cli_report["source_guard"],
                "job_source_check": job_report["source_guard"],
            }
        )
    )


def _cli(source: Path, url: str) -> tuple[float, dict[str, Any]]:
    report = source.with_suffix(".json")
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "backend.scripts.migrate_sqlite_to_postgres",
            "--sqlite-path",
            str(source),
            "--postgres-url",
            url,
            "--yes",
            "--quiet",
            "--report-json",
            str(report),
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started, json.loads(report.read_text())


def _job(source: Path, target: URL, folder: Path) -> tuple[float, int, dict[str, Any]]:
    _add_admin(source)
    settings = load_settings(
        _env_file=None,
        DATABASE_URL=f"sqlite:///{source}",
        SECRET_KEY="b" + uuid.uuid4().hex * 2,
        BACKUP_DIR=str(folder / "backups"),
    )
    with TestClient(create_app(settings)) as client:
        token = client.post("/api/v1/auth/login", json={"email": ADMIN, "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        connection = {
            "use_configured": False,
            "host": target.host,
            "port": target.port,
            "database": target.database,
            "user": target.username,
        }
        started = time.perf_counter()
        answer = client.post(
            "/api/v1/control/move/jobs", json={"connection": connection, "dry_run": False}, headers=headers
        )
        answer.raise_for_status()
        while True:
            job = client.get(f"/api/v1/control/move/jobs/{answer.json()['id']}", headers=headers).json()
            if job["state"] in ("succeeded", "failed", "cancelled"):
                break
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - started
        report = client.get(f"/api/v1/control/move/jobs/{job['id']}/report", headers=headers).json()
    if job["state"] != "succeeded":
        raise SystemExit(f"the job ended {job['state']}: {job['error']}")
    return seconds, int(job["summary"]["rows"]), report


def _add_admin(source: Path) -> None:
    """The seeded school's admin has a password of its own: the bench logs in as one it adds."""
    engine = create_engine(f"sqlite:///{source}")
    with Session(engine) as session, session.begin():
        session.add(
            User(email=ADMIN, full_name="Bench", hashed_password=hash_password(PASSWORD), role=UserRole.ADMIN)
        )
    engine.dispose()


if __name__ == "__main__":
    main()
