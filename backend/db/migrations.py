"""Alembic, usable from code and as ``python -m backend.db.migrations upgrade|current|check``.

The command is installed as ``sms-db`` too.

Alembic is always handed an open connection (never a URL in its Config), so a password
with ``%`` in it cannot break ConfigParser interpolation.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from backend.db import locks
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


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Apply migrations up to ``revision`` in one transaction; return the revision found.

    The transaction first takes the schema lock (``backend.db.locks``), then reads the
    revision: of several processes started at once against an empty database, one upgrades and
    the others wait, then find the schema at ``revision`` and change nothing (without the lock
    the second ``CREATE TYPE`` fails with UniqueViolation on pg_type and the replica stops).
    """
    config = alembic_config()
    with engine.begin() as connection:
        locks.hold(connection, locks.SCHEMA)
        found = MigrationContext.configure(connection).get_current_revision()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return found


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
        epilog="Also installed as sms-db. Exit codes: docs/CLI.md.",
    )
    parser.add_argument("action", choices=["upgrade", "current", "head", "check"])
    parser.add_argument("--revision", default="head", help="target revision for upgrade (default head)")
    args = parser.parse_args(argv)

    from backend.cli import exit_codes
    from backend.cli.errors import database_error_code, fail
    from backend.config import ConfigError, load_database_settings
    from backend.db.engine_builder import create_database_engine

    if args.action == "head":
        print(head_revision())
        return exit_codes.OK
    try:
        settings = load_database_settings()
    except ConfigError as exc:
        return fail(exit_codes.USAGE, str(exc))
    engine = create_database_engine(settings.database, settings.engine_options)
    try:
        if args.action == "upgrade":
            before = current_revision(engine)
            try:
                # Another process may have upgraded while this one waited for the lock.
                before = upgrade(engine, args.revision)
            except CommandError as exc:  # a --revision, or the database's revision, this code does not know
                unknown = before is not None and before not in known_revisions()
                return fail(
                    exit_codes.SCHEMA if unknown else exit_codes.USAGE,
                    f"{settings.database.masked_url}: {exc}",
                )
            except locks.LockTimeout as exc:
                return fail(exit_codes.FAILED, f"{settings.database.masked_url}: upgrade not started: {exc}")
            except SQLAlchemyError as exc:
                code = database_error_code(exc)
                code = exit_codes.SCHEMA if code == exit_codes.FAILED else code
                return fail(code, f"{settings.database.masked_url}: upgrade failed: {describe_db_error(exc)}")
            after = current_revision(engine)
            print(f"{settings.database.masked_url}: {before or 'empty'} -> {after}")
        elif args.action == "current":
            print(current_revision(engine) or "none")
        else:
            check(engine)
            print(f"{settings.database.masked_url}: at head {head_revision()}")
    except SchemaError as exc:
        return fail(exit_codes.SCHEMA, str(exc))
    except SQLAlchemyError as exc:
        return fail(database_error_code(exc), f"{settings.database.masked_url}: {describe_db_error(exc)}")
    finally:
        engine.dispose()
    return exit_codes.OK


if __name__ == "__main__":
    raise SystemExit(main())
