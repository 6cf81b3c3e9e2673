"""Alembic, usable from code and as ``python -m backend.db.migrations upgrade|current|check``.

Alembic is always handed an open connection (never a URL in its Config), so a password
with ``%`` in it cannot break ConfigParser interpolation.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from backend.db.errors import describe_db_error

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


class SchemaError(RuntimeError):
    """The database schema is not the one this code expects."""


def alembic_config() -> Config:
    return Config(str(ALEMBIC_INI))


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "backend/alembic/versions holds no revision"
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` in one transaction."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def check(engine: Engine) -> None:
    """Raise SchemaError unless the database is at head."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise SchemaError(
            f"the database schema is at revision {current or 'none (empty database)'}, "
            f"the code expects {head}: run `python -m backend.db.migrations upgrade`"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m backend.db.migrations",
        description="Apply or inspect schema migrations of the database the settings resolve to.",
    )
    parser.add_argument("action", choices=["upgrade", "current", "head", "check"])
    parser.add_argument("--revision", default="head", help="target revision for upgrade (default head)")
    args = parser.parse_args(argv)

    from backend.config import ConfigError, load_settings
    from backend.db.engine_builder import create_database_engine

    if args.action == "head":
        print(head_revision())
        return 0
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    engine = create_database_engine(settings.database, settings.engine_options)
    try:
        if args.action == "upgrade":
            before = current_revision(engine)
            upgrade(engine, args.revision)
            after = current_revision(engine)
            print(f"{settings.database.masked_url}: {before or 'empty'} -> {after}")
        elif args.action == "current":
            print(current_revision(engine) or "none")
        else:
            check(engine)
            print(f"{settings.database.masked_url}: at head {head_revision()}")
    except SchemaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"error: {settings.database.masked_url}: {describe_db_error(exc)}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
