"""The exit codes of every SMS command-line tool: one number, one meaning, in every tool.

The migration tool's codes came first and are fixed by its user guide; every other tool uses
the same number for the same situation. docs/CLI.md shows this table (a test keeps the two
in step). Each code promises the same thing about the database: only VERIFY follows a write,
and it was rolled back.
"""

from __future__ import annotations

OK = 0
FAILED = 1
USAGE = 2
SCHEMA = 3
DATA = 4
VERIFY = 5

MEANINGS: dict[int, str] = {
    OK: "Done (a dry run: nothing to fix).",
    FAILED: "Failed in a way no other code names: an unexpected error, or the database or a "
    "PostgreSQL client tool failing part-way. One line says what; nothing was committed.",
    USAGE: "Could not run as asked; nothing changed: a bad flag or argument, settings that cannot "
    "be used, a missing or wrong input (a file that is not SQLite, no such backup), a database "
    "that cannot be reached, refuses the connection or stays locked, or a confirmation that "
    "was needed and not given (no terminal and no `--yes`, or an answer other than `yes`).",
    SCHEMA: "The schema is not one this code can use: written by newer code or missing, an "
    "upgrade that failed, a database not at head where it must be, or a backup made on the "
    "other engine or at a schema this code cannot restore.",
    DATA: "The data was refused; nothing written: preflight findings, rows PostgreSQL refused, "
    "or a damaged backup.",
    VERIFY: "Verification after the copy found a difference: everything was rolled back.",
}
NAMES: dict[int, str] = {
    OK: "OK",
    FAILED: "FAILED",
    USAGE: "USAGE",
    SCHEMA: "SCHEMA",
    DATA: "DATA",
    VERIFY: "VERIFY",
}
