"""Fixtures of the API tests: cheap password hashing, role headers and record factories.

Every test here runs on both engines through the harness's ``client`` (parametrised by
``db_kind``); nothing talks to a fake database.
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import URL

from backend.config import Settings
from backend.core import security
from backend.main import create_app
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PostgresDatabases

_numbers = itertools.count(1)


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> Iterator[None]:
    """Argon2 at production cost takes ~0.3 s a hash here; tests hash dozens of passwords."""
    original = security._hasher
    security._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    security._hasher = original


@pytest.fixture
def teacher_headers(client: TestClient, make_user: Any, make: Factory) -> dict[str, str]:
    """A teacher who teaches every course ``make`` creates, unless it is given other teachers."""
    headers: dict[str, str] = make_user(client, "teacher")
    make.teachers.append(client.get("/api/v1/auth/me", headers=headers).json()["id"])
    return headers


@pytest.fixture
def viewer_headers(client: TestClient, make_user: Any) -> dict[str, str]:
    headers: dict[str, str] = make_user(client, "viewer")
    return headers


class Factory:
    """Creates records through the API as an admin and returns their JSON."""

    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers
        # User ids that teach each new course (the teacher_headers fixture adds its teacher).
        self.teachers: list[int] = []

    def post(self, path: str, body: dict[str, Any], expect: int = 201) -> Any:
        response = self.client.post(f"/api/v1{path}", json=body, headers=self.headers)
        assert response.status_code == expect, response.text
        return response.json()

    def student(self, **overrides: Any) -> dict[str, Any]:
        n = next(_numbers)
        body = {
            "student_id": f"S-{n:05d}",
            "first_name": f"First{n}",
            "last_name": f"Last{n}",
            "email": f"student{n}@school.example",
            "enrollment_date": "2024-09-01",
            **overrides,
        }
        result: dict[str, Any] = self.post("/students", body)
        return result

    def course(self, *, teachers: list[int] | None = None, **overrides: Any) -> dict[str, Any]:
        n = next(_numbers)
        body = {
            "course_code": f"C{n:04d}",
            "course_name": f"Course {n}",
            "semester": "Fall",
            "year": 2024,
            **overrides,
        }
        result: dict[str, Any] = self.post("/courses", body)
        user_ids = self.teachers if teachers is None else teachers
        if user_ids:
            response = self.client.put(
                f"/api/v1/courses/{result['id']}/teachers", json={"user_ids": user_ids}, headers=self.headers
            )
            assert response.status_code == 200, response.text
            result = response.json()
        return result

    def enroll(self, student_id: int, course_id: int, **overrides: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.post(
            "/enrollments", {"student_id": student_id, "course_id": course_id, **overrides}
        )
        return result

    def enrolled_pair(self, **course: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        student, created = self.student(), self.course(**course)
        self.enroll(student["id"], created["id"])
        return student, created

    def enrolled_class(self, size: int, **course: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """A new course with ``size`` new students enrolled in it."""
        created = self.course(**course)
        students = [self.student() for _ in range(size)]
        for student in students:
            self.enroll(student["id"], created["id"])
        return created, students


@pytest.fixture
def make(client: TestClient, admin_headers: dict[str, str]) -> Factory:
    return Factory(client, admin_headers)


class LiveServer:
    """The app under a real uvicorn on a loopback port, in a background thread."""

    def __init__(self, app: Any, *, graceful_shutdown_seconds: int | None = None) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(
            app,
            log_level="warning",
            lifespan="on",
            access_log=False,
            timeout_graceful_shutdown=graceful_shutdown_seconds,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start: see the log above")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.socket.close()


@pytest.fixture
def live_server(settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(create_app(settings)) as server:
        yield server


def live_login(
    server: LiveServer, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD
) -> dict[str, str]:
    response = httpx.post(f"{server.url}/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def target(pg_databases: PostgresDatabases) -> Iterator[URL]:
    """An empty PostgreSQL database for a move to copy the school into (the move tests)."""
    url = pg_databases.create("sms_move_target")
    yield url
    pg_databases.drop(url)
