"""Control Panel → Backups (admin only): list, create, download, delete and restore."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel
from sqlalchemy import select

from backend.api.deps import AdminUser, SettingsDep
from backend.db import backup
from backend.db.backup import BackupError, BackupInfo, BackupOptions
from backend.db.session import Database, DatabaseDep, SessionDep, session_scope
from backend.models import AuditLog, User

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1/control/backups", tags=["control"])

STATUS_FOR = {
    "invalid": 400,
    "not_found": 404,
    "corrupt": 400,
    "conflict": 409,
    "busy": 409,
    "unavailable": 503,
    "failed": 500,
}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": "`{detail, field}`: what is wrong and what to do"} for code in (400, 404, 409, 503)
}


class BackupOut(BaseModel):
    name: str
    created_at: datetime
    engine: str
    schema_revision: str | None
    size_bytes: int
    row_counts: dict[str, int]
    checksum: str
    format: str
    app_version: str

    @classmethod
    def of(cls, info: BackupInfo) -> BackupOut:
        return cls(
            name=info.name,
            created_at=info.created_at,
            engine=info.engine,
            schema_revision=info.schema_revision,
            size_bytes=info.size_bytes,
            row_counts=info.row_counts,
            checksum=info.checksum,
            format=info.format,
            app_version=info.app_version,
        )


class BackupCreated(BackupOut):
    removed_by_retention: list[str]


class BackupPage(BaseModel):
    items: list[BackupOut]
    total: int
    limit: int
    offset: int


class RestoreOut(BaseModel):
    name: str
    engine: str
    backup_created_at: datetime
    schema_revision: str | None
    upgraded_from: str | None
    row_counts: dict[str, int]
    restored_at: datetime
    duration_s: float


@router.get("", summary="List the backups, newest first")
def list_backups(
    _: AdminUser,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> BackupPage:
    """List the backups in BACKUP_DIR with their metadata, newest first."""
    found = backup.list_backups(BackupOptions.from_settings(settings).backup_dir)
    items = [BackupOut.of(info) for info in found[offset : offset + limit]]
    return BackupPage(items=items, total=len(found), limit=limit, offset=offset)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=BackupCreated,
    responses=ERRORS,
    summary="Back up the active database now",
)
def create_backup(
    user: AdminUser, request: Request, session: SessionDep, database: DatabaseDep, settings: SettingsDep
) -> BackupCreated | JSONResponse:
    """Back up the active database, then apply BACKUP_RETENTION."""
    who = (user.id, user.email)
    session.commit()
    try:
        report = backup.create_backup(database=database, options=BackupOptions.from_settings(settings))
    except BackupError as exc:
        return _refusal(exc)
    info = report.backup
    log.info("backup %s created (%d bytes, %.2f s)", info.name, info.size_bytes, report.duration_s)
    details = {"size_bytes": info.size_bytes, "removed_by_retention": report.removed}
    _audit(database, request, who, "create", info.name, details)
    return BackupCreated(**BackupOut.of(info).model_dump(), removed_by_retention=report.removed)


@router.get(
    "/{name:path}/download",
    response_model=None,
    responses={200: {"content": {"application/octet-stream": {}}}, **ERRORS},
    summary="Download a backup file",
)
def download_backup(
    name: str,
    user: AdminUser,
    request: Request,
    session: SessionDep,
    database: DatabaseDep,
    settings: SettingsDep,
) -> FileResponse | JSONResponse:
    """Stream a backup file as an attachment."""
    session.commit()
    backup_dir = BackupOptions.from_settings(settings).backup_dir
    try:
        info = backup.get_backup(backup_dir=backup_dir, name=name)
    except BackupError as exc:
        return _refusal(exc)
    _audit(database, request, (user.id, user.email), "download", info.name, {"size_bytes": info.size_bytes})
    return FileResponse(
        backup.backup_file(backup_dir, info.name), media_type="application/octet-stream", filename=info.name
    )


@router.delete(
    "/{name:path}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    responses=ERRORS,
    summary="Delete a backup",
)
def delete_backup(
    name: str,
    user: AdminUser,
    request: Request,
    session: SessionDep,
    database: DatabaseDep,
    settings: SettingsDep,
) -> Response:
    """Delete a backup file and its metadata."""
    session.commit()
    try:
        backup.delete_backup(backup_dir=BackupOptions.from_settings(settings).backup_dir, name=name)
    except BackupError as exc:
        return _refusal(exc)
    _audit(database, request, (user.id, user.email), "delete", name, None)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{name:path}/restore",
    response_model=RestoreOut,
    responses=ERRORS,
    summary="Replace the live data with a backup",
)
def restore_backup(
    name: str,
    user: AdminUser,
    request: Request,
    session: SessionDep,
    database: DatabaseDep,
    settings: SettingsDep,
) -> RestoreOut | JSONResponse:
    """Check a backup and restore it, or refuse and change nothing."""
    who = (user.id, user.email)
    session.commit()
    try:
        report = backup.restore_backup(
            database=database, options=BackupOptions.from_settings(settings), name=name
        )
    except BackupError as exc:
        log.warning("restore of %s refused: %s", name[:120], exc)
        return _refusal(exc)
    log.warning("database restored from backup %s by %s", report.backup.name, user.email)
    details = {
        "backup_created_at": report.backup.created_at.isoformat(),
        "upgraded_from": report.upgraded_from,
    }
    _audit(database, request, who, "restore", report.backup.name, details)
    return RestoreOut(**report.as_dict())


def _refusal(exc: BackupError) -> JSONResponse:
    return JSONResponse({"detail": str(exc), "field": exc.field}, status_code=STATUS_FOR[exc.kind])


def _audit(
    database: Database,
    request: Request,
    who: tuple[int, str],
    action: str,
    name: str,
    details: dict[str, Any] | None,
) -> None:
    # Every route ends the request's own transaction first (on SQLite a POST holds the write
    # lock from its first query, and a backup or restore must not wait for its own request);
    # the audit row then gets a write transaction of its own.
    with session_scope(database.sessions) as session:
        # After a restore the acting account may be missing from the restored data, or be another.
        user_id = session.scalar(select(User.id).where(User.id == who[0], User.email == who[1]))
        session.add(
            AuditLog(
                user_id=user_id,
                user_email=who[1],
                action=action,
                entity_type="backup",
                entity_id=name[:64],
                details={"name": name, **(details or {})},
                ip_address=request.client.host if request.client else None,
            )
        )
