"""Walk every route in the OpenAPI schema: no token is refused, a viewer writes nothing."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

WRITES = {"post", "put", "patch", "delete"}
PUBLIC = {("post", "/api/v1/auth/login")}
# Resources whose writes are for admins only; teachers write the rest.
ADMIN_WRITES = (
    "/api/v1/students",
    "/api/v1/courses",
    "/api/v1/users",
    "/api/v1/control",
    "/api/v1/academic-years",
    "/api/v1/terms",
    "/api/v1/year-end",
)
# Course-side enrolment is a teacher's own-course write (the course scope checks it), not an admin's.
STAFF_WRITES = {("post", "/api/v1/courses/{course_id}/enrollments/bulk")}
ADMIN_READS = ("/api/v1/users", "/api/v1/audit-log", "/api/v1/control")
# The trash's counts before an erase, under the students' and courses' paths: admins only.
ADMIN_READ_TAILS = ("/purge-preview",)
# Every account's own session and password (log out, change password): no role check to walk,
# and calling them would end the walker's session; tests/security covers them.
SELF_SERVICE = "/api/v1/auth/"


def _operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    schema = client.app.openapi()  # type: ignore[attr-defined]
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in item.items()
        if (method, path) not in PUBLIC
    ]


def _call(client: TestClient, method: str, path: str, headers: dict[str, str] | None = None) -> Any:
    url = re.sub(r"\{[^}]+\}", "1", path)
    kwargs: dict[str, Any] = {"headers": headers or {}}
    if method in {"post", "put", "patch"}:
        kwargs["json"] = {}
    return client.request(method.upper(), url, **kwargs)


def test_every_route_needs_a_token(client: TestClient) -> None:
    operations = _operations(client)
    assert len(operations) > 40
    for method, path, _ in operations:
        response = _call(client, method, path)
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.json()["detail"].startswith("Not logged in"), (method, path)
        assert response.headers["www-authenticate"] == "Bearer"


def test_a_viewer_reads_but_never_writes(client: TestClient, viewer_headers: dict[str, str]) -> None:
    for method, path, _ in _operations(client):
        if path.startswith(SELF_SERVICE):
            continue
        response = _call(client, method, path, viewer_headers)
        if method in WRITES or path.startswith(ADMIN_READS) or path.endswith(ADMIN_READ_TAILS):
            assert response.status_code == 403, (method, path, response.status_code)
            assert response.json()["detail"].startswith("This needs the"), (method, path)
        else:
            assert response.status_code not in (401, 403), (method, path, response.status_code)


def test_a_teacher_writes_school_work_but_not_records_or_accounts(
    client: TestClient, teacher_headers: dict[str, str]
) -> None:
    for method, path, _ in _operations(client):
        if method not in WRITES or path.startswith(SELF_SERVICE):
            continue
        response = _call(client, method, path, teacher_headers)
        if path.startswith(ADMIN_WRITES) and (method, path) not in STAFF_WRITES:
            assert response.status_code == 403, (method, path, response.status_code)
        else:
            # Past the role check: the empty body or the made-up id is what gets refused.
            assert response.status_code in (404, 422), (method, path, response.status_code)


def test_operations_have_clean_ids_summaries_and_docstrings(client: TestClient) -> None:
    schema = client.app.openapi()  # type: ignore[attr-defined]
    seen: set[str] = set()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            assert operation.get("tags"), where
            tag = operation["tags"][0]
            assert re.fullmatch(rf"{re.escape(tag)}-[a-z_]+", operation["operationId"]), where
            assert operation["operationId"] not in seen, where
            seen.add(operation["operationId"])
            assert operation.get("summary") and "\n" not in operation["summary"], where
            assert operation.get("description") and "\n" not in operation["description"].strip(), where
    assert "students-list_students" in seen and "attendance-bulk_attendance" in seen
