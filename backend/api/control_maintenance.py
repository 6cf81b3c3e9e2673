"""Control Panel → read-only mode: show it, or switch it (admin); each switch is audited.

The same service functions as ``python -m backend.scripts.maintenance`` (the audit row, the
row lock that waits for writes in flight). This process sees its own switch at once; other
processes within read_only.CACHE_SECONDS.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from backend.api.actors import actor_for
from backend.api.deps import AdminUser
from backend.api.read_only import cache_of
from backend.db.session import SessionDep
from backend.schemas.common import error_responses
from backend.schemas.maintenance import MaintenanceStatus, MaintenanceSwitch
from backend.services import maintenance
from backend.services.maintenance import MaintenanceState

router = APIRouter(prefix="/api/v1/control/maintenance", tags=["control"])
DEFAULT_REASON = "maintenance"
_REFUSED = error_responses((401, "Not logged in"), (403, "Only admins may see or switch read-only mode"))


def _status(state: MaintenanceState) -> MaintenanceStatus:
    return MaintenanceStatus(
        read_only=state.read_only, reason=state.reason, since=state.since, set_by=state.set_by
    )


@router.get("", summary="Show read-only mode (admin)", responses=_REFUSED)
def get_maintenance(_: AdminUser, session: SessionDep) -> MaintenanceStatus:
    """Whether SMS is read-only, why, since when and who switched it, as the database says."""
    return _status(maintenance.get_state(session=session))


@router.put("", summary="Turn read-only mode on or off (admin)", responses=_REFUSED)
def set_maintenance(
    body: MaintenanceSwitch, user: AdminUser, request: Request, session: SessionDep
) -> MaintenanceStatus:
    """Switch read-only mode for every process using the database; an audit row each time."""
    actor = actor_for(user, request)
    if body.read_only:
        switch = maintenance.turn_on(
            session=session, reason=body.reason or DEFAULT_REASON, set_by=user.email, actor=actor
        )
    else:
        switch = maintenance.turn_off(session=session, set_by=user.email, actor=actor)
    # Committed when the route returns; this process's copy may already say what it will be.
    cache_of(request).store(switch.after)
    return _status(switch.after)
