"""Part of steps.CONSTRAINTS: move every serial/identity sequence past the ids copied in."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

_OWNED_SEQUENCES = text(
    "SELECT c.relname, a.attname, pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) "
    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relname = ANY(:tables) AND a.attnum > 0 "
    "AND NOT a.attisdropped "
    "AND pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) IS NOT NULL "
    "ORDER BY c.relname, a.attnum"
)


def reset_sequences(connection: Connection, tables: Iterable[str]) -> dict[str, int]:
    """Set each sequence so the next id is max(column) + 1, or 1 on an empty table.

    Returns ``{"table.column": next_id}``. Runs inside the caller's transaction.
    """
    names = list(tables)
    next_ids: dict[str, int] = {}
    for table, column, sequence in connection.execute(_OWNED_SEQUENCES, {"tables": names}).all():
        # setval(seq, 1, false) on an empty table: the next nextval() returns 1, not 2.
        next_id = connection.execute(
            text(
                f'SELECT setval(:sequence, COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL) '
                f'+ (MAX("{column}") IS NOT NULL)::int FROM "{table}"'
            ),
            {"sequence": sequence},
        ).scalar_one()
        next_ids[f"{table}.{column}"] = int(next_id)
    return next_ids
