from __future__ import annotations

from pathlib import Path

import pytest

from backend.config import REPO_ROOT, ConfigError, env_files, load_settings

STRONG = "kQ7vN2xR9mB4tW8zL1cF6hJ3pY5sD0gA"  # random-looking: a repeated character is refused
# The least a PostgreSQL database given in parts (not as a URL) needs.
POSTGRES_PARTS = {
    "DATABASE_ENGINE": "postgresql",
    "POSTGRES_HOST": "h",
    "POSTGRES_DB": "d",
    "POSTGRES_USER": "u",
}


def test_dotenv_precedence_backend_then_root_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SMS_ENV_FILE", raising=False)
    assert env_files() == (REPO_ROOT / "backend" / ".env", REPO_ROOT / ".env")
    backend_env, root_env = tmp_path / "backend.env", tmp_path / "root.env"
    backend_env.write_text(
        f"SECRET_KEY={STRONG}\nSQLITE_PATH=from-backend.db\nLOG_LEVEL=DEBUG\nBACKUP_RETENTION=3\n"
    )
    root_env.write_text("SQLITE_PATH=from-root.db\nLOG_LEVEL=WARNING\n")
    monkeypatch.setenv("LOG_LEVEL", "ERROR")
    settings = load_settings(_env_file=(backend_env, root_env))
    assert settings.BACKUP_RETENTION == 3  # only in backend/.env
    assert settings.SQLITE_PATH == "from-root.db"  # root .env beats backend/.env
    assert settings.LOG_LEVEL == "ERROR"  # the environment beats both files


def test_sms_env_file_points_at_another_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "school.env"
    other.write_text(
        f"SECRET_KEY={STRONG}\nDATABASE_ENGINE=postgresql\nPOSTGRES_HOST=h\nPOSTGRES_DB=d\nPOSTGRES_USER=u\n"
    )
    monkeypatch.setenv("SMS_ENV_FILE", str(other))
    assert load_settings().database.kind == "postgresql"
    monkeypatch.setenv("SMS_ENV_FILE", "none")
    assert env_files() == ()


@pytest.mark.parametrize("key", ["", "changeme", "secret", "short-but-real"])
def test_production_refuses_a_weak_secret_key(key: str) -> None:
    with pytest.raises(ConfigError, match=r"SECRET_KEY .*make run writes one") as error:
        load_settings(_env_file=None, SECRET_KEY=key)
    assert "\n" not in str(error.value)


def test_development_mode_accepts_a_missing_secret_key_with_a_random_one() -> None:
    first = load_settings(_env_file=None, ENVIRONMENT="development")
    second = load_settings(_env_file=None, ENVIRONMENT="development")
    assert len(first.SECRET_KEY) >= 32 and first.SECRET_KEY != second.SECRET_KEY


def test_bad_values_give_one_line_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match=r"^POSTGRES_PORT: ") as error:
        load_settings(_env_file=None, SECRET_KEY=STRONG, POSTGRES_PORT="fivefourthreetwo")
    assert "\n" not in str(error.value)
    with pytest.raises(ConfigError, match="POSTGRES_SSLMODE='sometimes'"):
        load_settings(_env_file=None, SECRET_KEY=STRONG, **POSTGRES_PARTS, POSTGRES_SSLMODE="sometimes")


def test_blank_values_mean_unset() -> None:
    settings = load_settings(
        _env_file=None, SECRET_KEY=STRONG, DATABASE_ENGINE=" ", DATABASE_URL="", POSTGRES_HOST=""
    )
    assert settings.database.kind == "sqlite"
    assert settings.database.warnings == ()


def test_secrets_lists_every_value_to_mask() -> None:
    settings = load_settings(
        _env_file=None,
        SECRET_KEY=STRONG,
        DEFAULT_ADMIN_PASSWORD="admin-pw",
        DATABASE_URL="postgresql://u:url%40pw@h/d",
    )
    assert set(settings.secrets) == {STRONG, "admin-pw", "url@pw"}
