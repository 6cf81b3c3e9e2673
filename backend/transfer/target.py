"""The inspect and schema steps (steps.py): what the target holds, its schema brought to head.

Alembic runs on the migration's own connection, inside the one transaction, so a copy that
fails after the schema was created leaves the target without it, exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alembic import command
from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from backend.db import migrations
from backend.db.errors import describe_db_error
from backend.models import Base
from backend.transfer.errors import SchemaMigrationError, UsageError


@dataclass
class TargetState:
    revision: str | None
    tables: set[str]
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def at_head(self) -> bool:
        return self.revision == migrations.head_revision()


def inspect_target(connection: Connection, names: list[str]) -> TargetState:
    """The target's revision, its tables, and the rows each of ``names`` holds (read only)."""
    tables = set(
        connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    revision = None
    if "alembic_version" in tables:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    state = TargetState(revision, tables)
    for name in names:
        if name in tables:
            state.rows[name] = int(connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
    return state


def rows_changed_since(
    connection: Connection, state: TargetState, names: list[str]
) -> dict[str, tuple[int, int]]:
    """Tables among ``names`` whose row count is no longer what was inspected (and confirmed)."""
    counted = [name for name in names if name in state.rows]
    now = inspect_target(connection, counted).rows
    return {n: (state.rows[n], now.get(n, 0)) for n in counted if now.get(n, 0) != state.rows[n]}


def cascade_victims(selected: list[str]) -> list[str]:
    """Tables outside the selection that TRUNCATE ... CASCADE of the selection would empty too."""
    victims: set[str] = set()
    reached = set(selected)
    changed = True
    while changed:
        changed = False
        for table in Base.metadata.sorted_tables:
            if table.name in reached:
                continue
            if any(fk.referred_table.name in reached for fk in table.foreign_key_constraints):
                reached.add(table.name)
                victims.add(table.name)
                changed = True
    return sorted(victims)


def check_schema(state: TargetState, *, skip_migrations: bool) -> None:
    """Refuse a target whose schema this run cannot use (exit 3)."""
    head = migrations.head_revision()
    if state.revision is not None and state.revision not in migrations.known_revisions():
        raise SchemaMigrationError(
            f"the target schema is at revision {state.revision}, which this version of SMS does not know "
            f"(its head is {head}): use the SMS version that created it, or an empty database"
        )
    if skip_migrations and not state.at_head:
        raise SchemaMigrationError(
            f"--skip-migrations needs the target schema at {head}, but it is at "
            f"{state.revision or 'none (no SMS tables)'}: drop --skip-migrations to let the tool upgrade it"
        )


def upgrade_in_transaction(connection: Connection) -> None:
    """Alembic upgrade to head on the migration's connection, without committing."""
    config = migrations.alembic_config()
    config.attributes["connection"] = connection
    try:
        command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise SchemaMigrationError(f"upgrading the target schema failed: {describe_db_error(exc)}") from None


def refuse_cascade(state: TargetState, selected: list[str]) -> None:
    """A --tables run must never empty tables outside the selection (exit 2)."""
    holding = {name: state.rows.get(name, 0) for name in cascade_victims(selected)}
    holding = {name: rows for name, rows in holding.items() if rows}
    if holding:
        listed = ", ".join(f"{name} ({rows:,} rows)" for name, rows in holding.items())
        raise UsageError(
            f"truncating {', '.join(selected)} would also erase {listed} through their foreign keys, and "
            "those tables are not selected: add them to --tables, or use --no-truncate to append"
        )


def refuse_changed_target(connection: Connection, state: TargetState, names: list[str]) -> None:
    """Refuse (exit 2) when ``names`` or their cascade no longer hold the rows that were inspected.

    What was listed and confirmed was counted before the preflight; a writer still using the
    target since then would lose rows nobody agreed to erase.
    """
    changed = rows_changed_since(connection, state, names + cascade_victims(names))
    if changed:
        listed = ", ".join(f"{name} ({was:,} -> {now:,} rows)" for name, (was, now) in changed.items())
        raise UsageError(
            f"the target changed while the migration was being prepared: {listed}; stop the app "
            "(and anything else writing to the target), then rerun"
        )
