"""The move of a seeded school through the Control Panel's job vs the CLI, in the same run.

    .venv/bin/python bench/jobs/move_vs_cli.py --students 20000 \
        --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Seeds one SQLite school (``seed_demo``), then, ``--rounds`` times and alternating which goes
first, moves a copy of it with ``python -m backend.scripts.migrate_sqlite_to_postgres`` and
another with the API (POST /api/v1/control/move/jobs, then polling the job until it ends), each
into a fresh database. Prints the wall times, their medians' ratio, and the tool's own times,
as one JSON line.
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import URL, create_engine, make_url, text
from sqlalchemy.orm import Session

from backend.config import load_settings
from backend.core.security import hash_password
from backend.main import create_app
from backend.models import User, UserRole
from backend.tests.transfer.tool import tool_argv

ADMIN, PASSWORD = "bench@school.test", "Bench-pa55word!"
# How often the bench asks for the job, as the web app does while it shows the progress.
POLL_SECONDS = 0.25


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3, help="moves of each kind, alternating (default 3)")
    parser.add_argument("--postgres-url", required=True, help="a server where databases may be created")
    args = parser.parse_args()
    server = make_url(args.postgres_url).set(drivername="postgresql+psycopg")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    runs: dict[str, list[dict[str, Any]]] = {"cli": [], "job": []}
    with tempfile.TemporaryDirectory() as folder, admin.connect() as connection:
        seeded = Path(folder) / "seeded.db"
        seed = [
            "-m",
            "backend.scripts.seed_demo",
            "--students",
            str(args.students),
            "--sqlite-path",
            str(seeded),
        ]
        subprocess.run([sys.executable, *seed, "--migrate"], check=True, capture_output=True)
        for round_ in range(args.rounds):
            # Alternate which goes first, so a machine that gets busier or quieter favours neither.
            for kind in ("cli", "job") if round_ % 2 == 0 else ("job", "cli"):
                name = f"bench_move_{kind}_{uuid.uuid4().hex[:6]}"
                connection.execute(text(f'CREATE DATABASE "{name}"'))
                try:
                    source = Path(folder) / f"{kind}{round_}.db"
                    shutil.copyfile(seeded, source)
                    run = _cli if kind == "cli" else _job
                    runs[kind].append(run(source, server.set(database=name), Path(folder)))
                finally:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    cli = statistics.median(r["seconds"] for r in runs["cli"])
    job = statistics.median(r["seconds"] for r in runs["job"])
    figures = {
        "students": args.students,
        "rows": runs["job"][0]["rows"],
        "rounds": args.rounds,
        "cli_seconds_median": round(cli, 2),
        "job_seconds_median": round(job, 2),
        "job_over_cli": round(job / cli, 3),
        "cli_seconds": [round(r["seconds"], 2) for r in runs["cli"]],
        "job_seconds": [round(r["seconds"], 2) for r in runs["job"]],
        # The job's own record: from its creation (the POST) to the end its step wrote.
        "job_created_to_finished_seconds": [round(r["own_seconds"], 2) for r in runs["job"]],
        # Inside the tool, from its report: where each run spent its time.
        "cli_tool_seconds": [r["report"]["seconds"] for r in runs["cli"]],
        "job_tool_seconds": [r["report"]["seconds"] for r in runs["job"]],
        "job_source_check_seconds": [r["report"]["source_guard"]["check_seconds"] for r in runs["job"]],
    }
    print(json.dumps(figures))


def _cli(source: Path, target: URL, _: Path) -> dict[str, Any]:
    report = source.with_suffix(".json")
    started = time.perf_counter()
    subprocess.run(
        tool_argv(source, target, "--yes", "--quiet", "--report-json", str(report)),
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "report": json.loads(report.read_text())}


def _job(source: Path, target: URL, folder: Path) -> dict[str, Any]:
    _add_admin(source)
    settings = load_settings(
        _env_file=None,
        DATABASE_URL=f"sqlite:///{source}",
        SECRET_KEY=secrets.token_urlsafe(48),
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
    own = datetime.fromisoformat(job["finished_at"]) - datetime.fromisoformat(job["created_at"])
    return {
        "seconds": seconds,
        "rows": job["summary"]["rows"],
        "own_seconds": own.total_seconds(),
        "report": report,
    }


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
