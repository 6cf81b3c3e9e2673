"""Control Panel → Backups: what the backup endpoints answer."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel

if TYPE_CHECKING:
    from backend.backups.store import BackupInfo


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
