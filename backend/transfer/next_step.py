"""What to do after a move: the ``.env`` lines that point SMS at the target, and the restart.

The lines follow the way the target was named: a URL (``--postgres-url`` or ``DATABASE_URL``)
gives ``DATABASE_URL``, the ``POSTGRES_*`` settings give those. The password is never shown:
``***`` stands for it. The restart depends on how SMS runs: in the SMS image (a container,
where ``/.dockerenv`` exists, with the code in /app as the Dockerfile puts it; DOCKER.ps1 and
scripts/docker.sh run the tool there) it is the wrappers' restart, on Windows or on Linux and
macOS; otherwise ``make run``. All three are in the report, labelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backend.db.engine_builder import ResolvedDatabase

RESTARTS = {
    "windows-docker": ("on Windows, with Docker", r".\DOCKER.ps1 -Restart"),
    "linux-docker": ("on Linux or macOS, with Docker", "make docker-start"),
    "local": ("without Docker", "make run"),
}
CONTAINER_MARKERS = (Path("/.dockerenv"), Path("/run/.containerenv"))
IMAGE_ROOT = Path("/app")  # the Dockerfile's WORKDIR, where the code is
_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class NextStep:
    env_lines: list[str]
    detected: str
    restart: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "env_lines": self.env_lines,
            "detected": self.detected,
            "restart": self.restart,
            "restart_commands": {
                key: {"where": where, "command": command} for key, (where, command) in RESTARTS.items()
            },
        }

    def text(self) -> str:
        lines = ["next: put these lines in .env (*** stands for the password):"]
        lines += [f"    {line}" for line in self.env_lines]
        restarts = " or ".join(f"{RESTARTS[key][1]} ({RESTARTS[key][0]})" for key in self.restart)
        lines.append(f"then restart SMS: {restarts}")
        return "\n".join(lines)


def in_sms_image(markers: tuple[Path, ...] = CONTAINER_MARKERS, root: Path = _ROOT) -> bool:
    """Whether this runs in the SMS image: in a container, from the image's /app."""
    return root == IMAGE_ROOT and any(marker.exists() for marker in markers)


def env_lines(target: ResolvedDatabase) -> list[str]:
    """The settings that make the app resolve to ``target``, the password as ***."""
    url = target.url
    if not target.resolved_from.startswith("DATABASE_ENGINE=postgresql"):
        return ["DATABASE_ENGINE=postgresql", f"DATABASE_URL={target.masked_url}"]
    query = dict(url.query)
    sslmode = query.pop("sslmode", "prefer")
    lines = [
        "DATABASE_ENGINE=postgresql",
        f"POSTGRES_HOST={url.host or ''}",
        f"POSTGRES_PORT={url.port or 5432}",
        f"POSTGRES_DB={url.database or ''}",
        f"POSTGRES_USER={url.username or ''}",
        "POSTGRES_PASSWORD=***",
        f"POSTGRES_SSLMODE={sslmode}",
    ]
    if query:
        options = "&".join(f"{key}={value}" for key, value in query.items() if isinstance(value, str))
        lines.append(f"POSTGRES_OPTIONS={options}")
    return lines


def next_step(target: ResolvedDatabase, *, container: bool | None = None) -> NextStep:
    """The step after a successful move to ``target``, for the way this SMS runs."""
    docker = in_sms_image() if container is None else container
    restart = ["windows-docker", "linux-docker"] if docker else ["local"]
    return NextStep(env_lines(target), "docker" if docker else "local", restart)
