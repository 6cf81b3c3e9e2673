"""The one Settings object of SMS.

Sources, later ones winning: ``backend/.env``, then the repository's root ``.env``, then
the process environment. The root ``.env`` outranks ``backend/.env`` because it is the file
that ``docker-compose.yml`` and ``DOCKER.ps1`` read too, so the app and the containers
always agree on the database.
"""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import ValidationError, field_validator, model_validator
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
MIN_SECRET_LENGTH = 32


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
    SQLITE_BUSY_TIMEOUT_MS: int = 30000
    AUTO_MIGRATE: bool = False

    SECRET_KEY: str = ""
    ACCESS_TOKEN_EXPIRE_MINUTES: int = 480
    DEFAULT_ADMIN_EMAIL: str = "admin@example.com"
    DEFAULT_ADMIN_PASSWORD: str | None = None
    LOGIN_MAX_FAILURES: int = 5
    LOGIN_LOCKOUT_MINUTES: int = 15

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
        if key.lower() in PLACEHOLDER_SECRETS or len(key) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"SECRET_KEY is missing, a placeholder or shorter than {MIN_SECRET_LENGTH} "
                "characters: set a random value in .env (make run writes one, or run "
                '`python -c "import secrets; print(secrets.token_urlsafe(48))"`), '
                "or set ENVIRONMENT=development for local work"
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

    @property
    def engine_options(self) -> EngineOptions:
        return EngineOptions(
            pool_size=self.DB_POOL_SIZE,
            max_overflow=self.DB_MAX_OVERFLOW,
            pool_recycle=self.DB_POOL_RECYCLE,
            pool_timeout=self.DB_POOL_TIMEOUT,
            connect_timeout=self.DB_CONNECT_TIMEOUT,
            sqlite_busy_timeout_ms=self.SQLITE_BUSY_TIMEOUT_MS,
        )

    def resolve_path(self, value: str) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else REPO_ROOT / path

    @property
    def secrets(self) -> list[str]:
        """Values that must never appear in a log line, an error or a response."""
        values = [self.SECRET_KEY, self.POSTGRES_PASSWORD, self.DEFAULT_ADMIN_PASSWORD]
        if self.database.url.password:
            values.append(self.database.url.password)
        values.extend(url_secrets(self.database.url))
        return [v for v in values if v]


class ConfigError(RuntimeError):
    """The settings cannot be used; the message names the variable and the fix."""


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings, resolving the database once, or raise ConfigError."""
    try:
        overrides.setdefault("_env_file", env_files())
        settings = Settings(**overrides)  # type: ignore[arg-type]
        settings.database  # noqa: B018 - resolve now so a bad setting stops start-up
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
