"""Security headers on every response, and the API docs by a setting (issue 11, item 8).

The defects: no security headers at all (the app could be framed), and /docs and
/openapi.json public in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import URL

from backend.api.security_headers import CSP
from backend.main import create_app
from backend.tests.conftest import make_settings

FRONTEND_DIST = Path(__file__).resolve().parents[3] / "frontend" / "dist"
EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _assert_secured(response: object, csp: str = CSP) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    for name, value in EXPECTED.items():
        assert headers.get(name) == value, (name, dict(headers))
    policy = headers["content-security-policy"]
    assert policy == csp
    assert "frame-ancestors 'none'" in policy
    permissions = headers["permissions-policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions


def test_the_policy_is_strict() -> None:
    directives = dict(d.split(" ", 1) for d in CSP.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["connect-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in CSP


def test_every_kind_of_response_carries_the_headers(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    responses = {
        "api": client.get("/api/v1/students", headers=admin_headers),
        "401": client.get("/api/v1/students"),
        "404 api": client.get("/api/v1/no-such-thing"),
        "422": client.get("/api/v1/students?limit=-1", headers=admin_headers),
        "405": client.delete("/health/live"),
        "413": client.post("/api/v1/auth/login", content=b"{" + b" " * 2_000_000 + b"}"),
        "400 deep json": client.post("/api/v1/auth/login", content=b"[" * 100 + b"]" * 100),
        "health": client.get("/health/live"),
        "spa": client.get("/"),
        "spa deep link": client.get("/students/12"),
    }
    expected_status = {"api": 200, "401": 401, "404 api": 404, "422": 422, "405": 405, "413": 413}
    for name, response in responses.items():
        if name in expected_status:
            assert response.status_code == expected_status[name], (name, response.text)
        _assert_secured(response)
    assert "strict-transport-security" not in responses["api"].headers


@pytest.fixture
def web_app_build() -> Iterator[Path]:
    """frontend/dist as `make frontend-build` leaves it, or a stand-in of the same shape."""
    if (FRONTEND_DIST / "index.html").is_file():
        yield FRONTEND_DIST
        return
    made = [FRONTEND_DIST / "index.html", FRONTEND_DIST / "assets" / "stand-in.js"]
    created_dirs = [d for d in (FRONTEND_DIST, FRONTEND_DIST / "assets") if not d.exists()]
    for folder in created_dirs:
        folder.mkdir()
    made[0].write_text('<!doctype html><script type="module" src="/assets/stand-in.js"></script>')
    made[1].write_text("export {};")
    try:
        yield FRONTEND_DIST
    finally:
        for file in made:
            file.unlink(missing_ok=True)
        for folder in reversed(created_dirs):
            folder.rmdir()


def test_the_web_app_files_carry_the_headers(client: TestClient, web_app_build: Path) -> None:
    index = client.get("/")
    assert index.status_code == 200 and "<script" in index.text
    _assert_secured(index)
    asset = next((FRONTEND_DIST / "assets").glob("*.js"))
    script = client.get(f"/assets/{asset.name}")
    assert script.status_code == 200
    _assert_secured(script)


@pytest.fixture
def crashing_app(database_url: URL, tmp_path: Path) -> Iterator[TestClient]:
    app: FastAPI = create_app(make_settings(database_url, tmp_path))

    @app.get("/api/v1/test-crash")
    def crash() -> None:
        raise RuntimeError("boom")

    app.router.routes.insert(0, app.router.routes.pop())  # ahead of the web app's catch-all

    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_a_500_carries_the_headers_too(crashing_app: TestClient) -> None:
    response = crashing_app.get("/api/v1/test-crash")
    assert response.status_code == 500
    _assert_secured(response)


def test_hsts_only_when_served_over_https(database_url: URL, tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(database_url, tmp_path, SERVE_HTTPS=True))) as client:
        for path in ("/health/live", "/", "/api/v1/students"):
            assert client.get(path).headers["strict-transport-security"] == "max-age=31536000"


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
def test_api_docs_are_off_in_production(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    _assert_secured(response)


@pytest.mark.parametrize(
    ("overrides", "served"),
    [
        ({"ENVIRONMENT": "development"}, True),
        ({"ENVIRONMENT": "development", "API_DOCS": False}, False),
        ({"ENVIRONMENT": "production", "API_DOCS": True}, True),
    ],
)
def test_api_docs_follow_the_setting(
    database_url: URL, tmp_path: Path, overrides: dict[str, object], served: bool
) -> None:
    with TestClient(create_app(make_settings(database_url, tmp_path, **overrides))) as client:
        spec = client.get("/openapi.json")
        docs = client.get("/docs")
        redoc = client.get("/redoc")
    assert spec.status_code == docs.status_code == redoc.status_code == (200 if served else 404)
    if served:
        assert "/api/v1/students" in spec.json()["paths"]
        assert "swagger-ui" in docs.text and "/openapi.json" in docs.text
        # The docs pages load their UI from a CDN with an inline bootstrap: their own policy.
        assert "cdn.jsdelivr.net" in docs.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]
        _assert_secured(spec)


def test_the_client_generator_still_gets_the_schema() -> None:
    """frontend/scripts/generate-client.mjs calls create_app().openapi(), whatever API_DOCS says."""
    paths = create_app().openapi()["paths"]
    assert "/api/v1/auth/login" in paths
    assert not any(path in paths for path in ("/docs", "/redoc", "/openapi.json"))
