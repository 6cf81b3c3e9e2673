"""`python -m backend.serve`: the number of workers, and a bad setting stopping it before any."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend.config import load_settings
from backend.serve import machine_cores, worker_count
from backend.tests.conftest import TEST_SECRET_KEY

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("cpu_max", "cap"),
    [("max 100000\n", None), ("100000 100000\n", 1), ("150000 100000\n", 2), ("garbage", None)],
)
def test_cores_are_capped_by_the_containers_cpu_quota(tmp_path: Path, cpu_max: str, cap: int | None) -> None:
    affinity = len(os.sched_getaffinity(0))
    (tmp_path / "cpu.max").write_text(cpu_max)
    assert machine_cores(tmp_path / "cpu.max") == (affinity if cap is None else min(cap, affinity))
    assert machine_cores(tmp_path / "absent") == affinity


def test_web_concurrency_wins_over_either_default(tmp_path: Path) -> None:
    settings = load_settings(_env_file=None, SECRET_KEY=TEST_SECRET_KEY, WEB_CONCURRENCY=3)
    assert worker_count(settings, default="cores") == worker_count(settings, default="1") == 3
    unset = load_settings(_env_file=None, SECRET_KEY=TEST_SECRET_KEY)
    assert worker_count(unset, default="1") == 1
    assert worker_count(unset, default="cores") == machine_cores()


def test_a_bad_setting_stops_the_server_in_one_line_before_any_worker(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "SMS_ENV_FILE": "none", "WEB_CONCURRENCY": "2", "SECRET_KEY": "short"}
    done = subprocess.run(
        [sys.executable, "-m", "backend.serve", "--port", "1"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("SMS cannot start: SECRET_KEY is missing, a placeholder or shorter")
    assert len(done.stderr.splitlines()) == 1 and "worker" not in done.stderr


def test_workers_that_cannot_start_end_the_server_with_their_code(tmp_path: Path) -> None:
    """A schema behind head (AUTO_MIGRATE=false) stops every worker; the parent exits 3, not 0."""
    env = {
        "PATH": os.environ["PATH"],
        "SMS_ENV_FILE": "none",
        "WEB_CONCURRENCY": "2",
        "SECRET_KEY": TEST_SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "backend.serve", "--port", "0"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 3, output[-3000:]
    assert "with 2 workers" in output and "the database schema is at none (empty database)" in output
