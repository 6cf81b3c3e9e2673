"""Every row of the resolution table, as a pure function (no database needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backend.db.engine_builder import DatabaseConfigError, resolve_database

BASE = Path("/srv/sms")
PASSWORD = "p@ss:w/rd%21#x !?&"


def resolve(**settings: Any) -> Any:
    values: dict[str, Any] = {
        "database_engine": None,
        "database_url": None,
        "sqlite_path": "data/student_management.db",
        "base_dir": BASE,
    }
    values.update(settings)
    return resolve_database(**values)


def test_nothing_set_is_sqlite_at_the_default_path() -> None:
    db = resolve()
    assert db.kind == "sqlite"
    assert db.sqlite_path == BASE / "data" / "student_management.db"
    assert db.resolved_from.startswith("default")
    assert db.warnings == ()


def test_absolute_sqlite_path_is_kept(tmp_path: Path) -> None:
    db = resolve(database_engine="sqlite", sqlite_path=str(tmp_path / "x.db"))
    assert db.sqlite_path == tmp_path / "x.db"
    assert "DATABASE_ENGINE=sqlite" in db.resolved_from


def test_postgresql_is_built_from_postgres_settings_with_any_password() -> None:
    db = resolve(
        database_engine="PostgreSQL",
        postgres_host="db.example.org",
        postgres_port=6432,
        postgres_db="student_management",
        postgres_user="sms_user",
        postgres_password=PASSWORD,
        postgres_sslmode="require",
        postgres_options="connect_timeout=5&application_name=sms-night&options=-c statement_timeout=5000",
    )
    assert db.kind == "postgresql"
    url = db.url
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.port, url.database, url.username) == (
        "db.example.org",
        6432,
        "student_management",
        "sms_user",
    )
    assert url.password == PASSWORD
    assert dict(url.query) == {
        "sslmode": "require",
        "connect_timeout": "5",
        "application_name": "sms-night",
        "options": "-c statement_timeout=5000",
    }
    assert db.masked_url.startswith(
        "postgresql+psycopg://sms_user:***@db.example.org:6432/student_management"
    )
    assert PASSWORD not in db.masked_url and PASSWORD not in db.describe()


def test_sslmode_defaults_to_prefer() -> None:
    db = resolve(database_engine="postgresql", postgres_host="h", postgres_db="d", postgres_user="u")
    assert db.url.query["sslmode"] == "prefer"


def test_postgresql_with_missing_settings_names_every_missing_variable() -> None:
    with pytest.raises(DatabaseConfigError) as error:
        resolve(database_engine="postgresql", postgres_db="d")
    message = str(error.value)
    assert "POSTGRES_HOST" in message and "POSTGRES_USER" in message
    assert "POSTGRES_DB" not in message.split("but", 1)[1].split("not set")[0]


@pytest.mark.parametrize("bad", ["require-all", "on", "TRUE"])
def test_unknown_sslmode_is_an_error_naming_the_allowed_values(bad: str) -> None:
    with pytest.raises(
        DatabaseConfigError,
        match=r"POSTGRES_SSLMODE.*disable, allow, prefer, require, verify-ca, verify-full",
    ):
        resolve(
            database_engine="postgresql",
            postgres_host="h",
            postgres_db="d",
            postgres_user="u",
            postgres_sslmode=bad,
        )


def test_malformed_postgres_options_are_an_error() -> None:
    with pytest.raises(DatabaseConfigError, match="POSTGRES_OPTIONS"):
        resolve(
            database_engine="postgresql",
            postgres_host="h",
            postgres_db="d",
            postgres_user="u",
            postgres_options="connect_timeout",
        )


@pytest.mark.parametrize(
    "raw",
    [
        "postgres://u:p%40ss@h:5432/d",
        "postgresql://u:p%40ss@h:5432/d",
        "postgresql+psycopg://u:p%40ss@h:5432/d",
        "postgresql+psycopg2://u:p%40ss@h:5432/d",
    ],
)
def test_database_url_is_normalised_to_psycopg(raw: str) -> None:
    db = resolve(database_url=raw)
    assert db.kind == "postgresql"
    assert db.url.drivername == "postgresql+psycopg"
    assert db.url.password == "p@ss"
    assert db.resolved_from == "DATABASE_URL"


def test_percent_encoded_password_in_database_url_is_decoded() -> None:
    db = resolve(database_url="postgresql://sms:p%40ss%3Aw%2Frd%2521%23x@h/d", database_engine="postgresql")
    assert db.url.password == "p@ss:w/rd%21#x"
    assert "DATABASE_ENGINE=postgresql" in db.resolved_from


def test_database_url_wins_over_postgres_settings() -> None:
    db = resolve(
        database_url="postgresql://u@url-host/d", database_engine="postgresql", postgres_host="other"
    )
    assert db.url.host == "url-host"


def test_engine_contradicting_the_url_stops_with_both_values_named() -> None:
    with pytest.raises(DatabaseConfigError) as error:
        resolve(database_engine="sqlite", database_url="postgresql://u:secret@h/d")
    message = str(error.value)
    assert "DATABASE_ENGINE=sqlite" in message and "DATABASE_URL" in message and "postgresql" in message
    assert "secret" not in message
    with pytest.raises(DatabaseConfigError, match="DATABASE_ENGINE=postgresql contradicts DATABASE_URL"):
        resolve(database_engine="postgresql", database_url="sqlite:///x.db")


def test_sqlite_database_url_is_resolved_against_the_base_dir() -> None:
    db = resolve(database_url="sqlite:///data/other.db")
    assert db.kind == "sqlite"
    assert db.sqlite_path == BASE / "data" / "other.db"


def test_postgres_settings_with_sqlite_engine_are_ignored_with_a_warning() -> None:
    db = resolve(postgres_host="db", postgres_user="sms", postgres_password="pw-not-shown")
    assert db.kind == "sqlite"
    (warning,) = db.warnings
    assert (warning.code, warning.variables) == ("settings_ignored", ("POSTGRES_HOST", "POSTGRES_USER"))
    assert "POSTGRES_HOST, POSTGRES_USER are set" in warning.message
    assert "DATABASE_ENGINE=postgresql" in warning.message
    assert "pw-not-shown" not in str(warning)
    assert resolve(postgres_password="written-by-install").warnings == ()


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("mysql://u:p@h/d", "scheme 'mysql' is not supported"),
        ("not a url", "cannot be parsed"),
        ("postgresql://u:p@ss:w/rd#x@h/d", "percent-encode special characters"),
        ("postgresql:///d", "names no host"),
        ("sqlite://", "without a file"),
        ("postgresql://u@h/d?sslmode=sometimes", "sslmode='sometimes'"),
    ],
)
def test_other_schemes_and_unparsable_urls_stop_start_up(raw: str, fragment: str) -> None:
    with pytest.raises(DatabaseConfigError, match="DATABASE_URL") as error:
        resolve(database_url=raw)
    assert fragment in str(error.value)


def test_unknown_engine_names_the_allowed_values() -> None:
    with pytest.raises(
        DatabaseConfigError, match="DATABASE_ENGINE='mysql' is not valid: use 'sqlite' or 'postgresql'"
    ):
        resolve(database_engine="mysql")


def test_an_unencoded_at_sign_in_a_url_password_stops_the_app() -> None:
    with pytest.raises(DatabaseConfigError, match="'@' in its password: write it as %40"):
        resolve(database_url="postgresql://sms:p@ss@db.school.test:5432/sms")
