from __future__ import annotations

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request, Response, status
from sqlalchemy import Engine

from backend.api.deps import AdminUser, SettingsDep
from backend.api.routing import SMSRoute
from backend.backups.store import last_backup_at
from backend.db import health
from backend.db.deadlines import deadline
from backend.db.session import DatabaseDep
from backend.schemas.common import error_responses
from backend.schemas.health import DatabaseHealth, Liveness, Readiness

router = APIRouter(route_class=SMSRoute, prefix="/health", tags=["health"])


@router.get("/live", summary="Report that the process answers")
def live() -> Liveness:
    """Answer without touching the database."""
    return Liveness(status="pass")


@router.get(
    "/ready",
    summary="Report whether the database is reachable and at head",
    responses={503: {"model": Readiness, "description": "The database is unreachable or behind head"}},
)
async def ready(request: Request, response: Response) -> Readiness:
    """Ping the database and check the schema; 503 when either fails or does not answer in time."""
    seconds = request.app.state.settings.HEALTH_PROBE_TIMEOUT_SECONDS
    ok = False
    # A hung database must not hang the probe: answer "fail" after HEALTH_PROBE_TIMEOUT_SECONDS
    # (abandoning the thread, whose own waits end at the same bound through the deadline).
    with anyio.move_on_after(seconds):
        ok = await anyio.to_thread.run_sync(
            _probe, request.app.state.database.engine, seconds, abandon_on_cancel=True
        )
    response.status_code = status.HTTP_200_OK if ok else status.HTTP_503_SERVICE_UNAVAILABLE
    return Readiness(status="pass" if ok else "fail")


def _probe(engine: Engine, seconds: float) -> bool:
    with deadline(seconds):
        return health.is_ready(engine)


@router.get(
    "/database",
    summary="Describe the active database in detail (admin)",
    responses=error_responses((401, "Not logged in"), (403, "Only admins may see it")),
    response_model_exclude_unset=True,
)
def database(_: AdminUser, database: DatabaseDep, settings: SettingsDep) -> DatabaseHealth:
    """Engine, version, latency, schema, pool, size, tables, backup age and warnings."""
    last_backup = last_backup_at(settings.resolve_path(settings.BACKUP_DIR))
    return health.database_report(database, environment=settings.ENVIRONMENT, last_backup_at=last_backup)
