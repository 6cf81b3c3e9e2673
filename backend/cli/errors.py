"""How a tool turns a failure into its exit code and one line on stderr."""

from __future__ import annotations

import sqlite3
import sys

import psycopg
from sqlalchemy.exc import DBAPIError, OperationalError

from backend.cli import exit_codes


def database_error_code(exc: BaseException) -> int:
    """USAGE when the database cannot be reached, refuses us or stays locked; else FAILED.

    The migration tool draws the same line: a server that is unreachable or busy is the
    operator's to fix before a rerun; any other database error is a failure part-way.
    """
    if isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return exit_codes.USAGE
    # The same errors raised by a driver's own connection (the seed's bulk writers use one).
    if isinstance(exc, (sqlite3.OperationalError, psycopg.OperationalError)):
        return exit_codes.USAGE
    return exit_codes.FAILED


def fail(code: int, message: str) -> int:
    """Print ``error: message`` on stderr and return ``code``, for ``return fail(...)``."""
    print(f"error: {message}", file=sys.stderr)
    return code
