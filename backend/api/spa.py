"""Serve the built React app at / with SPA routing (deep links reload to index.html)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

from backend.api.deps import CodedHTTPException

API_PREFIXES = ("api/", "health/", "docs", "redoc", "openapi.json")


def mount_frontend(app: FastAPI, dist: Path) -> None:
    @app.get("/{path:path}", include_in_schema=False)
    def frontend(path: str) -> FileResponse:
        if path.startswith(API_PREFIXES) or "\x00" in path:
            raise CodedHTTPException(404, "Not found", code="not_found")
        root = dist.resolve()
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        index = root / "index.html"
        if not index.is_file():
            raise CodedHTTPException(
                404,
                "The web app is not built: run `make frontend-build` (or `make run`), then reload",
                code="web_app_not_built",
            )
        return FileResponse(index)
