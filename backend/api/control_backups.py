"""Control Panel → Backups (admin only): list, create, download, delete and restore."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import FileResponse

from backend.api.actors import AdminActor
from backend.api.deps import AdminUser, SettingsDep
from backend.api.routing import SMSRoute
from backend.backups import service
from backend.backups.service import BackupOptions
from backend.db.session import DatabaseDep, SessionDep, WriteSessionDep
from backend.schemas.backups import BackupCreated, BackupOut, BackupPage, RestoreOut
from backend.schemas.common import ERROR_RESPONSES, ErrorBody

RESPONSES = {
    **ERROR_RESPONSES,
    500: {"model": ErrorBody, "description": "Backup or restore failed; a failed restore changes nothing"},
    503: {"model": ErrorBody, "description": "The database or the PostgreSQL client tools are unavailable"},
}

router = APIRouter(
    route_class=SMSRoute, prefix="/api/v1/control/backups", tags=["control"], responses=RESPONSES
)


@router.get("", summary="List the backups, newest first")
def list_backups(
    _: AdminUser,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> BackupPage:
    """List the backups in BACKUP_DIR with their metadata, newest first."""
    found = service.list_backups(backup_dir=BackupOptions.from_settings(settings).backup_dir)
    items = [BackupOut.of(info) for info in found[offset : offset + limit]]
    return BackupPage(items=items, total=len(found), limit=limit, offset=offset)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Back up the active database now")
def create_backup(
    actor: AdminActor, session: SessionDep, database: DatabaseDep, settings: SettingsDep
) -> BackupCreated:
    """Back up the active database, then apply BACKUP_RETENTION."""
    report = service.create_backup(
        session=session, actor=actor, database=database, options=BackupOptions.from_settings(settings)
    )
    return BackupCreated(**BackupOut.of(report.backup).model_dump(), removed_by_retention=report.removed)


@router.get(
    "/{name:path}/download",
    response_model=None,
    responses={200: {"content": {"application/octet-stream": {}}}},
    summary="Download a backup file",
)
def download_backup(
    name: str, actor: AdminActor, session: WriteSessionDep, settings: SettingsDep
) -> FileResponse:
    """Stream a backup file as an attachment."""
    # A GET that writes (its audit entry): hence the writing session, not SessionDep's read one.
    path = service.download_backup(
        session=session, actor=actor, backup_dir=BackupOptions.from_settings(settings).backup_dir, name=name
    )
    return FileResponse(path, media_type="application/octet-stream", filename=path.name)


@router.delete(
    "/{name:path}", status_code=status.HTTP_204_NO_CONTENT, response_model=None, summary="Delete a backup"
)
def delete_backup(name: str, actor: AdminActor, session: SessionDep, settings: SettingsDep) -> Response:
    """Delete a backup file and its metadata."""
    service.delete_backup(
        session=session, actor=actor, backup_dir=BackupOptions.from_settings(settings).backup_dir, name=name
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{name:path}/restore", summary="Replace the live data with a backup")
def restore_backup(
    name: str, actor: AdminActor, session: SessionDep, database: DatabaseDep, settings: SettingsDep
) -> RestoreOut:
    """Check a backup and restore it, or refuse and change nothing."""
    report = service.restore_backup(
        session=session,
        actor=actor,
        database=database,
        options=BackupOptions.from_settings(settings),
        name=name,
    )
    return RestoreOut.model_validate(report.as_dict())
