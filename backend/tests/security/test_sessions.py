"""A token stands for one session of one account, never for a user id (issue 11, item 1).

The defects: the token named only the user id and ids were reused (SQLite had no
AUTOINCREMENT; a PostgreSQL restore rolls the sequence back), so a deleted viewer's token
worked for the admin created after it; there was no logout on the server; a token without
``exp`` was accepted and an odd ``sub`` was a 500.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL, Engine, select, text, update
from sqlalchemy.orm import Session

from backend.main import create_app
from backend.models import User, UserSession
from backend.tests.api.conftest import fast_password_hashing  # noqa: F401 - autouse fixture
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, TEST_SECRET_KEY, make_settings
from backend.tests.security.accounts import add_user, bearer, headers_for, login


def _claims(headers: dict[str, str]) -> dict[str, Any]:
    token = headers["Authorization"].split()[1]
    claims: dict[str, Any] = jwt.decode(token, TEST_SECRET_KEY, algorithms=["HS256"])
    return claims


def _me(client: TestClient, headers: dict[str, str]) -> int:
    return client.get("/api/v1/auth/me", headers=headers).status_code


def test_a_deleted_users_token_never_works_for_the_account_made_after_it(
    client: TestClient, admin_headers: dict[str, str], engine: Engine, db_kind: str
) -> None:
    viewer = add_user(engine, "viewer")
    viewer_headers = headers_for(client, viewer.email, "Viewer-pa55!")
    assert client.delete(f"/api/v1/users/{viewer.id}", headers=admin_headers).status_code == 204
    if db_kind == "postgresql":
        # What restoring a backup taken before the viewer existed does to the sequence.
        with engine.begin() as conn:
            conn.execute(text("SELECT setval('users_id_seq', :id, false)"), {"id": viewer.id})
    created = client.post(
        "/api/v1/users",
        json={"email": "new-admin@school.example", "password": "New-adm1n-pass", "role": "admin"},
        headers=admin_headers,
    ).json()
    if db_kind == "sqlite":
        assert created["id"] > viewer.id  # AUTOINCREMENT: an id is never handed out twice
    else:
        assert created["id"] == viewer.id  # the rolled-back sequence reuses it ...
    # ... and the old token is still refused: its session went with the viewer, and its stamp
    # is not the new account's.
    me = client.get("/api/v1/auth/me", headers=viewer_headers)
    assert me.status_code == 401 and me.json()["code"] == "not_authenticated"
    assert client.get("/api/v1/users", headers=viewer_headers).status_code == 401


def test_logout_ends_this_session_only(client: TestClient, engine: Engine) -> None:
    user = add_user(engine, "teacher", "Teacher-pa55!")
    first = headers_for(client, user.email, "Teacher-pa55!")
    second = headers_for(client, user.email, "Teacher-pa55!")
    assert client.post("/api/v1/auth/logout", headers=first).status_code == 204
    assert _me(client, first) == 401
    assert _me(client, second) == 200
    assert client.post("/api/v1/auth/logout", headers=first).status_code == 401


def test_logout_everywhere_ends_every_session(client: TestClient, engine: Engine) -> None:
    user = add_user(engine, "teacher", "Teacher-pa55!")
    sessions = [headers_for(client, user.email, "Teacher-pa55!") for _ in range(3)]
    assert client.post("/api/v1/auth/logout-everywhere", headers=sessions[0]).status_code == 204
    assert [_me(client, h) for h in sessions] == [401, 401, 401]
    assert _me(client, headers_for(client, user.email, "Teacher-pa55!")) == 200


@pytest.mark.parametrize(
    "change",
    [{"role": "viewer"}, {"is_active": False}, {"password": "An0ther-pass!"}],
    ids=["role", "deactivation", "password"],
)
def test_an_admin_change_that_matters_logs_the_user_out(
    client: TestClient, admin_headers: dict[str, str], engine: Engine, change: dict[str, Any]
) -> None:
    user = add_user(engine, "teacher", "Teacher-pa55!")
    headers = headers_for(client, user.email, "Teacher-pa55!")
    harmless = client.patch(f"/api/v1/users/{user.id}", json={"full_name": "T"}, headers=admin_headers)
    assert harmless.status_code == 200 and _me(client, headers) == 200
    assert client.patch(f"/api/v1/users/{user.id}", json=change, headers=admin_headers).status_code == 200
    assert _me(client, headers) == 401


def test_the_token_carries_the_session_and_the_login_says_when_it_ends(
    client: TestClient, engine: Engine
) -> None:
    response = login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    claims = _claims(bearer(response))
    assert set(claims) == {"sub", "sid", "stamp", "iat", "exp"} and claims["sub"] == "1"
    expires_at = datetime.fromisoformat(response.json()["expires_at"])
    assert abs(expires_at.timestamp() - claims["exp"]) < 1
    with Session(engine) as session:
        row = session.scalars(select(UserSession)).one()
    # Only the hash of the session id is stored: a copied table lets no one in.
    assert row.id != claims["sid"] and len(row.id) == 64 and row.user_agent and row.revoked_at is None


def _signed(**claims: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {jwt.encode(claims, TEST_SECRET_KEY, algorithm='HS256')}"}


@pytest.mark.parametrize(
    "sub",
    [
        "abc",
        "1e3",
        "-1",
        "0",
        " 1",
        "١",
        "99999999999999999999999",
        "2147483648",
        "",
        1,
        None,
        1.5,
        [1],
        {"a": 1},
    ],
)
def test_an_odd_subject_is_a_401_never_a_500(
    client: TestClient, admin_headers: dict[str, str], sub: Any
) -> None:
    good = _claims(admin_headers)
    response = client.get("/api/v1/auth/me", headers=_signed(**{**good, "sub": sub}))
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("missing", ["exp", "sub", "sid", "stamp", "iat"])
def test_a_token_missing_a_claim_is_refused(
    client: TestClient, admin_headers: dict[str, str], missing: str
) -> None:
    claims = {k: v for k, v in _claims(admin_headers).items() if k != missing}
    assert client.get("/api/v1/auth/me", headers=_signed(**claims)).status_code == 401


def test_a_token_with_another_stamp_or_session_is_refused(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    claims = _claims(admin_headers)
    assert client.get("/api/v1/auth/me", headers=_signed(**{**claims, "stamp": "0" * 32})).status_code == 401
    assert client.get("/api/v1/auth/me", headers=_signed(**{**claims, "sid": "x" * 22})).status_code == 401
    assert client.get("/api/v1/auth/me", headers=_signed(**claims)).status_code == 200


def _age_sessions(engine: Engine, minutes: float) -> None:
    with engine.begin() as conn:
        conn.execute(update(UserSession).values(last_seen_at=datetime.now(UTC) - timedelta(minutes=minutes)))


def _last_seen(engine: Engine) -> datetime:
    with Session(engine) as session:
        return session.scalars(select(UserSession.last_seen_at)).one()


def test_an_idle_session_ends(database_url: URL, tmp_path: Path, engine: Engine) -> None:
    settings = make_settings(database_url, tmp_path, SESSION_IDLE_MINUTES=30)
    with TestClient(create_app(settings)) as client:
        headers = headers_for(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        _age_sessions(engine, 29)
        assert _me(client, headers) == 200  # used within the idle time: it lives, and is touched
        assert datetime.now(UTC) - _last_seen(engine) < timedelta(minutes=1)
        _age_sessions(engine, 31)
        assert _me(client, headers) == 401


def test_last_seen_is_written_at_most_once_a_minute(client: TestClient, engine: Engine) -> None:
    headers = headers_for(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    _age_sessions(engine, 0.5)
    before = _last_seen(engine)
    for _ in range(3):
        assert _me(client, headers) == 200
    assert _last_seen(engine) == before  # less than a minute old: no write per request
    _age_sessions(engine, 2)
    assert _me(client, headers) == 200
    assert datetime.now(UTC) - _last_seen(engine) < timedelta(seconds=30)


def test_a_session_past_its_lifetime_ends_even_if_its_token_says_otherwise(
    client: TestClient, admin_headers: dict[str, str], engine: Engine
) -> None:
    with engine.begin() as conn:
        conn.execute(update(UserSession).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert _me(client, admin_headers) == 401


def test_deleting_an_account_deletes_its_sessions(
    client: TestClient, admin_headers: dict[str, str], engine: Engine
) -> None:
    user = add_user(engine, "viewer")
    headers_for(client, user.email, "Viewer-pa55!")
    assert client.delete(f"/api/v1/users/{user.id}", headers=admin_headers).status_code == 204
    with Session(engine) as session:
        assert session.scalars(select(UserSession.user_id)).all() == [1]
        assert session.get(User, user.id) is None
