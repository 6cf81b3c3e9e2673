"""login sessions, security stamps, the login throttle; user ids never reused on SQLite

users: + security_stamp (random per row), + must_change_password; the lockout columns
(failed_login_attempts, locked_until) go: login_throttle counts attempts instead. On SQLite the
table is rebuilt with AUTOINCREMENT so a deleted account's id is never handed out again.

Rebuilding ``users`` on SQLite drops the old table; with foreign keys enforced (the app's
engine turns them on, and PRAGMA foreign_keys cannot change inside the migration's
transaction) that DROP runs ON DELETE actions on every table that refers to users, which
would null every audit row's user_id. Those rows are kept aside and put back.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each existing row gets its own random stamp (both expressions are evaluated per row).
RANDOM_STAMP = {
    "sqlite": "(lower(hex(randomblob(16))))",
    "postgresql": "md5(random()::text || clock_timestamp()::text)",
}


@contextmanager
def _children_kept(bind: sa.Connection, table: str) -> Iterator[None]:
    """Keep the rows that refer to ``table`` through a rebuild that drops it (SQLite only)."""
    if bind.dialect.name != "sqlite" or not bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        yield
        return
    inspector = sa.inspect(bind)
    children = []
    for child in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(child):
            if fk["referred_table"] == table and child != table:
                pk = inspector.get_pk_constraint(child)["constrained_columns"]
                children.append((child, fk["constrained_columns"][0], pk))
    for index, (child, column, _) in enumerate(children):
        bind.exec_driver_sql(
            f'CREATE TEMP TABLE "_kept_{index}" AS SELECT * FROM "{child}" WHERE "{column}" IS NOT NULL'
        )
    yield
    for index, (child, _, pk) in enumerate(children):
        keys = ", ".join(f'"{c}"' for c in pk)
        bind.exec_driver_sql(f'DELETE FROM "{child}" WHERE ({keys}) IN (SELECT {keys} FROM "_kept_{index}")')
        bind.exec_driver_sql(f'INSERT INTO "{child}" SELECT * FROM "_kept_{index}"')
        bind.exec_driver_sql(f'DROP TABLE "_kept_{index}"')


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    with (
        _children_kept(bind, "users"),
        op.batch_alter_table(
            "users", recreate="always" if sqlite else "auto", table_kwargs={"sqlite_autoincrement": True}
        ) as batch_op,
    ):
        batch_op.add_column(
            sa.Column(
                "security_stamp",
                sa.String(length=64),
                server_default=sa.text(RANDOM_STAMP[bind.dialect.name]),
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.drop_column("failed_login_attempts")
        batch_op.drop_column("locked_until")

    op.create_table(
        "user_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=320), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_throttle_last_attempt_at"), ["last_attempt_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttle_last_attempt_at"))
    op.drop_table("login_throttle")
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_sessions_user_id"))
    op.drop_table("user_sessions")

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    with (
        _children_kept(bind, "users"),
        op.batch_alter_table(
            "users", recreate="always" if sqlite else "auto", table_kwargs={"sqlite_autoincrement": False}
        ) as batch_op,
    ):
        batch_op.add_column(
            sa.Column("failed_login_attempts", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_column("must_change_password")
        batch_op.drop_column("security_stamp")
