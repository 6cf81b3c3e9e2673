from __future__ import annotations

from fastapi.testclient import TestClient

from backend.config import load_settings
from backend.db.engine_builder import mask_url


def test_passwords_in_the_query_string_are_masked_and_listed_as_secrets() -> None:
    url = "postgresql+psycopg://u:Pw1@h/d?sslmode=require&password=QueryPw77&sslpassword=KeyPass99"
    masked = mask_url(url)
    assert "Pw1" not in masked and "QueryPw77" not in masked and "KeyPass99" not in masked
    assert "sslmode=require" in masked and masked.count("***") == 3
    settings = load_settings(
        _env_file=None,
        SECRET_KEY="kQ7vN2xR9mB4tW8zL1cF6hJ3pY5sD0gA",
        DATABASE_ENGINE="postgresql",
        POSTGRES_HOST="h",
        POSTGRES_DB="d",
        POSTGRES_USER="u",
        POSTGRES_OPTIONS="sslpassword=KeyPass99",
    )
    assert "KeyPass99" in settings.secrets
    assert "KeyPass99" not in settings.database.describe()


def test_a_nul_byte_in_a_web_app_path_is_a_404_not_a_500(client: TestClient) -> None:
    for path in ("/%00", "/students/a%00b"):
        assert client.get(path).status_code == 404
