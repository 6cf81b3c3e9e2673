"""Run scripts/docker.sh with Docker replaced by a stub on PATH that records every call.

The stub logs each call as ``profiles=... host=... ARGS`` (the Compose profile and the
POSTGRES_HOST it was given), saves its environment at `compose run`, prints ``cat_output`` for
a `cat` in the container, and exits 0 unless a rule (``RC GLOB``, matched against its
arguments) says otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "docker.sh"
STUB = """#!/bin/sh
echo "profiles=${COMPOSE_PROFILES-} host=${POSTGRES_HOST-unset} $*" >> "$STUB_LOG"
case " $* " in *" run "*) env > "$STUB_LOG.run-env" ;; *" cat "*) cat "$STUB_CAT" 2>/dev/null ;; esac
[ "$1" = info ] && exit "${STUB_INFO_RC:-0}"
if [ -f "${STUB_RULES-}" ]; then
    while read -r rc pattern; do
        case "$*" in $pattern) exit "$rc" ;; esac
    done < "$STUB_RULES"
fi
exit 0
"""


def project(tmp_path: Path) -> Path:
    """A copy of the repository's Docker files in tmp_path, so a test can add an override."""
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(SCRIPT, root / "scripts" / "docker.sh")
    shutil.copy(REPO / "docker-compose.yml", root / "docker-compose.yml")
    return root


def run(
    tmp_path: Path,
    *args: str,
    env_text: str = "",
    path: str | None = None,
    info_rc: int = 0,
    rules: dict[str, int] | None = None,
    root: Path | None = None,
    stdin: str = "",
    cwd: Path | None = None,
    cat_output: str = "",
    stub: str = STUB,
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the script (the repository's, or the copy in ``root``) with .env holding env_text."""
    env_file = (root or tmp_path) / ".env"
    env_file.write_text(env_text)
    stub_dir = tmp_path / "stub"
    stub_dir.mkdir(exist_ok=True)
    (stub_dir / "docker").write_text(stub)
    (stub_dir / "docker").chmod(0o755)
    (tmp_path / "cat-output").write_text(cat_output)
    (tmp_path / "rules").write_text("".join(f"{rc} {glob}\n" for glob, rc in (rules or {}).items()))
    env = {
        "PATH": path if path is not None else f"{stub_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "SMS_ENV_FILE": str(env_file),
        "SMS_ENV_EXAMPLE": str(tmp_path / ".env.example"),
        "STUB_LOG": str(tmp_path / "docker.log"),
        "STUB_INFO_RC": str(info_rc),
        "STUB_RULES": str(tmp_path / "rules"),
        "STUB_CAT": str(tmp_path / "cat-output"),
        "POSTGRES_HOST": "leaked-from-the-shell",
        **(extra_env or {}),
    }
    script = root / "scripts" / "docker.sh" if root else SCRIPT
    command = ["bash", str(script), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, input=stdin, cwd=cwd)


def docker_calls(tmp_path: Path) -> str:
    log = tmp_path / "docker.log"
    return log.read_text() if log.exists() else ""


def compose_calls(tmp_path: Path) -> list[str]:
    """The arguments of each `docker compose` call but the preflight's `version`, after the
    project and file options."""
    calls = []
    for line in docker_calls(tmp_path).splitlines():
        _, _, argv = line.partition(" compose ")
        if argv and argv != "version":
            words = argv.split()
            while words and words[0] in {"--project-directory", "-f"}:
                words = words[2:]
            calls.append(" ".join(words))
    return calls


def run_environment(tmp_path: Path) -> dict[str, str]:
    """The environment Docker was given for `compose run`."""
    lines = (tmp_path / "docker.log.run-env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)
