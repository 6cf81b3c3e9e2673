"""The one error every backup action raises; backend/api/errors.py turns it into an HTTP answer."""

from __future__ import annotations

from typing import Literal

ErrorKind = Literal["invalid", "not_found", "corrupt", "conflict", "busy", "unavailable", "failed"]


class BackupError(RuntimeError):
    """A backup action was refused or failed; the message says what is wrong and what to do."""

    def __init__(self, kind: ErrorKind, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.field = field
