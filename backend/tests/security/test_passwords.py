"""Password change ends the other sessions; admin reset; the first admin's walk-through (item 2).

The defects: a password change did not end the sessions made with the old password, and the
admin whose password was generated at install never had to choose their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL, Engine

from backend.main import create_app
from backend.tests.api.conftest import fast_password_hashing  # noqa: F401 - autouse fixture
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, make_settings
from backend.tests.security.accounts import add_user, bearer, headers_for, login

OLD, NEW = "Teacher-pa55!", "Brand-new-pa55!"


def _change(client: TestClient, headers: dict[str, str], current: str, new: str) -> Any:
    return client.post(
        "/api/v1/auth/password", json={"current_password": current, "new_password": new}, headers=headers
    )


def test_a_password_change_ends_every_other_session_and_renews_this_one(
    client: TestClient, engine: Engine
) -> None:
    user = add_user(engine, "teacher", OLD)
    here, elsewhere = headers_for(client, user.email, OLD), headers_for(client, user.email, OLD)
    changed = _change(client, here, OLD, NEW)
    assert changed.status_code == 200, changed.text
    assert changed.json()["must_change_password"] is False
    renewed = bearer(changed)
    assert client.get("/api/v1/auth/me", headers=elsewhere).status_code == 401
    # The old token of this session carries the old stamp; the answer's token replaces it.
    assert client.get("/api/v1/auth/me", headers=here).status_code == 401
    assert client.get("/api/v1/students", headers=renewed).status_code == 200
    login(client, user.email, OLD, expect=401)
    login(client, user.email, NEW)


@pytest.mark.parametrize(
    ("current", "new", "code", "field"),
    [
        ("wrong-pa55word", NEW, "wrong_current_password", "current_password"),
        (OLD, "Sh0rt!", "password_too_short", "new_password"),
        (OLD, "x" * 257, "password_too_long", "new_password"),
        (OLD, "EMAIL", "password_is_email", "new_password"),
        (OLD, OLD, "password_unchanged", "new_password"),
    ],
)
def test_a_refused_change_says_why_in_one_coded_line(
    client: TestClient, engine: Engine, current: str, new: str, code: str, field: str
) -> None:
    user = add_user(engine, "teacher", OLD)
    headers = headers_for(client, user.email, OLD)
    refused = _change(client, headers, current, user.email.upper() if new == "EMAIL" else new)
    assert refused.status_code == 400, refused.text
    body = refused.json()
    assert (body["code"], body["field"]) == (code, field) and "\n" not in body["detail"]
    assert new not in refused.text or new == OLD
    # Refused: the session and the password stay as they were.
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    login(client, user.email, OLD)


def test_guessing_the_current_password_is_throttled_like_a_login(client: TestClient, engine: Engine) -> None:
    user = add_user(engine, "teacher", OLD)
    headers = headers_for(client, user.email, OLD)
    codes = [_change(client, headers, f"guess-{i}-pass", NEW).status_code for i in range(7)]
    assert codes[:5] == [400] * 5 and codes[5:] == [429, 429]
    throttled = _change(client, headers, OLD, NEW)
    assert throttled.status_code == 429 and throttled.json()["code"] == "login_throttled"


def test_an_admin_reset_generates_a_password_once_and_logs_the_user_out(
    client: TestClient, admin_headers: dict[str, str], engine: Engine
) -> None:
    user = add_user(engine, "teacher", OLD)
    headers = headers_for(client, user.email, OLD)
    reset = client.post(f"/api/v1/users/{user.id}/password", json={}, headers=admin_headers)
    assert reset.status_code == 200, reset.text
    generated = reset.json()["generated_password"]
    assert len(generated) >= 12 and reset.json()["must_change_password"] is True
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    login(client, user.email, OLD, expect=401)
    fresh = login(client, user.email, generated)
    assert fresh.json()["must_change_password"] is True
    # Shown once: the user record and the audit trail never hold it.
    for path in (f"/api/v1/users/{user.id}", "/api/v1/audit-log"):
        assert generated not in client.get(path, headers=admin_headers).text
    chosen = client.post(
        f"/api/v1/users/{user.id}/password", json={"new_password": "Chosen-by-adm1n"}, headers=admin_headers
    )
    assert chosen.status_code == 200 and chosen.json()["generated_password"] is None
    login(client, user.email, "Chosen-by-adm1n")
    own = client.post("/api/v1/users/1/password", json={}, headers=admin_headers)
    assert own.status_code == 400 and own.json()["code"] == "reset_own_password"
    short = client.post(
        f"/api/v1/users/{user.id}/password", json={"new_password": "x"}, headers=admin_headers
    )
    assert short.status_code == 400 and short.json()["code"] == "password_too_short"


def test_only_an_admin_resets_passwords(client: TestClient, engine: Engine) -> None:
    teacher = add_user(engine, "teacher", OLD)
    other = add_user(engine, "viewer")
    headers = headers_for(client, teacher.email, OLD)
    for response in (
        client.post(f"/api/v1/users/{other.id}/password", json={}, headers=headers),
        client.delete(f"/api/v1/users/{other.id}/login-throttle", headers=headers),
    ):
        assert response.status_code == 403 and response.json()["code"] == "role_required"


ALLOWED = {("GET", "/api/v1/auth/me"), ("POST", "/api/v1/auth/password"), ("POST", "/api/v1/auth/logout")}


def test_the_installed_admin_must_choose_a_password_before_anything_else(
    database_url: URL, tmp_path: Path
) -> None:
    settings = make_settings(database_url, tmp_path, DEFAULT_ADMIN_MUST_CHANGE_PASSWORD=True)
    with TestClient(create_app(settings)) as client:
        first = login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        assert first.json()["must_change_password"] is True
        headers = bearer(first)
        me = client.get("/api/v1/auth/me", headers=headers)
        assert me.status_code == 200 and me.json()["must_change_password"] is True
        for method, path in [
            ("GET", "/api/v1/students"),
            ("GET", "/api/v1/users"),
            ("POST", "/api/v1/auth/logout-everywhere"),
            ("GET", "/api/v1/dashboard/summary"),
        ]:
            refused = client.request(method, path, headers=headers)
            assert refused.status_code == 403, (path, refused.text)
            assert refused.json()["code"] == "password_change_required"
        changed = _change(client, headers, ADMIN_PASSWORD, "My-own-adm1n-pass")
        assert changed.status_code == 200 and changed.json()["must_change_password"] is False
        assert client.get("/api/v1/users", headers=bearer(changed)).status_code == 200
        assert client.get("/api/v1/auth/me", headers=bearer(changed)).json()["must_change_password"] is False
        assert client.post("/api/v1/auth/logout", headers=bearer(changed)).status_code == 204


def test_an_admin_reset_user_may_log_out_before_changing(
    client: TestClient, admin_headers: dict[str, str], engine: Engine
) -> None:
    user = add_user(engine, "teacher", OLD, must_change_password=True)
    headers = headers_for(client, user.email, OLD)
    assert client.get("/api/v1/students", headers=headers).status_code == 403
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
