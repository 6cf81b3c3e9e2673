"""`python -m backend.config describe`: the database the settings resolve to, or why none.

It reads the same Settings and calls the same resolve function as the app, so the answer is
the app's own. DOCKER.ps1 and scripts/docker.sh run it in the image and act on its answer
instead of re-implementing the rules (``--compose`` adds what they need to start Compose).
It needs only the database settings: no SECRET_KEY. Secrets are masked as ***.

Output: ``key: value`` lines on stdout, ``warning:`` and ``error:`` lines among them, or one
JSON object with ``--json``. Exit 0, or 2 when the settings cannot be used: the error is the
one line the app would stop with.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import Any

from backend.cli import exit_codes
from backend.config import ConfigError, Settings, load_database_settings
from backend.db.engine_builder import DatabaseConfigError, ResolvedDatabase
from backend.serve import machine_cores

# What a blank POSTGRES_* means under Compose in PostgreSQL mode: the bundled `db` service,
# with the database and user docker-compose.yml gives it.
COMPOSE_DEFAULTS = {"POSTGRES_HOST": "db", "POSTGRES_DB": "student_management", "POSTGRES_USER": "sms_user"}
COMPOSE_SERVICE = "db"
# In the app container these are the container itself, never the bundled server.
CONTAINER_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


@dataclass
class Description:
    engine: str | None = None
    url: str | None = None
    host: str | None = None
    resolved_from: str | None = None
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # WEB_CONCURRENCY (None: unset) and the cores `python -m backend.serve` counts here.
    workers: int | None = None
    cores: int | None = None
    pgbouncer: bool = False
    # With --compose: is the server the bundled db service, and what the app container is given.
    bundled: bool = False
    compose_environment: dict[str, str] = field(default_factory=dict)

    def as_dict(self, *, compose: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "engine": self.engine,
            "url": self.url,
            "host": self.host,
            "resolved_from": self.resolved_from,
            "warnings": self.warnings,
            "problems": self.problems,
        }
        if self.engine:
            data.update(workers=self.workers, cores=self.cores, pgbouncer=self.pgbouncer)
        if compose:
            data.update(bundled=self.bundled, compose_environment=self.compose_environment)
        return data

    def lines(self, *, compose: bool) -> list[str]:
        found = [
            f"{label}: {value}"
            for label, value in (
                ("engine", self.engine),
                ("url", self.url),
                ("host", self.host),
                ("resolved from", self.resolved_from),
            )
            if value
        ]
        if self.engine:
            found.append(f"workers: {self._workers()}")
        if self.pgbouncer:
            found.append("pgbouncer: yes (no prepared statements, timeouts set per transaction)")
        if compose and self.engine:
            found.append(f"bundled db: {'yes' if self.bundled else 'no'}")
            found.extend(f"container env: {key}={value}" for key, value in self.compose_environment.items())
        found.extend(f"warning: {warning}" for warning in self.warnings)
        found.extend(f"error: {problem}" for problem in self.problems)
        return found

    def _workers(self) -> str:
        if self.workers is not None:
            return f"{self.workers} (WEB_CONCURRENCY)"
        return f"{self.cores} in the image (one per core), 1 for make run (WEB_CONCURRENCY unset)"


def describe(*, compose: bool = False) -> Description:
    """Resolve the settings as the app does; a setting that stops the app is a problem."""
    try:
        settings = load_database_settings(resolve=False)
        resolved, used = _resolve(settings, compose=compose)
        used.session_database  # noqa: B018 - POSTGRES_PGBOUNCER without its direct URL stops the app
    except ConfigError as exc:
        return Description(problems=[str(exc)])
    except DatabaseConfigError as exc:
        return Description(problems=[str(exc)])
    host = _host(resolved)
    found = Description(
        engine=resolved.kind,
        url=resolved.masked_url,
        host=host,
        resolved_from=resolved.resolved_from,
        warnings=[str(warning) for warning in resolved.warnings],
        workers=settings.WEB_CONCURRENCY,
        cores=machine_cores(),
        pgbouncer=resolved.kind == "postgresql" and settings.POSTGRES_PGBOUNCER,
    )
    if compose and resolved.kind == "postgresql":
        found.bundled = (host or "").lower() == COMPOSE_SERVICE
        found.compose_environment = {
            "POSTGRES_HOST": used.POSTGRES_HOST or "",
            "POSTGRES_PORT": str(used.POSTGRES_PORT),
            "POSTGRES_DB": used.POSTGRES_DB or "",
            "POSTGRES_USER": used.POSTGRES_USER or "",
        }
        if not used.DATABASE_URL and (used.POSTGRES_HOST or "").lower() in CONTAINER_LOCAL_HOSTS:
            found.warnings.append(
                f"POSTGRES_HOST={used.POSTGRES_HOST} is the app container itself; the compose server "
                f"is '{COMPOSE_SERVICE}' (leave POSTGRES_HOST blank)"
            )
    return found


def _resolve(settings: Settings, *, compose: bool) -> tuple[ResolvedDatabase, Settings]:
    """The resolved database and the settings it came from (with the Compose defaults)."""
    if not compose:
        return settings.database, settings
    blanks = {key: value for key, value in COMPOSE_DEFAULTS.items() if getattr(settings, key) is None}
    filled = settings.model_copy(update=blanks)
    resolved = filled.database
    if resolved.kind == "sqlite":
        # The defaults only stand in for a server; SQLite's warnings name what .env really sets.
        return settings.database, settings
    return resolved, filled


def _host(resolved: ResolvedDatabase) -> str | None:
    if resolved.kind != "postgresql":
        return None
    # libpq also takes the host (or a socket folder) as ?host=, which the app accepts too.
    host = resolved.url.host or resolved.url.query.get("host")
    return host if isinstance(host, str) or host is None else ",".join(host)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m backend.config",
        description="Show how SMS reads its settings (.env and the environment).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    text = "print the database the settings resolve to (engine, masked URL, host) and any problem"
    describe_parser = commands.add_parser("describe", help=text, description=text)
    describe_parser.add_argument("--json", action="store_true", help="print one JSON object")
    describe_parser.add_argument(
        "--compose",
        action="store_true",
        help="as under docker-compose.yml: blank POSTGRES_HOST, POSTGRES_DB and POSTGRES_USER mean "
        "the bundled db service (db, student_management, sms_user); also print whether that "
        "service is used and the POSTGRES_* the app container gets",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    found = describe(compose=args.compose)
    if args.json:
        print(json.dumps(found.as_dict(compose=args.compose), indent=2))
    else:
        sys.stdout.write("".join(f"{line}\n" for line in found.lines(compose=args.compose)))
    return exit_codes.USAGE if found.problems else exit_codes.OK
