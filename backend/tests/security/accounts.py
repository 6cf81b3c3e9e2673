"""Helpers of the account tests: users made in the database, logins, tokens, throttle rows."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from backend.core.security import hash_password
from backend.models import LoginThrottle, User, UserRole

Client = TestClient | httpx.Client


def add_user(engine: Engine, role: str = "viewer", password: str = "Viewer-pa55!", **values: Any) -> User:
    """Create an account straight in the database and return it (detached)."""
    email = values.pop("email", f"{role}-{uuid.uuid4().hex[:8]}@school.test")
    with Session(engine, expire_on_commit=False) as session, session.begin():
        user = User(
            email=email,
            full_name=role.title(),
            hashed_password=hash_password(password),
            role=UserRole(role),
            **values,
        )
        session.add(user)
    return user


def login(client: Client, email: str, password: str, expect: int = 200) -> httpx.Response:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == expect, response.text
    return response


def bearer(response: httpx.Response) -> dict[str, str]:
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def headers_for(client: Client, email: str, password: str) -> dict[str, str]:
    return bearer(login(client, email, password))


def throttle_row(engine: Engine, key: str) -> LoginThrottle | None:
    with Session(engine) as session:
        return session.scalar(select(LoginThrottle).where(LoginThrottle.key == key))
