"""Audit trail response body."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from backend.schemas.common import OutputModel


class AuditRead(OutputModel):
    id: int
    user_id: int | None
    user_email: str | None
    action: str
    entity_type: str
    entity_id: str | None
    details: dict[str, Any] | None
    ip_address: str | None
    created_at: datetime
