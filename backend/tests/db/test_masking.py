from __future__ import annotations

from fastapi.testclient import TestClient

from backend.config import load_settings
from backend.db.engine_builder import mask_url
from backend.tests.db.test_settings import POSTGRES_PARTS, STRONG


def test_passwords_in_the_query_string_are_masked_and_listed_as_secrets() -> None:
    url = "postgresql+psycopg://u:Pw1@h/d?sslmode=require&password=QueryPw77&sslpassword=KeyPass99"
    masked = mask_url(url)
    assert "Pw1" not in masked and "QueryPw77" not in masked and "KeyPass99" not in masked
    assert "sslmode=require" in masked and masked.count("***") == 3
    settings = load_settings(
        _env_file=None, SECRET_KEY=STRONG, **POSTGRES_PARTS, POSTGRES_OPTIONS="sslpassword=KeyPass99"
    )
    assert "KeyPass99" in settings.secrets
    assert "KeyPass99" not in settings.database.describe()


def test_a_nul_byte_in_a_web_app_path_is_a_404_not_a_500(client: TestClient) -> None:
    for path in ("/%00", "/students/a%00b"):
        assert client.get(path).status_code == 404
