"""The one Settings object of SMS.

Sources, later ones winning: ``backend/.env``, then the repository's root ``.env``, then
the process environment. The root ``.env`` outranks ``backend/.env`` because it is the file
that ``docker-compose.yml`` and ``DOCKER.ps1`` read too, so the app and the containers
always agree on the database.
"""

from __future__ import annotations

import math
import os
import secrets
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from backend.db.engine_builder import (
    DatabaseConfigError,
    EngineOptions,
    ResolvedDatabase,
    resolve_database,
    url_secrets,
)

REPO_ROOT = Path(__file__).resolve().parent.parent


def env_files() -> tuple[Path, ...]:
    """The .env files to read; SMS_ENV_FILE names another one ("none": read no file)."""
    override = os.environ.get("SMS_ENV_FILE")
    if override:
        return () if override.lower() == "none" else (Path(override),)
    return (REPO_ROOT / "backend" / ".env", REPO_ROOT / ".env")


PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev", "development", "your-secret-key"}
# Words of the keys people paste from examples; a generated key never holds them.
PLACEHOLDER_WORDS = (
    "changeme",
    "change-me",
    "change_me",
    "replace-me",
    "replaceme",
    "your-secret",
    "placeholder",
)
MIN_SECRET_LENGTH = 32
# 128 bits: what a signing key needs. token_urlsafe(48), the generated key, estimates ~330.
MIN_SECRET_BITS = 128


def secret_entropy_bits(key: str) -> float:
    """A cautious estimate of a key's randomness: Shannon entropy per character x length.

    A key that repeats a pattern (``abcabc...``) counts one period only, so ``aaaa...`` is 0
    bits and ``changeme`` four times is what ``changeme`` is once.
    """
    period = next(
        (p for p in range(1, len(key) // 2 + 1) if key == (key[:p] * len(key))[: len(key)]), len(key)
    )
    unit = key[:period]
    counts = Counter(unit)
    per_char = -sum(n / period * math.log2(n / period) for n in counts.values()) if unit else 0.0
    return per_char * period


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=env_files(), env_file_encoding="utf-8", extra="ignore", case_sensitive=True
    )

    ENVIRONMENT: Literal["development", "production"] = "production"
    LOG_LEVEL: str = "INFO"

    DATABASE_ENGINE: str | None = None
    DATABASE_URL: str | None = None
    SQLITE_PATH: str = "data/student_management.db"
    POSTGRES_HOST: str | None = None
    POSTGRES_PORT: int = 5432
    POSTGRES_DB: str | None = None
    POSTGRES_USER: str | None = None
    POSTGRES_PASSWORD: str | None = None
    POSTGRES_SSLMODE: str = "prefer"
    POSTGRES_OPTIONS: str | None = None

    DB_POOL_SIZE: int = 10
    DB_MAX_OVERFLOW: int = 20
    DB_POOL_RECYCLE: int = 1800
    DB_POOL_TIMEOUT: int = 30
    DB_CONNECT_TIMEOUT: int = 10
    # PostgreSQL bounds on waiting (0 turns one off). A query running 30 s in a school app is a
    # runaway; the server ends it and frees its worker.
    DB_STATEMENT_TIMEOUT_MS: int = Field(default=30000, ge=0)
    # A transaction left open and silent this long (a crashed or hung client) is ended by the
    # server, releasing its locks. Longer than a backup, which a request runs mid-transaction.
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: int = Field(default=300000, ge=0)
    # TCP keepalives notice a server or network that vanished in ~1 minute, not the kernel's 2 h.
    DB_TCP_KEEPALIVES_IDLE: int = Field(default=30, ge=0)
    DB_TCP_KEEPALIVES_INTERVAL: int = Field(default=10, ge=0)
    DB_TCP_KEEPALIVES_COUNT: int = Field(default=3, ge=0)
    # The app's own bound on one wait for the server: a frozen server's kernel still ACKs, so
    # neither keepalives nor statement_timeout end that wait. Longer than the statement timeout
    # so a slow query gets the server's clean error first.
    DB_REQUEST_DEADLINE_SECONDS: float = Field(default=35, ge=0)
    # /health/ready answers 503 after this long instead of hanging with the database.
    HEALTH_PROBE_TIMEOUT_SECONDS: float = Field(default=3, gt=0)
    SQLITE_BUSY_TIMEOUT_MS: int = 30000
    AUTO_MIGRATE: bool = False
    # The URL reaches PostgreSQL through PgBouncer in transaction mode: no prepared statements,
    # timeouts set per transaction (production guide, "Scaling out").
    POSTGRES_PGBOUNCER: bool = False
    # Behind PgBouncer: the same database reached without it, for what needs a server session of
    # its own (the background-job library's LISTEN and session locks, pg_dump and pg_restore).
    POSTGRES_DIRECT_URL: str | None = None
    # uvicorn worker processes of `python -m backend.serve` (the image, make run); unset: the
    # machine's cores in the image, 1 for make run. uvicorn reads the same variable.
    WEB_CONCURRENCY: int | None = Field(default=None, ge=1)
    # Requests each worker process runs at once (its thread pool; more wait their turn). Few
    # threads per process keep the GIL with the request that holds a database lock: 40 (the
    # framework's default) tripled SQLite's write p95 in the API bench against 8, and 4 against
    # 8 gave the same throughput or more, with lower p95 and p99 on both engines.
    WEB_THREADS: int = Field(default=4, ge=1, le=200)
    # Seconds a stopping server lets requests in flight finish before it closes them.
    GRACEFUL_SHUTDOWN_SECONDS: int = Field(default=20, ge=1)

    SECRET_KEY: str = ""
    # The absolute lifetime of a login session (and of its token).
    ACCESS_TOKEN_EXPIRE_MINUTES: int = Field(default=480, ge=1)
    # A session unused this long is over (0: only ACCESS_TOKEN_EXPIRE_MINUTES ends it).
    SESSION_IDLE_MINUTES: int = Field(default=60, ge=0)
    DEFAULT_ADMIN_EMAIL: str = "admin@example.com"
    DEFAULT_ADMIN_PASSWORD: str | None = None
    # The installer generated DEFAULT_ADMIN_PASSWORD and it sits in .env: its owner replaces it.
    DEFAULT_ADMIN_MUST_CHANGE_PASSWORD: bool = True
    # Login throttling (backend/services/throttle.py): attempts an account may make without
    # waiting; after them each attempt waits twice as long as the one before, up to the max.
    LOGIN_MAX_FAILURES: int = Field(default=5, ge=1)
    # The same for one client address, higher: a school's pupils and staff share one address.
    LOGIN_CLIENT_MAX_FAILURES: int = Field(default=20, ge=1)
    LOGIN_MAX_DELAY_SECONDS: int = Field(default=60, ge=1)
    # Minutes without an attempt after which an account's or address's count starts again.
    LOGIN_LOCKOUT_MINUTES: int = Field(default=15, ge=1)

    # Request bodies larger than this are refused with 413 before they are read into memory.
    MAX_REQUEST_BODY_BYTES: int = Field(default=1_048_576, ge=1024)
    # JSON nested deeper than this is refused before it is parsed (no SMS body needs 5 levels).
    MAX_JSON_DEPTH: int = Field(default=32, ge=2)
    # Set when SMS is served over HTTPS (directly or behind a TLS proxy): adds HSTS.
    SERVE_HTTPS: bool = False
    # /docs, /redoc and /openapi.json; unset: on in development, off in production.
    API_DOCS: bool | None = None

    BACKUP_DIR: str = "backups"
    BACKUP_RETENTION: int = 10
    # The bin folder of pg_dump/pg_restore when those on PATH are older than the server.
    PG_BIN_DIR: str | None = None

    @field_validator(
        "DATABASE_ENGINE",
        "DATABASE_URL",
        "POSTGRES_HOST",
        "POSTGRES_DB",
        "POSTGRES_USER",
        "POSTGRES_PASSWORD",
        "POSTGRES_OPTIONS",
        "DEFAULT_ADMIN_PASSWORD",
        "PG_BIN_DIR",
        "API_DOCS",
        "WEB_CONCURRENCY",
        "POSTGRES_DIRECT_URL",
        mode="before",
    )
    @classmethod
    def blank_means_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @model_validator(mode="after")
    def refuse_weak_secret(self) -> Settings:
        if self.ENVIRONMENT == "development":
            if not self.SECRET_KEY:
                # A per-process key keeps development working; tokens die with the process.
                self.SECRET_KEY = secrets.token_urlsafe(48)
            return self
        key = self.SECRET_KEY
        fix = (
            "set a random value in .env (make run writes one, or run "
            '`python -c "import secrets; print(secrets.token_urlsafe(48))"`), '
            "or set ENVIRONMENT=development for local work"
        )
        if key.lower() in PLACEHOLDER_SECRETS or len(key) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"SECRET_KEY is missing, a placeholder or shorter than {MIN_SECRET_LENGTH} characters: {fix}"
            )
        if any(word in key.lower() for word in PLACEHOLDER_WORDS):
            raise ValueError(f"SECRET_KEY looks like a placeholder (it contains an example word): {fix}")
        bits = secret_entropy_bits(key)
        if bits < MIN_SECRET_BITS:
            raise ValueError(
                f"SECRET_KEY is too predictable (repeated characters or a repeated pattern: about "
                f"{bits:.0f} bits of randomness, {MIN_SECRET_BITS} needed): {fix}"
            )
        return self

    @cached_property
    def database(self) -> ResolvedDatabase:
        """The one database these settings point at (raises DatabaseConfigError)."""
        return resolve_database(
            database_engine=self.DATABASE_ENGINE,
            database_url=self.DATABASE_URL,
            sqlite_path=self.SQLITE_PATH,
            base_dir=REPO_ROOT,
            postgres_host=self.POSTGRES_HOST,
            postgres_port=self.POSTGRES_PORT,
            postgres_db=self.POSTGRES_DB,
            postgres_user=self.POSTGRES_USER,
            postgres_password=self.POSTGRES_PASSWORD,
            postgres_sslmode=self.POSTGRES_SSLMODE,
            postgres_options=self.POSTGRES_OPTIONS,
        )

    @cached_property
    def session_database(self) -> ResolvedDatabase:
        """The database reached with a server session of its own: POSTGRES_DIRECT_URL behind PgBouncer."""
        if not (self.POSTGRES_PGBOUNCER and self.database.kind == "postgresql"):
            return self.database
        if not self.POSTGRES_DIRECT_URL:
            raise DatabaseConfigError(
                "POSTGRES_PGBOUNCER=true needs POSTGRES_DIRECT_URL, the same database reached without "
                "PgBouncer (the server's own host and port), for background jobs and backups: set it in .env"
            )
        direct = resolve_database(
            database_engine="postgresql",
            database_url=self.POSTGRES_DIRECT_URL,
            sqlite_path=self.SQLITE_PATH,
            base_dir=REPO_ROOT,
        )
        return ResolvedDatabase(direct.kind, direct.url, "POSTGRES_DIRECT_URL")

    @property
    def engine_options(self) -> EngineOptions:
        return EngineOptions(
            pool_size=self.DB_POOL_SIZE,
            max_overflow=self.DB_MAX_OVERFLOW,
            pool_recycle=self.DB_POOL_RECYCLE,
            pool_timeout=self.DB_POOL_TIMEOUT,
            connect_timeout=self.DB_CONNECT_TIMEOUT,
            sqlite_busy_timeout_ms=self.SQLITE_BUSY_TIMEOUT_MS,
            # 0 means "off": the server's own setting (or the operator's libpq option) applies.
            statement_timeout_ms=self.DB_STATEMENT_TIMEOUT_MS or None,
            idle_in_transaction_timeout_ms=self.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS or None,
            tcp_keepalives_idle=self.DB_TCP_KEEPALIVES_IDLE or None,
            tcp_keepalives_interval=self.DB_TCP_KEEPALIVES_INTERVAL or None,
            tcp_keepalives_count=self.DB_TCP_KEEPALIVES_COUNT or None,
            wait_deadline_seconds=self.DB_REQUEST_DEADLINE_SECONDS or None,
            pgbouncer=self.POSTGRES_PGBOUNCER,
        )

    @property
    def api_docs_enabled(self) -> bool:
        """Whether /docs, /redoc and /openapi.json are served."""
        return self.ENVIRONMENT == "development" if self.API_DOCS is None else self.API_DOCS

    def resolve_path(self, value: str) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else REPO_ROOT / path

    @property
    def secrets(self) -> list[str]:
        """Values that must never appear in a log line, an error or a response."""
        values = [self.SECRET_KEY, self.POSTGRES_PASSWORD, self.DEFAULT_ADMIN_PASSWORD]
        for url in (self.database.url, self.session_database.url):
            if url.password:
                values.append(url.password)
            values.extend(url_secrets(url))
        return [v for v in values if v]


class ConfigError(RuntimeError):
    """The settings cannot be used; the message names the variable and the fix."""


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings, resolving the database once, or raise ConfigError."""
    try:
        overrides.setdefault("_env_file", env_files())
        settings = Settings(**overrides)  # type: ignore[arg-type]
        settings.database  # noqa: B018 - resolve now so a bad setting stops start-up
        settings.session_database  # noqa: B018
    except ValidationError as exc:
        raise ConfigError(one_line_error(exc)) from None
    except DatabaseConfigError as exc:
        raise ConfigError(str(exc)) from None
    return settings


def load_database_settings(*, resolve: bool = True, **overrides: object) -> Settings:
    """The settings of a tool that needs only the database (backups, migrations, seeding).

    Such a tool signs no tokens, so a missing SECRET_KEY must not stop it: it runs with the
    development rules, which give it a throwaway key. Errors are ConfigError with the same one
    line the app gives. ``resolve=False`` leaves the database to the tool, for one that may be
    told it on its command line instead.
    """
    overrides.setdefault("ENVIRONMENT", "development")
    if resolve:
        return load_settings(**overrides)
    overrides.setdefault("_env_file", env_files())
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(one_line_error(exc)) from None


def one_line_error(exc: ValidationError) -> str:
    """A settings ValidationError as one line that names each variable and its problem."""
    problems = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]) or "settings"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "value_error" and not error["loc"]:
            problems.append(message)
        else:
            problems.append(f"{name}: {message}")
    return "; ".join(problems)


if __name__ == "__main__":
    # `python -m backend.config describe [--json] [--compose]`; the code is in config_describe.
    from backend.config_describe import main

    raise SystemExit(main())
