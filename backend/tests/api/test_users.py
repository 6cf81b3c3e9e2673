from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD


def _no_password(body: Any) -> None:
    text = json.dumps(body).lower()
    for secret in ("first-pa55word", "second-pa55word", "hashed_password", "argon2"):
        assert secret not in text


def test_admin_manages_accounts_without_exposing_passwords(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    created = client.post(
        "/api/v1/users",
        json={
            "email": "T.One@School.Example",
            "full_name": "T One",
            "password": "first-pa55word",
            "role": "teacher",
        },
        headers=admin_headers,
    )
    assert created.status_code == 201, created.text
    user = created.json()
    assert (user["email"], user["role"]) == ("t.one@school.example", "teacher")
    _no_password(user)
    login = client.post(
        "/api/v1/auth/login", json={"email": "t.one@school.example", "password": "first-pa55word"}
    )
    assert login.status_code == 200
    url = f"/api/v1/users/{user['id']}"
    changed = client.patch(url, json={"password": "second-pa55word", "role": "viewer"}, headers=admin_headers)
    assert changed.status_code == 200 and changed.json()["role"] == "viewer"
    assert (
        client.post(
            "/api/v1/auth/login", json={"email": user["email"], "password": "second-pa55word"}
        ).status_code
        == 200
    )
    listed = client.get("/api/v1/users", params={"role": "viewer"}, headers=admin_headers).json()
    assert [u["id"] for u in listed["items"]] == [user["id"]]
    for body in (
        listed,
        client.get(url, headers=admin_headers).json(),
        client.get("/api/v1/audit-log", params={"entity_type": "user"}, headers=admin_headers).json(),
    ):
        _no_password(body)
    duplicate = client.post(
        "/api/v1/users", json={"email": user["email"], "password": "whatever-123"}, headers=admin_headers
    )
    assert duplicate.status_code == 409 and duplicate.json()["field"] == "email"
    short = client.post(
        "/api/v1/users", json={"email": "x@school.example", "password": "short"}, headers=admin_headers
    )
    assert short.status_code == 422 and short.json()["detail"][0]["loc"] == ["body", "password"]
    assert client.delete(url, headers=admin_headers).status_code == 204
    assert client.get(url, headers=admin_headers).status_code == 404


def test_the_last_admin_stays(client: TestClient, admin_headers: dict[str, str]) -> None:
    me = client.get("/api/v1/auth/me", headers=admin_headers).json()
    url = f"/api/v1/users/{me['id']}"
    demote = client.patch(url, json={"role": "teacher"}, headers=admin_headers)
    assert demote.status_code == 400 and "only active admin" in demote.json()["detail"]
    deactivate = client.patch(url, json={"is_active": False}, headers=admin_headers)
    assert deactivate.status_code == 400
    myself = client.delete(url, headers=admin_headers)
    assert myself.status_code == 400 and "your own account" in myself.json()["detail"]
    assert client.get("/api/v1/auth/me", headers=admin_headers).json()["role"] == "admin"


def test_teachers_and_viewers_cannot_manage_users(
    client: TestClient, teacher_headers: dict[str, str], viewer_headers: dict[str, str]
) -> None:
    for headers in (teacher_headers, viewer_headers):
        response = client.get("/api/v1/users", headers=headers)
        assert response.status_code == 403
        assert response.json() == {
            "detail": "This needs the admin role",
            "field": None,
            "code": "role_required",
            "params": {"roles": ["admin"]},
        }


def test_an_admin_lets_a_throttled_account_log_in_again(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    created = client.post(
        "/api/v1/users",
        json={"email": "lock@school.example", "password": "right-pa55word"},
        headers=admin_headers,
    ).json()
    wrong = {"email": "lock@school.example", "password": "wrong-password"}
    for _ in range(5):
        failed = client.post("/api/v1/auth/login", json=wrong)
        assert failed.status_code == 401
        assert failed.json()["code"] == "wrong_credentials"
    right = {"email": "lock@school.example", "password": "right-pa55word"}
    throttled = client.post("/api/v1/auth/login", json=right)
    assert throttled.status_code == 429 and throttled.json()["code"] == "login_throttled"
    url = f"/api/v1/users/{created['id']}/login-throttle"
    assert client.delete(url, headers=admin_headers).status_code == 204
    assert client.post("/api/v1/auth/login", json=right).status_code == 200
    # The admin's own account was never touched by someone else's failures.
    assert (
        client.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}).status_code
        == 200
    )
    entries = client.get("/api/v1/audit-log", params={"action": "login_unthrottle"}, headers=admin_headers)
    assert [e["entity_id"] for e in entries.json()["items"]] == [str(created["id"])]


def test_a_refused_password_is_not_echoed_or_logged(
    client: TestClient, admin_headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Sh0rt!"
    refused = client.post(
        "/api/v1/users", json={"email": "x@school.example", "password": secret}, headers=admin_headers
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "password"]
    login = client.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": secret * 300})
    assert login.status_code == 422
    for text in (refused.text, login.text, caplog.text):
        assert secret not in text and ADMIN_PASSWORD not in text
