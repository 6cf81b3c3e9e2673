from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL, Engine, func, select
from sqlalchemy.orm import Session

from backend.main import create_app
from backend.models import User, UserRole
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, TEST_SECRET_KEY, make_settings


def test_login_returns_a_bearer_token_that_identifies_the_user(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login", json={"email": ADMIN_EMAIL.upper(), "password": ADMIN_PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_at", "must_change_password"}
    assert body["token_type"] == "bearer" and body["must_change_password"] is False
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json() == {
        "id": 1,
        "email": ADMIN_EMAIL,
        "full_name": "Administrator",
        "role": "admin",
        "must_change_password": False,
    }
    assert ADMIN_PASSWORD not in me.text and "hashed" not in me.text


@pytest.mark.parametrize(
    "body",
    [
        {"email": ADMIN_EMAIL, "password": "wrong"},
        {"email": "nobody@school.test", "password": ADMIN_PASSWORD},
    ],
)
def test_wrong_credentials_are_refused_without_saying_which_part(
    client: TestClient, body: dict[str, str]
) -> None:
    response = client.post("/api/v1/auth/login", json=body)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Wrong email or password",
        "field": None,
        "code": "wrong_credentials",
        "params": {},
    }


@pytest.mark.parametrize(
    "header",
    [None, "Bearer not-a-token", "Basic YWRtaW46YWRtaW4="],
)
def test_protected_routes_need_a_valid_token(client: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/auth/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_expired_tokens_and_tokens_signed_with_another_key_are_refused(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    claims = jwt.decode(admin_headers["Authorization"].split()[1], TEST_SECRET_KEY, algorithms=["HS256"])
    expired = jwt.encode({**claims, "exp": datetime.now(UTC) - timedelta(seconds=1)}, TEST_SECRET_KEY)
    forged = jwt.encode(claims, "another-key-" * 4)
    for token in (expired, forged):
        assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.get("/api/v1/auth/me", headers=admin_headers).status_code == 200


def test_deactivated_users_lose_access(
    client: TestClient, admin_headers: dict[str, str], engine: Engine
) -> None:
    with Session(engine) as session, session.begin():
        session.scalars(select(User)).one().is_active = False
    assert client.get("/api/v1/auth/me", headers=admin_headers).status_code == 401


def test_the_first_admin_is_created_once(settings: object, engine: Engine) -> None:
    for _ in range(2):
        with TestClient(create_app(settings)):  # type: ignore[arg-type]
            pass
    with Session(engine) as session:
        admins = session.scalars(select(User).where(User.role == UserRole.ADMIN)).all()
    assert [a.email for a in admins] == [ADMIN_EMAIL]
    assert admins[0].hashed_password.startswith("$argon2")


def test_no_admin_password_means_no_admin_and_a_warning(
    database_url: URL, tmp_path: Path, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(database_url, tmp_path, DEFAULT_ADMIN_PASSWORD="")
    with caplog.at_level(logging.WARNING), TestClient(create_app(settings)):
        pass
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0
    assert "DEFAULT_ADMIN_PASSWORD is not set" in caplog.text
    assert caplog.records[-1].levelname == "ERROR"


def test_a_database_whose_only_admin_is_inactive_gets_the_default_admin(
    database_url: URL, tmp_path: Path, engine: Engine
) -> None:
    with Session(engine) as session, session.begin():
        session.add(
            User(email="old-admin@school.test", hashed_password="x", role=UserRole.ADMIN, is_active=False)
        )
    with TestClient(create_app(make_settings(database_url, tmp_path))) as client:
        assert (
            client.post(
                "/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
            ).status_code
            == 200
        )


def test_the_default_admin_never_takes_over_an_existing_account(
    database_url: URL, tmp_path: Path, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with Session(engine) as session, session.begin():
        session.add(User(email=ADMIN_EMAIL, hashed_password="x", role=UserRole.VIEWER))
    with caplog.at_level(logging.WARNING), TestClient(create_app(make_settings(database_url, tmp_path))):
        pass
    with Session(engine) as session:
        assert session.scalars(select(User.role)).all() == [UserRole.VIEWER]
    assert "belongs to an existing account" in caplog.text


@pytest.mark.parametrize("field", ["email", "password"])
def test_a_nul_byte_in_a_login_is_a_422_on_both_engines(client: TestClient, field: str) -> None:
    body = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, field: "a\x00bc@school.test"}
    response = client.post("/api/v1/auth/login", json=body)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", field]
