"""The migration tool as an admin runs it: in its own Python process (tests and benchmarks)."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import URL

TOOL = "backend.scripts.migrate_sqlite_to_postgres"


def tool_argv(source: Path, target: URL, *extra: str) -> list[str]:
    """The command line that moves `source` into `target`, with `extra` flags after."""
    url = target.render_as_string(hide_password=False)
    return [sys.executable, "-m", TOOL, "--sqlite-path", str(source), "--postgres-url", url, *extra]
