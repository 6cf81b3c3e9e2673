"""The ways a migration stops, each with its exit code and a one-line message."""

from __future__ import annotations

from typing import Any

from backend.cli.exit_codes import DATA as PREFLIGHT
from backend.cli.exit_codes import FAILED as UNEXPECTED
from backend.cli.exit_codes import SCHEMA, USAGE, VERIFY


class TransferError(Exception):
    """A migration that cannot go on; ``str()`` says what failed and what to do."""

    exit_code = UNEXPECTED

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.details = details


class UsageError(TransferError):
    """Bad arguments, a missing or foreign source file, a target that refuses us, a refusal to erase."""

    exit_code = USAGE


class DamagedSource(UsageError):
    """The SQLite file cannot be read where a page is damaged (exit 2, as a truncated file)."""

    advice = (
        "restore it from a backup (or recover what is readable with the sqlite3 shell's .recover "
        "command into a new file), then migrate that; nothing was written"
    )


class SchemaMigrationError(TransferError):
    """The source or the target schema cannot be brought to the code's head."""

    exit_code = SCHEMA


class DataProblems(TransferError):
    """Preflight (or PostgreSQL, for rows it alone can check) found data it would refuse."""

    exit_code = PREFLIGHT


class VerificationFailed(TransferError):
    """The target's rows differ from the source's after the copy; everything was rolled back."""

    exit_code = VERIFY
