from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from backend.api.deps import AdminUser, SettingsDep
from backend.db import health
from backend.db.backup import last_backup_at
from backend.db.session import DatabaseDep

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live", summary="Report that the process answers")
def live() -> dict[str, str]:
    """Answer without touching the database."""
    return {"status": "pass"}


@router.get("/ready", summary="Report whether the database is reachable and at head")
async def ready(request: Request) -> JSONResponse:
    """Ping the database and check the schema; 503 when either fails."""
    ok = await run_in_threadpool(health.is_ready, request.app.state.database.read_engine)
    return JSONResponse({"status": "pass" if ok else "fail"}, status_code=200 if ok else 503)


@router.get("/database", summary="Describe the active database in detail (admin)")
def database(_: AdminUser, database: DatabaseDep, settings: SettingsDep) -> dict[str, Any]:
    """Engine, version, latency, schema, pool, size, tables, backup age and warnings."""
    last_backup = last_backup_at(settings.resolve_path(settings.BACKUP_DIR))
    return health.database_report(database, environment=settings.ENVIRONMENT, last_backup_at=last_backup)
