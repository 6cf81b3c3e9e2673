"""Backups of the active database (SQLite online backup API, pg_dump) and restore."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

METADATA_SUFFIX = ".meta.json"


def last_backup_at(backup_dir: Path) -> datetime | None:
    """The creation time of the newest backup whose metadata file is readable."""
    newest: datetime | None = None
    if not backup_dir.is_dir():
        return None
    for meta in backup_dir.glob(f"*{METADATA_SUFFIX}"):
        try:
            created = datetime.fromisoformat(json.loads(meta.read_text())["created_at"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if newest is None or created > newest:
            newest = created
    return newest
