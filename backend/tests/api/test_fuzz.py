"""Schemathesis generates requests from the OpenAPI schema; no answer may be a 5xx.

Valid (positive) and invalid (negative) requests are sent as the admin to a live uvicorn,
so every route, its validation and the database below it are exercised on both engines.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from backend.tests.api.conftest import Factory, LiveServer, live_login

POSITIVE_EXAMPLES = 8
NEGATIVE_EXAMPLES = 6
RULES = [{"category": "exam", "weight": 60}, {"category": "homework", "weight": 40}]
# Routes that end the caller's sessions or change an account's password: each example runs
# on an account made for it, so the admin's own session lives through the whole run.
OWN_SESSION = ("/api/v1/auth/logout", "/api/v1/auth/logout-everywhere", "/api/v1/auth/password")
ONE_ACCOUNT = "/api/v1/users/{user_id}"
THROWAWAY_PASSWORD = "Fuzz-pa55word!"


def _throwaway(server: LiveServer, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    """A fresh viewer account: its id and its login headers."""
    email = f"fuzz-{uuid.uuid4().hex[:10]}@school.example.org"
    body = {"email": email, "password": THROWAWAY_PASSWORD, "role": "viewer"}
    created = httpx.post(f"{server.url}/api/v1/users", json=body, headers=headers)
    assert created.status_code == 201, created.text
    return created.json()["id"], live_login(server, email, THROWAWAY_PASSWORD)


def _seed(server: LiveServer, headers: dict[str, str]) -> None:
    """Give ids 1 and 2 of each resource a row, so fuzzed ids reach real records."""
    with httpx.Client(base_url=server.url, headers=headers) as client:
        factory = Factory(client, headers)  # type: ignore[arg-type]
        for _ in range(2):
            student, course = factory.enrolled_pair(evaluation_rules=RULES)
            ids = {"student_id": student["id"], "course_id": course["id"]}
            factory.post("/grades", {**ids, "assignment_name": "A", "category": "exam", "grade": 5})
            factory.post("/attendance", {**ids, "date": "2024-10-01", "status": "absent"})
            factory.post("/daily-performance", {**ids, "date": "2024-10-01", "category": "oral", "score": 5})
            factory.post(
                "/highlights",
                {
                    "student_id": student["id"],
                    "semester": "Fall",
                    "category": "x",
                    "highlight_text": "y",
                    "date_recorded": "2024-10-01",
                },
            )


def test_fuzzed_requests_never_get_a_server_error(live_server: LiveServer) -> None:
    headers = live_login(live_server)
    _seed(live_server, headers)
    # The schema comes from the app object: production settings do not serve /openapi.json.
    schema = schemathesis.openapi.from_dict(live_server.server.config.app.openapi())
    failures: list[str] = []
    statuses: set[int] = set()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/api/v1/"):
            continue
        operations += 1
        positive = operation.as_strategy(schemathesis.GenerationMode.POSITIVE)
        negative = operation.as_strategy(schemathesis.GenerationMode.NEGATIVE)
        for strategy, examples in ((positive, POSITIVE_EXAMPLES), (negative, NEGATIVE_EXAMPLES)):

            @given(case=strategy)
            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def check(case: Any) -> None:
                case_headers = headers
                if case.path in OWN_SESSION:
                    _, case_headers = _throwaway(live_server, headers)
                elif case.path.startswith(ONE_ACCOUNT) and isinstance(case.path_parameters, dict):
                    case.path_parameters["user_id"] = _throwaway(live_server, headers)[0]
                response = case.call(base_url=live_server.url, headers=case_headers, timeout=30)
                statuses.add(response.status_code)
                if response.status_code >= 500:
                    failures.append(
                        f"{case.method} {case.formatted_path} -> {response.status_code}: "
                        f"{response.text[:200]}\n  {case.as_curl_command()}"
                    )

            check()
    assert operations > 40
    assert not failures, "\n".join(failures[:10])
    # The fuzzer got past validation into the services, not only 422s.
    assert {200, 201, 204, 404, 422} <= statuses
