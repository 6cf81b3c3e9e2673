"""Logging set-up with a filter that masks every secret as ``***``."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"


def secret_forms(secrets: Iterable[str]) -> set[str]:
    """Each secret as written and as it appears percent-encoded inside a URL."""
    return {form for s in secrets if s for form in (s, quote(s, safe=""), quote_plus(s))}


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in sorted(secret_forms(secrets), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted(secret_forms(secrets), key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message, self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            # Exceptions are rendered later by the formatter; render them masked now.
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text, record.exc_info = redact(text, self.secrets), None
        return True


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (test runners swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(level: str, secrets: Iterable[str]) -> None:
    """Install one masked stream handler on the root logger (idempotent)."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in root.handlers:
        if getattr(handler, "_sms", False):
            root.removeHandler(handler)
    handler = _StderrHandler()
    handler._sms = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root.addHandler(handler)
    # Alembic announces its context on every revision check; only its warnings matter here.
    logging.getLogger("alembic.runtime.migration").setLevel(max(root.level, logging.WARNING))
    # Uvicorn's own loggers propagate to root only when they have no handler of their own.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        for existing in logging.getLogger(name).handlers:
            existing.addFilter(RedactSecrets(secrets))
