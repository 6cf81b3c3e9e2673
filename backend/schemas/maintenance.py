"""Control Panel → read-only mode: the state and the switch (/api/v1/control/maintenance)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, field_validator

REASON_MAX_LENGTH = 500


class MaintenanceStatus(BaseModel):
    """Whether SMS is read-only, why, since when and who switched; the same for every process."""

    read_only: bool
    reason: str | None = Field(description="why SMS is read-only (null when writable)")
    since: datetime | None = Field(description="when the mode was last switched (UTC); null if never")
    set_by: str | None = Field(description="who switched it last: an admin's email or a tool; null if never")


class MaintenanceSwitch(BaseModel):
    """Turn read-only mode on (with a reason users are shown) or off."""

    read_only: bool
    reason: str | None = Field(
        default=None,
        max_length=REASON_MAX_LENGTH,
        description='shown to users while read-only (default "maintenance"); ignored when turning off',
    )

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("the reason must say why SMS is read-only (or leave it out)")
        return value.strip() if value is not None else None
