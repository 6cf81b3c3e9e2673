"""Run scripts/docker.sh, in a copy of the project, with Docker replaced by a stub on PATH.

The stub logs each call as ``profiles=... host=... ARGS`` (the Compose profile and the
POSTGRES_HOST it was given), saves its environment at `compose run`, prints ``cat_output`` for
a `cat` in the container, and exits 0 unless a rule (``RC GLOB``, matched against its
arguments) says otherwise. The wrapper's one real question, `python -m backend.config
describe`, goes to fake_container, which runs it here as the app container would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "docker.sh"
FAKE_CONTAINER = Path(__file__).with_name("fake_container.py")
DESCRIBE = "python -m backend.config describe --compose"
STUB = """#!/bin/sh
case " $* " in *" backend.config describe "*) exec "@PYTHON@" "@FAKE_CONTAINER@" "$@" ;; esac
echo "profiles=${COMPOSE_PROFILES-} host=${POSTGRES_HOST-unset} $*" >> "$STUB_LOG"
case " $* " in *" run "*) env > "$STUB_LOG.run-env" ;; *" cat "*) cat "$STUB_CAT" 2>/dev/null ;; esac
[ "$1" = info ] && exit "${STUB_INFO_RC:-0}"
if [ -f "${STUB_RULES-}" ]; then
    while read -r rc pattern; do
        case "$*" in $pattern) exit "$rc" ;; esac
    done < "$STUB_RULES"
fi
exit 0
""".replace("@PYTHON@", sys.executable).replace("@FAKE_CONTAINER@", str(FAKE_CONTAINER))


def project(tmp_path: Path, *, host_python: bool = False) -> Path:
    """A copy of the repository's Docker files in tmp_path, with its own .env and override.

    host_python links the backend and its .venv in, so that `mode` can ask this machine's
    Python; without it the wrapper finds no Python that can (see run) and asks the image.
    """
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True, exist_ok=True)
    shutil.copy(SCRIPT, root / "scripts" / "docker.sh")
    shutil.copy(REPO / "docker-compose.yml", root / "docker-compose.yml")
    for name in ("backend", ".venv") if host_python else ():
        if not (root / name).exists():
            (root / name).symlink_to(REPO / name)
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
    """Run the project copy's script (``root``, else a new copy) with .env holding env_text."""
    root = root or project(tmp_path)
    env_file = root / ".env"
    env_file.write_text(env_text)
    stub_dir = tmp_path / "stub"
    stub_dir.mkdir(exist_ok=True)
    # A python3 that has not the backend's packages: describe must then come from the image.
    for name, text in (("docker", stub), ("python3", "#!/bin/sh\nexit 1\n")):
        (stub_dir / name).write_text(text)
        (stub_dir / name).chmod(0o755)
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
        # The container's /app/ paths stay as they are, unless a test gives them a folder.
        "FAKE_CONTAINER": "",
        **(extra_env or {}),
    }
    command = ["bash", str(root / "scripts" / "docker.sh"), *args]
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
